package io.arraymorph.array;

import java.nio.ByteBuffer;

/**
 * Copies the selected elements of one chunk between the chunk's buffer (full chunk shape,
 * row-major) and the selection's output buffer (row-major over the output shape), a contiguous run
 * of the last dimension at a time.
 */
public final class ElementCopier {
  private final int elementSize;
  private final long[] chunkStrides;
  private final long[] outStrides;

  /** A copier for chunks of {@code chunkShape} and an output of {@code outputShape}. */
  public ElementCopier(int elementSize, int[] chunkShape, long[] outputShape) {
    this.elementSize = elementSize;
    this.chunkStrides = Shapes.strides(Shapes.toLong(chunkShape));
    this.outStrides = Shapes.strides(outputShape);
  }

  /** Copies the chunk's selected elements into the output. */
  public void chunkToOutput(ChunkSelection sel, byte[] chunk, byte[] output) {
    copy(sel, 0, 0, 0, chunk, output, true);
  }

  /**
   * Copies the chunk's selected elements into the output from a buffer holding the chunk from its
   * position on (read without first copying it into an array of its own).
   */
  public void chunkToOutput(ChunkSelection sel, ByteBuffer chunk, byte[] output) {
    copyFrom(sel, 0, chunk.position(), 0, chunk, output);
  }

  /**
   * Copies the chunk's selected elements into the output from a part of the chunk: {@code part}
   * holds the chunk's elements from element {@code firstElement} (in C order) on, and must cover
   * every selected one.
   */
  public void partToOutput(ChunkSelection sel, byte[] part, long firstElement, byte[] output) {
    copyFrom(sel, 0, -firstElement * elementSize, 0, ByteBuffer.wrap(part), output);
  }

  private void copyFrom(
      ChunkSelection sel, int dim, long chunkBase, long outBase, ByteBuffer chunk, byte[] output) {
    int rank = sel.rank();
    if (rank == 0) {
      chunk.get((int) chunkBase, output, 0, elementSize);
      return;
    }
    DimRuns runs = sel.runs(dim);
    boolean last = dim == rank - 1;
    for (int r = 0; r < runs.runCount(); r++) {
      long c = runs.chunkOffset(r) * chunkStrides[dim];
      long o = outBase + runs.outOffset(r) * outStrides[dim];
      int len = runs.length(r);
      if (last) {
        chunk.get(
            (int) (chunkBase + c * elementSize),
            output,
            (int) (o * elementSize),
            len * elementSize);
      } else {
        for (int i = 0; i < len; i++) {
          copyFrom(
              sel,
              dim + 1,
              chunkBase + (c + i * chunkStrides[dim]) * elementSize,
              o + i * outStrides[dim],
              chunk,
              output);
        }
      }
    }
  }

  /** Copies the output's elements that belong to this chunk into the chunk. */
  public void outputToChunk(ChunkSelection sel, byte[] output, byte[] chunk) {
    copy(sel, 0, 0, 0, chunk, output, false);
  }

  private void copy(
      ChunkSelection sel,
      int dim,
      long chunkBase,
      long outBase,
      byte[] chunk,
      byte[] output,
      boolean toOutput) {
    int rank = sel.rank();
    if (rank == 0) {
      transfer(chunk, 0, output, 0, elementSize, toOutput);
      return;
    }
    DimRuns runs = sel.runs(dim);
    boolean last = dim == rank - 1;
    for (int r = 0; r < runs.runCount(); r++) {
      long c = chunkBase + runs.chunkOffset(r) * chunkStrides[dim];
      long o = outBase + runs.outOffset(r) * outStrides[dim];
      int len = runs.length(r);
      if (last) {
        transfer(chunk, c * elementSize, output, o * elementSize, len * elementSize, toOutput);
      } else {
        for (int i = 0; i < len; i++) {
          copy(
              sel,
              dim + 1,
              c + i * chunkStrides[dim],
              o + i * outStrides[dim],
              chunk,
              output,
              toOutput);
        }
      }
    }
  }

  private static void transfer(
      byte[] chunk, long chunkPos, byte[] output, long outPos, int bytes, boolean toOutput) {
    if (toOutput) {
      System.arraycopy(chunk, (int) chunkPos, output, (int) outPos, bytes);
    } else {
      System.arraycopy(output, (int) outPos, chunk, (int) chunkPos, bytes);
    }
  }
}
