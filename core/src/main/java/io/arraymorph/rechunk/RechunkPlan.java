package io.arraymorph.rechunk;

import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.scan.Region;
import io.arraymorph.write.DatasetWrite;
import java.io.Serializable;
import java.util.List;

/**
 * A planned rechunk, made on one machine ({@link RechunkPlanner}) and shipped to the tasks that run
 * it: the source as read once, the target's write, and the source reads.
 *
 * <p>Target chunks are the objects the write puts: a shard for a sharded target, else a chunk. The
 * plan is one of three {@link Kind}s. {@link Kind#DIRECT}: every read box is a union of whole
 * target chunks and of whole source chunks (the source chunking nests in the target's, or a common
 * multiple of both fits in memory), so each task writes its own target chunks and nothing moves.
 * {@link Kind#ONE_STAGE}: every box is a region of whole target chunks; its task reads every source
 * chunk the region overlaps (a source chunk overlapping several regions is read once per region)
 * and writes the region's chunks; nothing moves. {@link Kind#TWO_STAGE}: read boxes are groups of
 * whole source chunks, cut into {@link Block}s that move to the task owning their target chunk.
 *
 * @param request what was asked
 * @param job the job's name in locks and staging keys
 * @param sourceRef the source dataset as read by the planner
 * @param shape the array's shape
 * @param dataType the element type
 * @param sourceChunks the source's chunk shape
 * @param write the target's write (locked and published by the job's driver)
 * @param kind how tasks share the work
 * @param readBoxes the source reads (a one-stage plan's regions), disjoint, covering the array
 * @param explain the plan in a sentence, with the cost model's figures when it chose
 */
public record RechunkPlan(
    RechunkRequest request,
    String job,
    DatasetRef sourceRef,
    long[] shape,
    DataType dataType,
    int[] sourceChunks,
    DatasetWrite write,
    Kind kind,
    List<Region.Box> readBoxes,
    String explain)
    implements Serializable {

  /** How a plan's tasks share the work. */
  public enum Kind {
    /** Reads of whole source and target chunks: each task writes what it reads. */
    DIRECT,
    /** Regions of whole target chunks, each read from every source chunk it overlaps. */
    ONE_STAGE,
    /** Reads cut into pieces moved to the tasks owning their target chunks. */
    TWO_STAGE
  }

  /** Whether each task writes the target chunks of its own box, nothing moving between tasks. */
  public boolean direct() {
    return kind != Kind.TWO_STAGE;
  }

  /** The shape of the objects the target is written in: its shards, else its chunks. */
  public int[] targetChunks() {
    return write.chunkShape();
  }

  /** The target's grid of chunk (or shard) objects over the array. */
  public ChunkGrid targetGrid() {
    return new ChunkGrid(shape, targetChunks());
  }

  /** Decoded bytes of one target chunk (or shard), padding included. */
  public long targetChunkBytes() {
    return targetGrid().chunkElements() * dataType.byteSize();
  }

  /** Decoded bytes of the whole array. */
  public long arrayBytes() {
    long n = dataType.byteSize();
    for (long s : shape) {
      n = RechunkPlanner.saturatingMultiply(n, s);
    }
    return n;
  }

  /** The last index per dimension, what {@link DatasetWrite#publish} is given. */
  public long[] lastIndex() {
    long[] last = new long[shape.length];
    for (int d = 0; d < last.length; d++) {
      last[d] = shape[d] - 1;
    }
    return last;
  }

  /**
   * The groups of target chunks the assembling tasks own, for a plan that moves blocks: enough that
   * one group's chunks take at most half of {@code rechunk_memory} plus one chunk (a task may hold
   * all of them at once, its writer the other half), at least {@code parallelism}, at most one per
   * target chunk.
   */
  public int assemblyGroups(int parallelism) {
    long objects = targetGrid().chunkCount();
    long half = Math.max(1, request.memoryBytes() / 2);
    long all = RechunkPlanner.saturatingMultiply(objects, targetChunkBytes());
    long byMemory = all / half + (all % half == 0 ? 0 : 1);
    return (int) Math.max(1, Math.min(objects, Math.max(parallelism, Math.min(byMemory, 100_000))));
  }

  /** The group (of {@code groups}) owning a target chunk: contiguous ranges in grid order. */
  public int assemblyGroup(long target, int groups) {
    return assemblyGroup(target, groups, targetGrid().chunkCount());
  }

  /** As {@link #assemblyGroup(long, int)}, given the number of target chunks. */
  static int assemblyGroup(long target, int groups, long objects) {
    return (int) Math.min(groups - 1, (long) (target * (double) groups / Math.max(1, objects)));
  }

  /**
   * A read box in slices of whole source chunks of about {@link RechunkPlanner#SLICE_BYTES}: a task
   * decodes and cuts one slice at a time, never holding its whole read.
   */
  public List<Region.Box> slices(Region.Box box) {
    return RechunkPlanner.slices(box, sourceChunks, dataType.byteSize(), request.memoryBytes());
  }
}
