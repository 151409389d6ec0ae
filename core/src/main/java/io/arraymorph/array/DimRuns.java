package io.arraymorph.array;

/**
 * The selected indices of one chunk along one dimension, as runs that are consecutive both inside
 * the chunk and in the selection's output: run {@code r} covers chunk indices {@code
 * [chunkOffset(r), chunkOffset(r) + length(r))} which land at output indices starting at {@code
 * outOffset(r)}.
 */
public final class DimRuns {
  private final int[] chunkOffset;
  private final long[] outOffset;
  private final int[] length;
  private final long selected;

  DimRuns(int[] chunkOffset, long[] outOffset, int[] length) {
    this.chunkOffset = chunkOffset;
    this.outOffset = outOffset;
    this.length = length;
    long n = 0;
    for (int l : length) {
      n += l;
    }
    this.selected = n;
  }

  public int runCount() {
    return length.length;
  }

  public int chunkOffset(int run) {
    return chunkOffset[run];
  }

  public long outOffset(int run) {
    return outOffset[run];
  }

  public int length(int run) {
    return length[run];
  }

  /** The number of selected indices in this chunk along this dimension. */
  public long selectedCount() {
    return selected;
  }

  /** Whether the runs cover {@code [0, extent)} in one piece. */
  public boolean coversWhole(int extent) {
    return length.length == 1 && chunkOffset[0] == 0 && length[0] == extent;
  }
}
