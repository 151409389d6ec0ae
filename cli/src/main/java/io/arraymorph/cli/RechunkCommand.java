package io.arraymorph.cli;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.rechunk.LocalRechunk;
import io.arraymorph.rechunk.RechunkJob;
import io.arraymorph.rechunk.RechunkRequest;
import io.arraymorph.rechunk.RechunkResult;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
  @Mixin CopyArguments copy;

  @Option(
      names = "--chunks",
      required = true,
      paramLabel = "N,N,...",
      converter = CopyArguments.ChunksConverter.class,
      description = "Target chunk shape, e.g. 8760,10,10 for long time series of small tiles.")
  CopyArguments.ChunkShape chunks;

  @Option(
      names = "--shards",
      paramLabel = "N,N,...",
      converter = CopyArguments.ChunksConverter.class,
      description = "Shard shape (multiples of --chunks): Zarr v3 sharding_indexed objects.")
  CopyArguments.ChunkShape shards;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      converter = CopyArguments.SizeConverter.class,
      description =
          "Decoded bytes each thread holds at once (option rechunk_memory), e.g. 256M (default).")
  long memory = ArrayMorphOptions.RECHUNK_MEMORY.get(java.util.Map.of());

  @Option(
      names = "--plan",
      paramLabel = "PLAN",
      description =
          "auto (default: a cost model chooses), one_stage (each thread owns a region of target"
              + " chunks and reads every source chunk it overlaps) or two_stage (reads cut into"
              + " pieces moved to the threads owning their target chunks); option rechunk_plan.")
  String plan = "auto";

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
    if (!java.util.List.of("auto", "one_stage", "two_stage").contains(plan)) {
      throw new ArrayMorphException(
          "--plan must be auto, one_stage or two_stage, not '" + plan + "'");
    }
    RechunkRequest request =
        new RechunkRequest(
            copy.source,
            copy.dataset,
            copy.destination,
            copy.destinationDataset,
            chunks.extents(),
            shards == null ? null : shards.extents(),
            copy.compression(),
            copy.level,
            copy.overwrite,
            memory,
            CpCommand.LOCK_LEASE,
            RechunkRequest.Stages.of(plan));
    RechunkResult result;
    try (ArrayStore src = open(copy.source);
        ArrayStore dst = open(copy.destination)) {
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
                  + " %s read, %s written in %.2f s%nPlan: %s%n",
              copy.source,
              copy.dataset,
              copy.destination,
              result.targetDataset(),
              Values.shape(chunks.extents()),
              shards == null ? "" : ", shards " + Values.shape(shards.extents()),
              copy.codec,
              result.readTasks(),
              result.direct() ? "no pieces moved" : "pieces moved between tasks",
              result.chunksWritten(),
              Progress.human(src.stats().bytesRead()),
              Progress.human(dst.stats().bytesWritten()),
              result.seconds(),
              result.plan());
    }
    return 0;
  }

  @Override
  public String toString() {
    return "rechunk " + copy.source + " " + copy.dataset + " " + copy.destination;
  }
}
