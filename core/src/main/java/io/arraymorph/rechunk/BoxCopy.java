package io.arraymorph.rechunk;

/**
 * Copies a box of elements between two row-major arrays of other shapes, one contiguous run of the
 * last dimension at a time. Hand-written: the project's {@code ElementCopier} copies between a
 * chunk and a selection plan, not between two arbitrary boxes.
 */
final class BoxCopy {
  private BoxCopy() {}

  /**
   * Copies {@code extent} elements per dimension from {@code src} (shape {@code srcShape}) at
   * {@code srcAt} to {@code dst} (shape {@code dstShape}) at {@code dstAt}.
   */
  static void copy(
      byte[] src,
      long[] srcShape,
      long[] srcAt,
      byte[] dst,
      long[] dstShape,
      long[] dstAt,
      long[] extent,
      int elementSize) {
    int rank = extent.length;
    for (long e : extent) {
      if (e <= 0) {
        return;
      }
    }
    if (rank == 0) {
      System.arraycopy(src, 0, dst, 0, elementSize);
      return;
    }
    int run = Math.toIntExact(extent[rank - 1] * elementSize);
    long[] idx = new long[rank];
    while (true) {
      long s = 0;
      long t = 0;
      for (int d = 0; d < rank; d++) {
        s = s * srcShape[d] + srcAt[d] + idx[d];
        t = t * dstShape[d] + dstAt[d] + idx[d];
      }
      System.arraycopy(
          src, Math.toIntExact(s * elementSize), dst, Math.toIntExact(t * elementSize), run);
      int d = rank - 2;
      while (d >= 0 && ++idx[d] == extent[d]) {
        idx[d] = 0;
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }
}
