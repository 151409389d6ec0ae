package io.arraymorph.cli;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Keys;
import io.arraymorph.write.DatasetWrite;
import io.arraymorph.write.TaskWriter;
import io.arraymorph.write.WriteMode;
import io.arraymorph.write.WriteRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code arraymorph cp <src-location> <dataset> <dst-location> [<dst-dataset>]}: copies any
 * readable dataset (Zarr v3, Zarr v2, HDF5 when its reader is on the classpath) into a new Zarr v3
 * dataset, optionally with other chunks and codec. The copy goes block by block, each block a run
 * of whole destination chunks within {@code --buffer-size}; the next block is read while the
 * current one is written. The destination's metadata is written last, so readers never see a
 * half-copied dataset.
 */
@Command(
    name = "cp",
    aliases = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Copy a dataset into a new Zarr v3 dataset, converting chunks and codec on the way.",
      "'import' is the same command, meant for HDF5/NetCDF4 or Zarr v2 -> Zarr v3."
    })
final class CpCommand extends StoreCommand {
  /** Chunk compression of the destination. */
  enum Codec {
    zstd,
    gzip,
    none
  }

  @Parameters(index = "0", paramLabel = "SRC", description = "Source location (path or URI).")
  String source;

  @Parameters(index = "1", paramLabel = "DATASET", description = "Source dataset path.")
  String dataset;

  @Parameters(index = "2", paramLabel = "DST", description = "Destination location.")
  String destination;

  @Parameters(
      index = "3",
      arity = "0..1",
      paramLabel = "DST_DATASET",
      description = "Destination dataset path (default: the source dataset's path).")
  String destinationDataset;

  @Option(
      names = "--chunks",
      paramLabel = "N,N,...",
      converter = ChunksConverter.class,
      description = "Destination chunk shape (default: the source's).")
  ChunkShape chunks;

  /** A chunk shape given on the command line. */
  record ChunkShape(int[] extents) {}

  @Option(
      names = "--codec",
      paramLabel = "CODEC",
      description = "Destination compression: zstd (default), gzip or none.")
  Codec codec = Codec.zstd;

  @Option(
      names = "--level",
      paramLabel = "N",
      description = "Compression level (default: the codec's default).")
  int level = -1;

  @Option(names = "--overwrite", description = "Replace the destination dataset if it exists.")
  boolean overwrite;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show a progress bar on stderr (default: only when attached to a terminal).")
  Boolean progress;

  @Option(
      names = "--buffer-size",
      paramLabel = "SIZE",
      converter = SizeConverter.class,
      description =
          "Bytes per copied block, e.g. 64M (default); at most two blocks are in memory at once.")
  long bufferSize = 64L << 20;

  /** Parses {@code 10,10} into a chunk shape. */
  static final class ChunksConverter implements ITypeConverter<ChunkShape> {
    @Override
    public ChunkShape convert(String value) {
      String[] parts = value.split(",", -1);
      int[] out = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          out[i] = Integer.parseInt(parts[i].trim());
        } catch (NumberFormatException e) {
          throw new TypeConversionException(
              "Invalid chunk shape '" + value + "': expected positive integers like 10,10");
        }
        if (out[i] < 1) {
          throw new TypeConversionException(
              "Invalid chunk shape '" + value + "': chunk extents must be at least 1");
        }
      }
      return new ChunkShape(out);
    }
  }

  /** Parses a byte size: {@code 65536}, {@code 512k}, {@code 64M}, {@code 1g} (binary units). */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
      long unit = 1;
      if (!v.isEmpty() && "kmg".indexOf(v.charAt(v.length() - 1)) >= 0) {
        unit = 1L << (10 * ("kmg".indexOf(v.charAt(v.length() - 1)) + 1));
        v = v.substring(0, v.length() - 1);
      }
      try {
        long n = Long.parseLong(v.trim()) * unit;
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TypeConversionException(
          "Invalid size '" + value + "': expected a positive number of bytes like 64M or 65536");
    }
  }

  /** How long the destination's writer lock lasts: a copy that takes longer is not published. */
  static final Duration LOCK_LEASE = Duration.ofHours(12);

  /** Chunk puts in flight. */
  static final int MAX_IN_FLIGHT = 16;

  @Override
  int run() {
    String target = Keys.join(destinationDataset != null ? destinationDataset : dataset);
    if (target.isEmpty()) {
      throw new ArrayMorphException(
          "The source dataset is the store's root; name the destination dataset (DST_DATASET)");
    }
    try (ArrayStore src = open(source);
        ArrayStore dst = open(destination)) {
      Dataset in = src.dataset(dataset);
      if (source.equals(destination) && Keys.join(dataset).equals(target)) {
        throw new ArrayMorphException(
            "Source and destination are the same dataset '" + target + "'; choose another path");
      }
      long[] shape = in.shape();
      int[] chunkShape = chunks != null ? chunks.extents() : in.chunkShape();
      if (chunkShape.length != shape.length) {
        throw new ArrayMorphException(
            "--chunks "
                + Values.shape(chunkShape)
                + " has "
                + chunkShape.length
                + " dimensions but '"
                + in.path()
                + "' has "
                + shape.length
                + " (shape "
                + Values.shape(shape)
                + ")");
      }
      boolean replace = dst.exists(target);
      if (replace && !overwrite) {
        throw new ArrayMorphException(
            "'"
                + target
                + "' already exists in "
                + destination
                + "; pass --overwrite to replace it or name another destination dataset");
      }
      DataType type = in.dataType();
      byte[] fill = in.chunkSource().fillValue();
      List<String> names = in.dimensionNames();
      WriteRequest request =
          new WriteRequest(
              target,
              replace ? WriteMode.OVERWRITE : WriteMode.CREATE,
              shape.length,
              type,
              compression(),
              level,
              Values.fillNumber(type, fill),
              chunkShape,
              shape,
              isDefaultNames(names) ? null : names,
              in.attributes());
      // The same write protocol as Spark's: locked, staged when replacing, published at once.
      String job = "cli-cp-" + UUID.randomUUID();
      DatasetWrite write = DatasetWrite.plan(dst, job, request);
      CopyBlocks blocks =
          new CopyBlocks(shape, chunkShape, in.chunkShape(), type.byteSize(), bufferSize);
      boolean show = progress != null ? progress : System.console() != null;
      Progress bar = new Progress(err(), "copying " + in.path(), blocks.count(), show);
      long[] counts = new long[2]; // {blocks, skipped}, set by the work
      write.run(
          dst,
          LOCK_LEASE,
          w -> {
            TaskWriter task = w.openTask(dst.objectStore(), MAX_IN_FLIGHT);
            System.arraycopy(copy(in, task, blocks, fill, bar), 0, counts, 0, 2);
            long[] last = new long[shape.length];
            for (int d = 0; d < last.length; d++) {
              last[d] = shape[d] - 1;
            }
            return new DatasetWrite.Written(task.writtenChunks(), last);
          });
      bar.finish();
      out()
          .printf(
              Locale.ROOT,
              "Copied %s:%s to %s:%s (%s %s, chunks %s, %s): %d blocks, %d skipped as all fill"
                  + " value, %s read, %s written%n",
              source,
              in.path(),
              destination,
              target,
              Values.shape(shape),
              type.zarrName(),
              Values.shape(chunkShape),
              codec,
              blocks.count(),
              counts[1],
              Progress.human(src.stats().bytesRead()),
              Progress.human(dst.stats().bytesWritten()));
    }
    return 0;
  }

  /** Copies every block, reading the next while writing the current; returns {blocks, skipped}. */
  private static long[] copy(
      Dataset in, TaskWriter out, CopyBlocks blocks, byte[] fill, Progress bar) {
    Iterator<long[]> origins = blocks.iterator();
    long done = 0;
    long skipped = 0;
    long bytes = 0;
    long[] origin = origins.hasNext() ? origins.next() : null;
    CompletableFuture<NdArray> pending = origin == null ? null : read(in, blocks, origin);
    bar.update(0, 0);
    while (origin != null) {
      NdArray data = pending.join();
      long[] next = origins.hasNext() ? origins.next() : null;
      pending = next == null ? null : read(in, blocks, next);
      if (isAllFill(data.bytes(), fill)) {
        skipped++;
      } else {
        out.writeRegion(origin, data);
        out.finish(); // at most one block's chunks in memory
      }
      bytes += data.bytes().length;
      bar.update(++done, bytes);
      origin = next;
    }
    return new long[] {done, skipped};
  }

  private static CompletableFuture<NdArray> read(Dataset in, CopyBlocks blocks, long[] origin) {
    return in.readAsync(Hyperslab.box(origin, blocks.extent(origin)));
  }

  /** Whether every element equals the fill value (such chunks need no object). */
  static boolean isAllFill(byte[] data, byte[] fill) {
    int n = fill.length;
    for (int i = 0; i < data.length; i++) {
      if (data[i] != fill[i % n]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDefaultNames(List<String> names) {
    for (int d = 0; d < names.size(); d++) {
      if (!names.get(d).equals("dim_" + d)) {
        return false;
      }
    }
    return true;
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
    return "cp "
        + source
        + " "
        + dataset
        + " "
        + destination
        + (chunks == null ? "" : " " + Arrays.toString(chunks.extents()));
  }
}
