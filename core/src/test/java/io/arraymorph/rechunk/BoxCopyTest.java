package io.arraymorph.rechunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BoxCopyTest {
  /** Element by element, what {@link BoxCopy#copy} must do. */
  private static void reference(
      byte[] src,
      long[] srcShape,
      long[] srcAt,
      byte[] dst,
      long[] dstShape,
      long[] dstAt,
      long[] extent,
      int size) {
    int rank = extent.length;
    long total = 1;
    for (long e : extent) {
      total *= e;
    }
    long[] idx = new long[rank];
    for (long n = 0; n < total; n++) {
      long rest = n;
      for (int d = rank - 1; d >= 0; d--) {
        idx[d] = rest % extent[d];
        rest /= extent[d];
      }
      long s = 0;
      long t = 0;
      for (int d = 0; d < rank; d++) {
        s = s * srcShape[d] + srcAt[d] + idx[d];
        t = t * dstShape[d] + dstAt[d] + idx[d];
      }
      System.arraycopy(src, (int) (s * size), dst, (int) (t * size), size);
    }
  }

  @Test
  void randomBoxesBetweenRandomShapesMatchAnElementByElementCopy() {
    Random r = new Random(16);
    for (int trial = 0; trial < 2000; trial++) {
      int rank = 1 + r.nextInt(4);
      int size = 1 << r.nextInt(4);
      long[] extent = new long[rank];
      long[] srcShape = new long[rank];
      long[] dstShape = new long[rank];
      long[] srcAt = new long[rank];
      long[] dstAt = new long[rank];
      for (int d = 0; d < rank; d++) {
        extent[d] = 1L + r.nextInt(5);
        // Often exactly the extent, so trailing dimensions merge into longer runs.
        srcAt[d] = r.nextBoolean() ? 0 : r.nextInt(3);
        dstAt[d] = r.nextBoolean() ? 0 : r.nextInt(3);
        srcShape[d] = srcAt[d] + extent[d] + (r.nextBoolean() ? 0 : r.nextInt(3));
        dstShape[d] = dstAt[d] + extent[d] + (r.nextBoolean() ? 0 : r.nextInt(3));
      }
      byte[] src = new byte[(int) (count(srcShape) * size)];
      r.nextBytes(src);
      byte[] expected = new byte[(int) (count(dstShape) * size)];
      r.nextBytes(expected);
      byte[] actual = expected.clone();
      reference(src, srcShape, srcAt, expected, dstShape, dstAt, extent, size);
      BoxCopy.copy(src, srcShape, srcAt, actual, dstShape, dstAt, extent, size);
      assertArrayEquals(expected, actual, "trial " + trial);
    }
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }
}
