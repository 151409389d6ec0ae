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
   * The range of C-order element positions in a chunk of {@code chunkShape} that holds every
   * selected element: {@code {first, end}}, from the first selected element to one past the last
   * ({@code {0, 0}} when nothing is selected). A decoder that can stop early (a zlib stream) or
   * rearrange only part of a chunk (a byte unshuffle) needs to do no more.
   */
  public long[] elementRange(int[] chunkShape) {
    long first = 0;
    long last = 0;
    for (int d = 0; d < runs.length; d++) {
      DimRuns r = runs[d];
      int min = Integer.MAX_VALUE;
      int max = -1;
      for (int k = 0; k < r.runCount(); k++) {
        min = Math.min(min, r.chunkOffset(k));
        max = Math.max(max, r.chunkOffset(k) + r.length(k) - 1);
      }
      if (max < 0) {
        return new long[] {0, 0};
      }
      first = first * chunkShape[d] + min;
      last = last * chunkShape[d] + max;
    }
    return new long[] {first, last + 1};
  }

  /**
   * This selection restricted to the inner chunk at {@code innerCoords} of a grid of {@code
   * innerShape} laid over this chunk (a shard's inner chunk): chunk offsets relative to the inner
   * chunk, output offsets the elements' positions in this chunk. Null when it selects nothing
   * there.
   */
  public ChunkSelection within(long[] innerCoords, int[] innerShape) {
    DimRuns[] inner = new DimRuns[runs.length];
    for (int d = 0; d < runs.length; d++) {
      int lo = Math.toIntExact(innerCoords[d] * innerShape[d]);
      int hi = lo + innerShape[d];
      DimRuns r = runs[d];
      int n = 0;
      int[] chunkOffset = new int[r.runCount()];
      long[] outOffset = new long[r.runCount()];
      int[] length = new int[r.runCount()];
      for (int k = 0; k < r.runCount(); k++) {
        int from = Math.max(lo, r.chunkOffset(k));
        int to = Math.min(hi, r.chunkOffset(k) + r.length(k));
        if (from < to) {
          chunkOffset[n] = from - lo;
          outOffset[n] = from;
          length[n++] = to - from;
        }
      }
      if (n == 0) {
        return null;
      }
      inner[d] =
          new DimRuns(
              Arrays.copyOf(chunkOffset, n), Arrays.copyOf(outOffset, n), Arrays.copyOf(length, n));
    }
    return new ChunkSelection(innerCoords.clone(), inner);
  }

  @Override
  public String toString() {
    return "ChunkSelection" + Arrays.toString(chunkCoords);
  }
}
