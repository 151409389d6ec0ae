package io.arraymorph.scan;

import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * A monotonic coordinate's every value: conditions become index intervals by binary search (the
 * elements meeting {@code <}, {@code <=}, {@code >} or {@code >=} form a prefix or a suffix, those
 * meeting {@code =} the interval between two such bounds). Repeated values are allowed.
 */
final class SortedCoordinate implements CoordinateIndex {
  private final long[] longs;
  private final double[] doubles;
  private final int n;
  private final boolean ascending;

  private SortedCoordinate(long[] longs, double[] doubles, int n, boolean ascending) {
    this.longs = longs;
    this.doubles = doubles;
    this.n = n;
    this.ascending = ascending;
  }

  static Optional<CoordinateIndex> of(long[] values) {
    Boolean asc = direction(values.length, i -> Long.compare(values[i], values[i + 1]));
    return asc == null
        ? Optional.empty()
        : Optional.of(new SortedCoordinate(values.clone(), null, values.length, asc));
  }

  static Optional<CoordinateIndex> of(double[] values) {
    for (double v : values) {
      if (Double.isNaN(v)) {
        return Optional.empty();
      }
    }
    Boolean asc =
        direction(
            values.length,
            i -> values[i] < values[i + 1] ? -1 : (values[i] > values[i + 1] ? 1 : 0));
    return asc == null
        ? Optional.empty()
        : Optional.of(new SortedCoordinate(null, values.clone(), values.length, asc));
  }

  /** Comparison of element i with element i+1. */
  private interface Step {
    int compare(int i);
  }

  /** True when non-decreasing, false when non-increasing (and not constant), null otherwise. */
  private static Boolean direction(int n, Step step) {
    boolean up = true;
    boolean down = true;
    for (int i = 0; i + 1 < n; i++) {
      int c = step.compare(i);
      up &= c <= 0;
      down &= c >= 0;
    }
    return up ? Boolean.TRUE : (down ? Boolean.FALSE : null);
  }

  @Override
  public long length() {
    return n;
  }

  @Override
  public long[] range(DimPredicate.Op op, Number value) {
    if (CoordinateIndex.isNaN(value)) {
      return new long[] {0, n}; // SQL orders NaN above every number: keep all, the engine decides
    }
    if (ascending) {
      int lt = prefix(i -> cmp(i, value) < 0);
      int le = prefix(i -> cmp(i, value) <= 0);
      return switch (op) {
        case EQ -> new long[] {lt, le};
        case LT -> new long[] {0, lt};
        case LE -> new long[] {0, le};
        case GT -> new long[] {le, n};
        case GE -> new long[] {lt, n};
      };
    }
    int gt = prefix(i -> cmp(i, value) > 0);
    int ge = prefix(i -> cmp(i, value) >= 0);
    return switch (op) {
      case EQ -> new long[] {gt, ge};
      case GT -> new long[] {0, gt};
      case GE -> new long[] {0, ge};
      case LT -> new long[] {ge, n};
      case LE -> new long[] {gt, n};
    };
  }

  private int cmp(int i, Number value) {
    return CoordinateIndex.compare(longs != null ? (Number) longs[i] : (Number) doubles[i], value);
  }

  /** The length of the prefix where {@code holds} is true (it is true on a prefix only). */
  private int prefix(IntPredicate holds) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (holds.test(mid)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
