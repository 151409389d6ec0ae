package io.arraymorph.rechunk;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.ReadOnlyDataset;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.scan.Region;
import io.arraymorph.store.Futures;
import io.arraymorph.write.TaskWriter;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The work of a rechunk's tasks, whoever runs them (local threads, Spark executors). */
public final class RechunkTasks {
  private RechunkTasks() {}

  /** Reads one source box. */
  public static NdArray read(ArrayStore source, RechunkPlan plan, Region.Box box) {
    return read(source.dataset(plan.sourceRef()), box);
  }

  /** Reads one source box of an opened source dataset. */
  public static NdArray read(Dataset source, Region.Box box) {
    return source.read(Hyperslab.box(box.lo(), box.shape()));
  }

  /**
   * The task of a plan that moves nothing ({@link RechunkPlan#direct()}): reads {@code box}, a
   * union of whole target chunks, one slice of source chunks at a time ({@link
   * RechunkPlan#slices}), copies each slice straight into the target chunks it overlaps (a source
   * read through its chunk source, e.g. a granule manifest, each decoded source chunk on its
   * fetching thread: {@link ChunkScatter}) and writes each chunk once complete; a chunk of nothing
   * but the fill value is not written (a missing chunk reads as the fill value). The task holds the
   * box's incomplete target chunks and one slice ({@link ChunkScatter#SLICES_IN_FLIGHT} slices'
   * decoded parts through a chunk source).
   *
   * @return the target chunks written
   */
  public static List<long[]> writeRegion(
      Dataset source, ArrayStore target, RechunkPlan plan, Region.Box box, int maxInFlight) {
    return assembleInto(
        target,
        plan,
        maxInFlight,
        assembler -> {
          if (source instanceof ReadOnlyDataset chunked) {
            // Its reads are its chunk source's plus a file check: decode straight into the
            // target chunks, then check as its own reads do.
            CompletableFuture<Void> read = new CompletableFuture<>();
            try {
              ChunkScatter.run(chunked.chunkSource(), plan, box, assembler, maxInFlight);
              read.complete(null);
            } catch (RuntimeException e) {
              read.completeExceptionally(e);
            }
            Futures.join(chunked.checked(read));
          } else {
            for (Region.Box slice : plan.slices(box)) {
              assembler.addBox(slice, read(source, slice));
            }
          }
        });
  }

  /**
   * Opens a task's writer, lets {@code fill} put every piece of the task's target chunks into an
   * assembler (which writes each chunk once complete) and waits for the writes; on a failure the
   * writer is aborted and the failure thrown.
   *
   * @return the target chunks written
   */
  static List<long[]> assembleInto(
      ArrayStore target, RechunkPlan plan, int maxInFlight, Consumer<ChunkAssembler> fill) {
    TaskWriter writer = plan.write().openTask(target.objectStore(), maxInFlight);
    try {
      ChunkAssembler assembler =
          new ChunkAssembler(plan, writer, Math.max(1, plan.request().memoryBytes() / 2));
      fill.accept(assembler);
      return assembler.finish();
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    }
  }

  /**
   * Assembles and writes the target chunks of blocks that come grouped by target chunk.
   *
   * @return the target chunks written
   */
  public static List<long[]> assemble(
      ArrayStore target, RechunkPlan plan, Iterable<Block> blocks, int maxInFlight) {
    return assembleInto(
        target,
        plan,
        maxInFlight,
        assembler -> {
          for (Block b : blocks) {
            assembler.add(b);
          }
        });
  }

  /**
   * Assembles and writes the target chunks of block packs ({@link BlockPacks}) that come in any
   * order; the task holds the chunks its packs have started and not yet completed.
   *
   * @return the target chunks written
   */
  public static List<long[]> assemblePacks(
      ArrayStore target, RechunkPlan plan, Iterator<byte[]> packs, int maxInFlight) {
    int rank = plan.shape().length;
    return assembleInto(
        target,
        plan,
        maxInFlight,
        assembler -> {
          while (packs.hasNext()) {
            BlockPacks.addTo(packs.next(), rank, assembler);
          }
        });
  }
}
