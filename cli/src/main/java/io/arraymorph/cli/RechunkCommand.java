package io.arraymorph.cli;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.rechunk.LocalRechunk;
import io.arraymorph.rechunk.RechunkJob;
import io.arraymorph.rechunk.RechunkRequest;
import io.arraymorph.rechunk.RechunkResult;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code arraymorph rechunk <src> <dataset> <dst> [<dst-dataset>] --chunks ...}: rewrites any
 * readable dataset as a Zarr v3 dataset with other chunks, optionally sharded, on local threads,
 * with memory bounded by {@code --memory}; the result is published atomically.
 */
@Command(
    name = "rechunk",
    mixinStandardHelpOptions = true,
    description = {
      "Rechunk a dataset (Zarr v3/v2, HDF5/NetCDF4, kerchunk references) into a Zarr v3 dataset"
          + " with other chunks, optionally sharded, on local threads with bounded memory.",
      "Source reads are cut into pieces of target chunks that are assembled (spilled to a"
          + " temporary directory when the array exceeds --memory); the target appears at once"
          + " when every chunk is written, and a failed run leaves nothing (or the previous"
          + " target) visible."
    })
final class RechunkCommand extends StoreCommand {
  @Parameters(index = "0", paramLabel = "SRC", description = "Source location (path or URI).")
  String source;

  @Parameters(index = "1", paramLabel = "DATASET", description = "Source dataset path.")
  String dataset;

  @Parameters(index = "2", paramLabel = "DST", description = "Target location (Zarr v3).")
  String destination;

  @Parameters(
      index = "3",
      arity = "0..1",
      paramLabel = "DST_DATASET",
      description = "Target dataset path (default: the source dataset's path).")
  String destinationDataset;

  @Option(
      names = "--chunks",
      required = true,
      paramLabel = "N,N,...",
      converter = CpCommand.ChunksConverter.class,
      description = "Target chunk shape, e.g. 8760,10,10 for long time series of small tiles.")
  CpCommand.ChunkShape chunks;

  @Option(
      names = "--shards",
      paramLabel = "N,N,...",
      converter = CpCommand.ChunksConverter.class,
      description = "Shard shape (multiples of --chunks): Zarr v3 sharding_indexed objects.")
  CpCommand.ChunkShape shards;

  @Option(
      names = "--codec",
      paramLabel = "CODEC",
      description = "Target compression: zstd (default), gzip or none.")
  CpCommand.Codec codec = CpCommand.Codec.zstd;

  @Option(
      names = "--level",
      paramLabel = "N",
      description = "Compression level (default: the codec's default).")
  int level = -1;

  @Option(names = "--overwrite", description = "Replace the target dataset if it exists.")
  boolean overwrite;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      converter = CpCommand.SizeConverter.class,
      description =
          "Decoded bytes each thread holds at once (option rechunk_memory), e.g. 256M (default).")
  long memory = ArrayMorphOptions.RECHUNK_MEMORY.get(java.util.Map.of());

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Threads reading and writing (default: the number of processors).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Override
  int run() {
    if (threads < 1) {
      throw new ArrayMorphException("--threads must be at least 1");
    }
    RechunkRequest request =
        new RechunkRequest(
            source,
            dataset,
            destination,
            destinationDataset,
            chunks.extents(),
            shards == null ? null : shards.extents(),
            compression(),
            level,
            overwrite,
            memory,
            CpCommand.LOCK_LEASE);
    RechunkResult result;
    try (ArrayStore src = open(source);
        ArrayStore dst = open(destination)) {
      result =
          RechunkJob.run(
              src,
              dst,
              request,
              "cli-rechunk-" + UUID.randomUUID(),
              new LocalRechunk(src, dst, threads, CpCommand.MAX_IN_FLIGHT));
      out()
          .printf(
              Locale.ROOT,
              "Rechunked %s:%s to %s:%s (chunks %s%s, %s): %d reads, %s, %d objects written,"
                  + " %s read, %s written in %.2f s%n",
              source,
              dataset,
              destination,
              result.targetDataset(),
              Values.shape(chunks.extents()),
              shards == null ? "" : ", shards " + Values.shape(shards.extents()),
              codec,
              result.readTasks(),
              result.direct() ? "no pieces moved" : "pieces moved between tasks",
              result.chunksWritten(),
              Progress.human(src.stats().bytesRead()),
              Progress.human(dst.stats().bytesWritten()),
              result.seconds());
    }
    return 0;
  }

  private ArraySpec.Compression compression() {
    return switch (codec) {
      case zstd -> ArraySpec.Compression.ZSTD;
      case gzip -> ArraySpec.Compression.GZIP;
      case none -> ArraySpec.Compression.NONE;
    };
  }

  @Override
  public String toString() {
    return "rechunk " + source + " " + dataset + " " + destination;
  }
}
