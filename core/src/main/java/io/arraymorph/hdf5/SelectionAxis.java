package io.arraymorph.hdf5;

import java.util.Arrays;

/**
 * One dimension of a virtual dataset's selection: the coordinates it selects along that dimension,
 * in increasing order. Either a regular pattern (HDF5's start, stride, count and block, where count
 * or block may be unlimited until the mapping is resolved against its source) or explicit
 * coordinates (a block list that is a product of per-dimension ranges).
 */
final class SelectionAxis {
  /** HDF5's H5S_UNLIMITED as this class stores it. */
  static final long UNLIMITED = -1;

  private final long start;
  private final long stride;
  private final long block;
  private final boolean unlimitedCount;
  private final long[] coords;
  private final long size;

  private SelectionAxis(
      long start, long stride, long block, boolean unlimitedCount, long[] coords, long size) {
    this.start = start;
    this.stride = stride;
    this.block = block;
    this.unlimitedCount = unlimitedCount;
    this.coords = coords;
    this.size = size;
  }

  /**
   * A regular pattern; {@code count} or {@code block} may be {@link #UNLIMITED} (not both).
   *
   * @throws Hdf5FormatException when the blocks overlap or are empty
   */
  static SelectionAxis regular(long start, long stride, long count, long block, String path) {
    if (start < 0
        || (count == UNLIMITED && block == UNLIMITED)
        || count == 0
        || block == 0
        || (count != UNLIMITED && count < 0)
        || (block != UNLIMITED && block < 0)
        || (count != 1 && block != UNLIMITED && stride < block)
        || (block == UNLIMITED && count != 1)) {
      throw new Hdf5FormatException(
          "A mapping of virtual dataset '"
              + path
              + "' has an invalid hyperslab (start "
              + start
              + ", stride "
              + stride
              + ", count "
              + count
              + ", block "
              + block
              + ")");
    }
    long b = block == UNLIMITED ? Long.MAX_VALUE : block;
    long s = count == 1 ? Long.MAX_VALUE : stride;
    long n = count == UNLIMITED || block == UNLIMITED ? -1 : Math.multiplyExact(count, block);
    return new SelectionAxis(start, s, b, count == UNLIMITED, null, n);
  }

  /** All of a dimension of {@code extent} elements. */
  static SelectionAxis all(long extent) {
    return new SelectionAxis(0, Long.MAX_VALUE, Math.max(1, extent), false, null, extent);
  }

  /** Explicit coordinates, increasing. */
  static SelectionAxis explicit(long[] coords) {
    return new SelectionAxis(0, 0, 0, false, coords.clone(), coords.length);
  }

  /** Whether the count or the block is unlimited and the axis not yet resolved. */
  boolean unlimited() {
    return size < 0;
  }

  /** Whether the count is unlimited (one block per source in a printf-named mapping). */
  boolean unlimitedCount() {
    return unlimitedCount && size < 0;
  }

  /** The number of coordinates selected. */
  long size() {
    if (size < 0) {
      throw new IllegalStateException("unresolved unlimited selection");
    }
    return size;
  }

  /** An unlimited axis clipped to the coordinates below {@code extent} (a source's extent). */
  SelectionAxis clippedTo(long extent) {
    if (!unlimited()) {
      return this;
    }
    long n;
    if (extent <= start) {
      n = 0;
    } else if (unlimitedCount) {
      long full = (extent - start) / stride;
      long rest = (extent - start) % stride;
      n = full * block + Math.min(rest, block);
    } else {
      n = extent - start;
    }
    return new SelectionAxis(start, stride, block, unlimitedCount, null, n);
  }

  /** An unlimited axis limited to its first {@code n} coordinates (its source's count). */
  SelectionAxis firstN(long n) {
    return unlimited() ? new SelectionAxis(start, stride, block, unlimitedCount, null, n) : this;
  }

  /** Block {@code k} alone of an axis with an unlimited count. */
  SelectionAxis block(long k) {
    long first = Math.addExact(start, Math.multiplyExact(k, stride));
    return new SelectionAxis(first, Long.MAX_VALUE, block, false, null, block);
  }

  /** The coordinate of the {@code i}-th selected element. */
  long coord(long i) {
    if (coords != null) {
      return coords[Math.toIntExact(i)];
    }
    return start + (i / block) * stride + i % block;
  }

  /** One past the largest coordinate selected, 0 when none is. */
  long end() {
    return size() == 0 ? 0 : coord(size() - 1) + 1;
  }

  /** Receives one selected element: its index in selection order and its coordinate. */
  interface Visitor {
    void visit(long index, long coord);
  }

  /** Visits, in increasing order, the selected coordinates in {@code [lo, hi)}. */
  void forEachIn(long lo, long hi, Visitor visitor) {
    long n = size();
    if (n == 0 || hi <= lo) {
      return;
    }
    if (coords != null) {
      int from = Arrays.binarySearch(coords, lo);
      for (int i = from < 0 ? -from - 1 : from; i < coords.length && coords[i] < hi; i++) {
        visitor.visit(i, coords[i]);
      }
      return;
    }
    long blocks = n / block + (n % block == 0 ? 0 : 1);
    long firstBlock = 0;
    if (lo > start && blocks > 1) {
      firstBlock = Math.max(0, (lo - start - block + stride) / stride);
    }
    for (long b = firstBlock; b < blocks; b++) {
      long base = start + b * stride;
      if (base >= hi) {
        break;
      }
      long length = Math.min(block, n - b * block);
      for (long j = Math.max(0, lo - base); j < length && base + j < hi; j++) {
        visitor.visit(b * block + j, base + j);
      }
      if (blocks == 1) {
        break;
      }
    }
  }

  @Override
  public String toString() {
    return coords != null
        ? "coords" + Arrays.toString(coords)
        : "start " + start + ", stride " + stride + ", block " + block + ", size " + size;
  }
}
