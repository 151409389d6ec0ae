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

  @Override
  public String toString() {
    return "ChunkSelection" + Arrays.toString(chunkCoords);
  }
}
