package io.arraymorph.array;

import java.util.Arrays;

/**
 * One chunk touched by a selection, with the runs of elements to copy between the chunk and the
 * selection's output, one {@link DimRuns} per dimension.
 */
public final class ChunkSelection {
  private final long[] chunkCoords;
  private final DimRuns[] runs;

  ChunkSelection(long[] chunkCoords, DimRuns[] runs) {
    this.chunkCoords = chunkCoords;
    this.runs = runs;
  }

  /** The chunk's coordinates in the chunk grid. */
  public long[] chunkCoords() {
    return chunkCoords.clone();
  }

  public DimRuns runs(int dim) {
    return runs[dim];
  }

  public int rank() {
    return runs.length;
  }

  /** The number of selected elements inside this chunk. */
  public long selectedCount() {
    long n = 1;
    for (DimRuns r : runs) {
      n *= r.selectedCount();
    }
    return n;
  }

  /** Whether every element of a chunk of the given shape is selected. */
  public boolean coversWholeChunk(int[] chunkShape) {
    for (int d = 0; d < runs.length; d++) {
      if (!runs[d].coversWhole(chunkShape[d])) {
        return false;
      }
    }
    return true;
  }

  /**
   * How many bytes from the start of the decoded chunk (C order, {@code chunkShape}) hold every
   * selected element: up to the end of the last one. A decoder that can stop early (a zlib stream)
   * needs to produce no more.
   */
  public long bytesNeeded(int[] chunkShape, int elementSize) {
    long last = 0;
    for (int d = 0; d < runs.length; d++) {
      DimRuns r = runs[d];
      int max = -1;
      for (int k = 0; k < r.runCount(); k++) {
        max = Math.max(max, r.chunkOffset(k) + r.length(k) - 1);
      }
      if (max < 0) {
        return 0;
      }
      last = last * chunkShape[d] + max;
    }
    return (last + 1) * elementSize;
  }

  @Override
  public String toString() {
    return "ChunkSelection" + Arrays.toString(chunkCoords);
  }
}
