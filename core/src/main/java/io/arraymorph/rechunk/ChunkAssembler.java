package io.arraymorph.rechunk;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.Fill;
import io.arraymorph.write.TaskWriter;
import java.util.Arrays;
import java.util.List;

/**
 * Assembles target chunks (or shards) from their {@link Block}s and writes each through a {@link
 * TaskWriter} once complete. Blocks must come grouped by target chunk (e.g. sorted by {@link
 * Block#target()}), so one chunk is held at a time. Blocks are copied straight into the buffer the
 * writer puts (the chunk's full shape, its part past the array's edge the fill value), one run per
 * block when the block spans the chunk's trailing dimensions. A chunk whose blocks do not add up to
 * its elements is refused rather than written with holes.
 */
public final class ChunkAssembler {
  private final ChunkGrid grid;
  private final TaskWriter writer;
  private final DataType type;
  private final int size;
  private final long flushBytes;
  private final byte[] fill;
  private final long[] chunkShape;
  private long current = -1;
  private NdArray chunk;
  private long expected;
  private long received;
  private long pending;

  /**
   * @param flushBytes decoded bytes of chunks handed to the writer after which it is waited for,
   *     bounding what its puts hold
   */
  public ChunkAssembler(RechunkPlan plan, TaskWriter writer, long flushBytes) {
    this.grid = plan.targetGrid();
    this.writer = writer;
    this.type = plan.dataType();
    this.size = type.byteSize();
    this.flushBytes = flushBytes;
    this.fill = plan.write().metadata().fillValue();
    int[] shape = grid.chunkShape();
    this.chunkShape = new long[shape.length];
    for (int d = 0; d < shape.length; d++) {
      chunkShape[d] = shape[d];
    }
  }

  /** Adds a block, writing the previous target chunk if this one starts another. */
  public void add(Block block) {
    if (block.target() != current) {
      complete();
      current = block.target();
      long[] valid = grid.validExtent(grid.chunkCoords(current));
      expected = 1;
      for (long v : valid) {
        expected *= v;
      }
      long elements = grid.chunkElements();
      // Only an edge chunk keeps elements no block gives (its padding): fill those.
      byte[] bytes =
          expected == elements
              ? new byte[Math.toIntExact(elements * size)]
              : Fill.chunk(fill, elements);
      chunk = NdArray.wrap(type, chunkShape.clone(), bytes);
      received = 0;
    }
    int rank = block.lo().length;
    long[] at = new long[rank];
    long[] extent = new long[rank];
    for (int d = 0; d < rank; d++) {
      at[d] = block.lo()[d];
      extent[d] = block.hi()[d] - block.lo()[d];
    }
    BoxCopy.copy(
        block.values(), extent, new long[rank], chunk.bytes(), chunk.shape(), at, extent, size);
    received += block.elements();
  }

  /** Writes the last chunk, waits for every put and returns the chunks written. */
  public List<long[]> finish() {
    complete();
    writer.finish();
    return writer.writtenChunks();
  }

  private void complete() {
    if (chunk == null) {
      return;
    }
    long[] coords = grid.chunkCoords(current);
    if (received != expected) {
      throw new IllegalStateException(
          "Target chunk "
              + Arrays.toString(coords)
              + " received "
              + received
              + " of its "
              + expected
              + " elements; refusing to write it (nothing is published). This is a bug: please"
              + " report it with the source and the chunks asked for");
    }
    byte[] bytes = chunk.bytes();
    NdArray done = chunk;
    chunk = null;
    if (RechunkTasks.isAllFill(bytes, fill)) {
      return; // a missing chunk reads as the fill value
    }
    writer.writeWhole(coords, done);
    pending += bytes.length;
    if (pending >= flushBytes) {
      writer.finish();
      pending = 0;
    }
  }
}
