package io.arraymorph.scan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Translates a {@link DimPredicate} into the {@link Region} of indices it selects in an array of a
 * given shape. AND intersects, OR unites; anything {@link DimPredicate.Unknown} selects every index
 * and marks the region inexact (a superset), so the caller keeps evaluating that condition.
 */
public final class RegionTranslator {
  private final long[] shape;

  /** A translator for arrays of this shape. */
  public RegionTranslator(long[] shape) {
    this.shape = shape.clone();
  }

  /** The region {@code p} selects. */
  public Region translate(DimPredicate p) {
    if (p instanceof DimPredicate.And a) {
      return translate(a.left()).intersect(translate(a.right()));
    } else if (p instanceof DimPredicate.Or o) {
      return translate(o.left()).union(translate(o.right()));
    } else if (p instanceof DimPredicate.All) {
      return Region.all(shape);
    } else if (p instanceof DimPredicate.None) {
      return Region.none(shape);
    } else if (p instanceof DimPredicate.Compare c) {
      return compare(c);
    } else if (p instanceof DimPredicate.In in) {
      return in(in);
    }
    return Region.all(shape).inexact(); // Unknown: a superset, evaluated by the caller
  }

  private Region compare(DimPredicate.Compare c) {
    long x = c.value();
    long[] iv =
        switch (c.op()) {
          case EQ -> new long[] {x, inc(x)};
          case LT -> new long[] {0, x};
          case LE -> new long[] {0, inc(x)};
          case GT -> new long[] {inc(x), Long.MAX_VALUE};
          case GE -> new long[] {x, Long.MAX_VALUE};
        };
    if (c.op() == DimPredicate.Op.GT && x == Long.MAX_VALUE) {
      return Region.none(shape);
    }
    return Region.ofIntervals(shape, c.dim(), List.of(iv));
  }

  private Region in(DimPredicate.In in) {
    long[] values = in.values().clone();
    Arrays.sort(values);
    List<long[]> intervals = new ArrayList<>();
    for (long v : values) {
      long[] last = intervals.isEmpty() ? null : intervals.get(intervals.size() - 1);
      if (last != null && v <= last[1]) {
        last[1] = Math.max(last[1], inc(v));
      } else {
        intervals.add(new long[] {v, inc(v)});
      }
    }
    return Region.ofIntervals(shape, in.dim(), intervals);
  }

  private static long inc(long x) {
    return x == Long.MAX_VALUE ? x : x + 1;
  }
}
