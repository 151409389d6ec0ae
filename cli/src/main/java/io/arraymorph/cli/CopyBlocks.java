package io.arraymorph.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Splits an array into blocks aligned to a destination chunk grid, each within a byte budget: a
 * copy reads one block from the source and writes it as whole destination chunks, so memory stays
 * bounded and no chunk is read back. Blocks are grown from the last dimension (contiguous rows
 * first) and, where the budget allows, to a common multiple of the source's chunks so that each
 * source chunk is fetched once.
 */
final class CopyBlocks implements Iterable<long[]> {
  private final long[] shape;
  private final long[] block;

  CopyBlocks(long[] shape, int[] destChunks, int[] sourceChunks, int elementSize, long budget) {
    this.shape = shape.clone();
    int rank = shape.length;
    block = new long[rank];
    for (int d = 0; d < rank; d++) {
      block[d] = clip(destChunks[d], shape[d]);
    }
    // Cover whole source chunks where it fits: per dimension, the least common multiple.
    for (int d = rank - 1; d >= 0; d--) {
      long lcm = lcm(destChunks[d], sourceChunks[d]);
      long[] trial = block.clone();
      trial[d] = clip(lcm, roundUp(shape[d], destChunks[d]));
      if (bytes(trial, elementSize) <= budget) {
        block[d] = trial[d];
      }
    }
    // Then grow by whole destination chunks, last dimension first.
    for (int d = rank - 1; d >= 0; d--) {
      long full = roundUp(shape[d], block[d]);
      long perUnit = bytes(block, elementSize);
      long units = Math.max(1, budget / Math.max(1, perUnit));
      long maxUnits = Math.max(1, full / Math.max(1, block[d]));
      long take = Math.min(units, maxUnits);
      block[d] *= take;
      if (take < maxUnits) {
        break;
      }
    }
  }

  private static long clip(long extent, long max) {
    return Math.max(1, Math.min(extent, Math.max(1, max)));
  }

  private static long roundUp(long n, long unit) {
    return unit <= 0 ? n : ((n + unit - 1) / unit) * unit;
  }

  private static long lcm(long a, long b) {
    long x = a;
    long y = b;
    while (y != 0) {
      long t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }

  private static long bytes(long[] extent, int elementSize) {
    long n = elementSize;
    for (long e : extent) {
      n = Math.multiplyExact(n, e);
    }
    return n;
  }

  /** The block extents (before clipping at the array's edge). */
  long[] blockShape() {
    return block.clone();
  }

  /** The number of blocks. */
  long count() {
    long n = 1;
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] == 0) {
        return 0;
      }
      n *= (shape[d] + block[d] - 1) / block[d];
    }
    return n;
  }

  /** The extent of the block starting at {@code origin}, clipped at the array's edge. */
  long[] extent(long[] origin) {
    long[] e = new long[shape.length];
    for (int d = 0; d < e.length; d++) {
      e[d] = Math.min(block[d], shape[d] - origin[d]);
    }
    return e;
  }

  /** Block origins in row-major order. */
  @Override
  public Iterator<long[]> iterator() {
    return new Iterator<>() {
      private long[] next = count() == 0 ? null : new long[shape.length];

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public long[] next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        long[] current = next.clone();
        int d = shape.length - 1;
        while (d >= 0) {
          next[d] += block[d];
          if (next[d] < shape[d]) {
            break;
          }
          next[d] = 0;
          d--;
        }
        if (d < 0) {
          next = null;
        }
        return current;
      }
    };
  }

  @Override
  public String toString() {
    return "CopyBlocks" + Arrays.toString(block);
  }
}
