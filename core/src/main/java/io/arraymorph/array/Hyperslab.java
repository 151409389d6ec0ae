package io.arraymorph.array;

import java.util.Arrays;

/**
 * An HDF5-style hyperslab: per dimension, {@code count} blocks of {@code block} consecutive
 * indices, the blocks starting {@code stride} apart from {@code start}. The selected elements form
 * an array of shape {@code count[d] * block[d]}.
 */
public final class Hyperslab {
  private final long[] start;
  private final long[] stride;
  private final long[] count;
  private final long[] block;

  /**
   * Creates a hyperslab.
   *
   * @throws IllegalArgumentException when the arrays differ in length, or a start or count is
   *     negative, a block is below 1, or a stride is smaller than its block (blocks would overlap)
   */
  public Hyperslab(long[] start, long[] stride, long[] count, long[] block) {
    int rank = start.length;
    if (stride.length != rank || count.length != rank || block.length != rank) {
      throw new IllegalArgumentException(
          "Hyperslab start, stride, count and block need the same rank");
    }
    for (int d = 0; d < rank; d++) {
      if (start[d] < 0 || count[d] < 0 || block[d] < 1 || stride[d] < block[d]) {
        throw new IllegalArgumentException(
            "Invalid hyperslab in dimension "
                + d
                + ": start="
                + start[d]
                + " stride="
                + stride[d]
                + " count="
                + count[d]
                + " block="
                + block[d]
                + " (need start>=0, count>=0, block>=1, stride>=block)");
      }
    }
    this.start = start.clone();
    this.stride = stride.clone();
    this.count = count.clone();
    this.block = block.clone();
  }

  /** A box of consecutive indices: {@code [start[d], start[d] + shape[d])} in each dimension. */
  public static Hyperslab box(long[] start, long[] shape) {
    int rank = start.length;
    long[] ones = new long[rank];
    Arrays.fill(ones, 1);
    long[] stride = new long[rank];
    for (int d = 0; d < rank; d++) {
      stride[d] = Math.max(1, shape[d]);
    }
    long[] block = stride.clone();
    long[] count = new long[rank];
    for (int d = 0; d < rank; d++) {
      count[d] = shape[d] == 0 ? 0 : 1;
    }
    return new Hyperslab(start, stride, count, block);
  }

  /** The whole of an array of the given shape. */
  public static Hyperslab all(long[] shape) {
    return box(new long[shape.length], shape);
  }

  public int rank() {
    return start.length;
  }

  public long start(int d) {
    return start[d];
  }

  public long stride(int d) {
    return stride[d];
  }

  public long count(int d) {
    return count[d];
  }

  public long block(int d) {
    return block[d];
  }

  /** The shape of the selected elements: {@code count * block} per dimension. */
  public long[] shape() {
    long[] shape = new long[rank()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = count[d] * block[d];
    }
    return shape;
  }

  /** The number of selected elements. */
  public long size() {
    return Shapes.product(shape());
  }

  /**
   * One past the last selected index in dimension {@code d}, or {@code start} when none is
   * selected.
   */
  public long end(int d) {
    return count[d] == 0 ? start[d] : start[d] + (count[d] - 1) * stride[d] + block[d];
  }

  /**
   * Checks that this hyperslab lies inside an array of the given shape.
   *
   * @throws IndexOutOfBoundsException naming the dimension and the bounds when it does not
   */
  public void checkWithin(long[] arrayShape) {
    if (arrayShape.length != rank()) {
      throw new IndexOutOfBoundsException(
          "Selection has rank " + rank() + " but the array has rank " + arrayShape.length);
    }
    for (int d = 0; d < rank(); d++) {
      if (count[d] > 0 && end(d) > arrayShape[d]) {
        throw new IndexOutOfBoundsException(
            "Selection out of bounds in dimension "
                + d
                + ": it reaches index "
                + (end(d) - 1)
                + " but the array has shape "
                + Arrays.toString(arrayShape));
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hyperslab h
        && Arrays.equals(start, h.start)
        && Arrays.equals(stride, h.stride)
        && Arrays.equals(count, h.count)
        && Arrays.equals(block, h.block);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(start) * 31 + Arrays.hashCode(count);
  }

  @Override
  public String toString() {
    return "Hyperslab[start="
        + Arrays.toString(start)
        + ", stride="
        + Arrays.toString(stride)
        + ", count="
        + Arrays.toString(count)
        + ", block="
        + Arrays.toString(block)
        + "]";
  }
}
