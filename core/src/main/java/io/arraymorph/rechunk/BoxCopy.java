package io.arraymorph.rechunk;

/**
 * Copies a box of elements between two row-major arrays of other shapes, one contiguous run at a
 * time: trailing dimensions the box spans whole in both arrays merge into one run (a block into the
 * target chunk of the same spatial extent is a single copy). Hand-written: the project's {@code
 * ElementCopier} copies between a chunk and a selection plan, not between two arbitrary boxes.
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
    copy(src, 0, srcShape, srcAt, dst, 0, dstShape, dstAt, extent, elementSize);
  }

  /**
   * As {@link #copy(byte[], long[], long[], byte[], long[], long[], long[], int)}, the source array
   * starting at byte {@code srcOffset} of {@code src} and the destination at {@code dstOffset} of
   * {@code dst} (arrays packed in a larger buffer).
   */
  static void copy(
      byte[] src,
      int srcOffset,
      long[] srcShape,
      long[] srcAt,
      byte[] dst,
      int dstOffset,
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
      System.arraycopy(src, srcOffset, dst, dstOffset, elementSize);
      return;
    }
    // The run: dimension k (from its offset) and every dimension after it, whole in both arrays.
    int k = rank - 1;
    long runElements = extent[k];
    while (k > 0 && extent[k] == srcShape[k] && extent[k] == dstShape[k]) {
      k--;
      runElements *= extent[k];
    }
    long[] srcStride = new long[rank];
    long[] dstStride = new long[rank];
    long ss = elementSize;
    long ds = elementSize;
    long s = srcOffset;
    long t = dstOffset;
    for (int d = rank - 1; d >= 0; d--) {
      srcStride[d] = ss;
      dstStride[d] = ds;
      s += srcAt[d] * ss;
      t += dstAt[d] * ds;
      ss *= srcShape[d];
      ds *= dstShape[d];
    }
    int run = Math.toIntExact(runElements * elementSize);
    long[] idx = new long[k];
    while (true) {
      System.arraycopy(src, (int) s, dst, (int) t, run);
      int d = k - 1;
      while (d >= 0 && ++idx[d] == extent[d]) {
        idx[d] = 0;
        s -= (extent[d] - 1) * srcStride[d];
        t -= (extent[d] - 1) * dstStride[d];
        d--;
      }
      if (d < 0) {
        return;
      }
      s += srcStride[d];
      t += dstStride[d];
    }
  }
}
