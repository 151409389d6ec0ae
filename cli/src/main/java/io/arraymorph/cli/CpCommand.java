package io.arraymorph.cli;

import io.arraymorph.ArrayMorphException;
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
import java.io.Console;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
  @Mixin CopyArguments copy;

  @Option(
      names = "--chunks",
      paramLabel = "N,N,...",
      converter = CopyArguments.ChunksConverter.class,
      description = "Destination chunk shape (default: the source's).")
  CopyArguments.ChunkShape chunks;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show a progress bar on stderr (default: only when attached to a terminal).")
  Boolean progress;

  @Option(
      names = "--buffer-size",
      paramLabel = "SIZE",
      converter = CopyArguments.SizeConverter.class,
      description =
          "Bytes per copied block, e.g. 64M (default); at most two blocks are in memory at once.")
  long bufferSize = 64L << 20;

  /** How long the destination's writer lock lasts: a copy that takes longer is not published. */
  static final Duration LOCK_LEASE = Duration.ofHours(12);

  /** Chunk puts in flight. */
  static final int MAX_IN_FLIGHT = 16;

  @Override
  int run() {
    String source = copy.source;
    String dataset = copy.dataset;
    String destination = copy.destination;
    String target = copy.target();
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
      if (replace && !copy.overwrite) {
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
              copy.compression(),
              copy.level,
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
      boolean show = progress != null ? progress : interactive();
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
              copy.codec,
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
      if (TaskWriter.isAllFill(data.bytes(), fill)) {
        skipped++;
      } else {
        // Chunks of the block holding only the fill value get no object, as zarr-python does.
        out.writeRegionSkippingFill(origin, data);
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

  private static boolean isDefaultNames(List<String> names) {
    for (int d = 0; d < names.size(); d++) {
      if (!names.get(d).equals("dim_" + d)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "cp "
        + copy.source
        + " "
        + copy.dataset
        + " "
        + copy.destination
        + (chunks == null ? "" : " " + Arrays.toString(chunks.extents()));
  }

  /** Whether a person watches: the JVM runs in a terminal. */
  @SuppressWarnings("SystemConsoleNull") // null still means no terminal; 22+ asks isTerminal()
  private static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Java 22+ gives a console even when redirected; only isTerminal() (22+) says.
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before Java 22 a console is always a terminal
    }
  }
}
