package io.arraymorph.array;

import java.util.Arrays;

/** Small arithmetic on shapes. */
public final class Shapes {
  private Shapes() {}

  /**
   * The product of the extents.
   *
   * @throws ArithmeticException when it overflows a long
   */
  public static long product(long[] shape) {
    long p = 1;
    for (long s : shape) {
      p = Math.multiplyExact(p, s);
    }
    return p;
  }

  /** The product of the extents. */
  public static long product(int[] shape) {
    long p = 1;
    for (int s : shape) {
      p = Math.multiplyExact(p, (long) s);
    }
    return p;
  }

  /** Row-major (C order) strides in elements. */
  public static long[] strides(long[] shape) {
    long[] strides = new long[shape.length];
    long s = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[d] = s;
      s = Math.multiplyExact(s, shape[d]);
    }
    return strides;
  }

  /** Widens an int shape. */
  public static long[] toLong(int[] shape) {
    return Arrays.stream(shape).asLongStream().toArray();
  }

  /**
   * Narrows a shape whose element count must fit one Java array.
   *
   * @throws IllegalArgumentException when it holds more than {@code Integer.MAX_VALUE - 8} elements
   */
  public static int checkedIntSize(long[] shape, int elementSize) {
    long bytes;
    try {
      bytes = Math.multiplyExact(product(shape), (long) elementSize);
    } catch (ArithmeticException e) {
      bytes = Long.MAX_VALUE;
    }
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "A selection of shape "
              + Arrays.toString(shape)
              + " needs "
              + bytes
              + " bytes, more than one buffer holds (2 GiB); read it in smaller slices");
    }
    return (int) bytes;
  }
}
