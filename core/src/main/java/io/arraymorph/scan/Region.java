package io.arraymorph.scan;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of array indices as a union of disjoint boxes {@code [lo[d], hi[d])}. Filters on dimension
 * columns translate into regions; planning reads only the chunks the boxes overlap.
 */
public final class Region implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Beyond this many boxes a region is replaced by its bounding box (a superset). */
  static final int MAX_BOXES = 4096;

  private final long[] shape;
  private final List<Box> boxes;
  private final boolean exact;

  private Region(long[] shape, List<Box> boxes, boolean exact) {
    this.shape = shape;
    this.boxes = boxes;
    this.exact = exact;
  }

  /** Every index of an array of this shape. */
  public static Region all(long[] shape) {
    Box b = new Box(new long[shape.length], shape.clone());
    return new Region(shape, b.isEmpty() ? List.of() : List.of(b), true);
  }

  /** No index at all. */
  public static Region none(long[] shape) {
    return new Region(shape, List.of(), true);
  }

  /** Every index whose coordinate in {@code dim} lies in one of the sorted, disjoint intervals. */
  public static Region ofIntervals(long[] shape, int dim, List<long[]> intervals) {
    List<Box> out = new ArrayList<>();
    for (long[] iv : intervals) {
      long lo = Math.max(0, iv[0]);
      long hi = Math.min(shape[dim], iv[1]);
      if (lo < hi) {
        long[] l = new long[shape.length];
        long[] h = shape.clone();
        l[dim] = lo;
        h[dim] = hi;
        out.add(new Box(l, h));
      }
    }
    return new Region(shape, out, true).capped();
  }

  /** Marks the region as a superset of what the filter selects. */
  public Region inexact() {
    return new Region(shape, boxes, false);
  }

  /** Whether the region selects exactly what its filter selects. */
  public boolean isExact() {
    return exact;
  }

  public List<Box> boxes() {
    return boxes;
  }

  /** The number of indices in the region. */
  public long size() {
    long n = 0;
    for (Box b : boxes) {
      n += b.size();
    }
    return n;
  }

  public Region intersect(Region other) {
    List<Box> out = new ArrayList<>();
    for (Box a : boxes) {
      for (Box b : other.boxes) {
        Box c = a.intersect(b);
        if (!c.isEmpty()) {
          out.add(c);
        }
      }
    }
    return new Region(shape, out, exact && other.exact).capped();
  }

  public Region union(Region other) {
    List<Box> out = new ArrayList<>(boxes);
    List<Box> add = other.boxes;
    for (Box mine : boxes) {
      List<Box> rest = new ArrayList<>();
      for (Box b : add) {
        rest.addAll(b.minus(mine));
      }
      add = rest;
      if (add.size() > MAX_BOXES) {
        return new Region(shape, List.of(bounds(boxes, other.boxes)), false);
      }
    }
    out.addAll(add);
    return new Region(shape, out, exact && other.exact).capped();
  }

  private Region capped() {
    if (boxes.size() <= MAX_BOXES) {
      return this;
    }
    return new Region(shape, List.of(bounds(boxes, List.of())), false);
  }

  private Box bounds(List<Box> a, List<Box> b) {
    long[] lo = shape.clone();
    long[] hi = new long[shape.length];
    List<Box> all = new ArrayList<>(a);
    all.addAll(b);
    for (Box x : all) {
      for (int d = 0; d < shape.length; d++) {
        lo[d] = Math.min(lo[d], x.lo[d]);
        hi[d] = Math.max(hi[d], x.hi[d]);
      }
    }
    return new Box(lo, hi);
  }

  @Override
  public String toString() {
    if (boxes.size() > 4) {
      return boxes.size() + " boxes, " + size() + " indices";
    }
    return boxes.toString();
  }

  /** The indices {@code [lo[d], hi[d])} in every dimension. */
  public record Box(long[] lo, long[] hi) implements Serializable {
    public boolean isEmpty() {
      for (int d = 0; d < lo.length; d++) {
        if (lo[d] >= hi[d]) {
          return true;
        }
      }
      return false;
    }

    public long size() {
      if (isEmpty()) {
        return 0;
      }
      long n = 1;
      for (int d = 0; d < lo.length; d++) {
        n = Math.multiplyExact(n, hi[d] - lo[d]);
      }
      return n;
    }

    public long[] shape() {
      long[] s = new long[lo.length];
      for (int d = 0; d < s.length; d++) {
        s[d] = Math.max(0, hi[d] - lo[d]);
      }
      return s;
    }

    Box intersect(Box o) {
      long[] l = new long[lo.length];
      long[] h = new long[lo.length];
      for (int d = 0; d < l.length; d++) {
        l[d] = Math.max(lo[d], o.lo[d]);
        h[d] = Math.min(hi[d], o.hi[d]);
      }
      return new Box(l, h);
    }

    /** This box without {@code o}, as up to 2 x rank disjoint boxes. */
    List<Box> minus(Box o) {
      Box inter = intersect(o);
      if (inter.isEmpty()) {
        return List.of(this);
      }
      List<Box> out = new ArrayList<>();
      long[] l = lo.clone();
      long[] h = hi.clone();
      for (int d = 0; d < lo.length; d++) {
        if (l[d] < inter.lo[d]) {
          long[] bh = h.clone();
          bh[d] = inter.lo[d];
          out.add(new Box(l.clone(), bh));
        }
        if (inter.hi[d] < h[d]) {
          long[] bl = l.clone();
          bl[d] = inter.hi[d];
          out.add(new Box(bl, h.clone()));
        }
        l[d] = inter.lo[d];
        h[d] = inter.hi[d];
      }
      return out;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("[");
      for (int d = 0; d < lo.length; d++) {
        sb.append(d == 0 ? "" : ", ").append(lo[d]).append(':').append(hi[d]);
      }
      return sb.append(']').toString();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Box b && Arrays.equals(lo, b.lo) && Arrays.equals(hi, b.hi);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(lo) * 31 + Arrays.hashCode(hi);
    }
  }
}
