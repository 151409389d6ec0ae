package io.arraymorph.scan;

import java.util.Optional;

/**
 * What a read knows of the values of one dimension's coordinate variable (in one file, or one part
 * of a collection): enough to turn a condition on coordinate values into the index interval that
 * may satisfy it. An interval may be a superset of the matching indices, never a subset, so the
 * engine still evaluates the condition and no matching element is lost.
 *
 * <p>{@link #sorted(long[])} and {@link #sorted(double[])} know every value of a monotonic
 * (increasing or decreasing) coordinate and give exact intervals by binary search; {@link #bounds}
 * knows only the smallest and largest value (what a manifest's per-file coordinate ranges record)
 * and gives the whole dimension or nothing, which is enough to prune a file.
 *
 * <p>Values compare as SQL does: timestamps (microseconds since the epoch) as {@link Long}s
 * exactly, other values as {@link Double}s ({@code -0.0 = 0.0}); a float32 coordinate compares as
 * its exact double widening, so equality matches the coordinate value as stored and a value not in
 * the array selects nothing.
 */
public interface CoordinateIndex {

  /** The dimension's length. */
  long length();

  /**
   * The indices {@code [lo, hi)} whose coordinate may satisfy {@code coordinate <op> value}; {@code
   * lo == hi} when none can.
   */
  long[] range(DimPredicate.Op op, Number value);

  /**
   * The index of a monotonic coordinate of timestamps or integers, or empty when the values are not
   * monotonic (then conditions on them select every index).
   */
  static Optional<CoordinateIndex> sorted(long[] values) {
    return SortedCoordinate.of(values);
  }

  /**
   * The index of a monotonic floating coordinate, or empty when the values are not monotonic or
   * hold a NaN (a missing or fill value decoded to NaN makes binary search meaningless).
   */
  static Optional<CoordinateIndex> sorted(double[] values) {
    return SortedCoordinate.of(values);
  }

  /**
   * An index that knows only the coordinate's smallest and largest value over {@code length}
   * elements: a condition no value in {@code [min, max]} can meet selects nothing, any other
   * selects every index.
   */
  static CoordinateIndex bounds(long length, Number min, Number max) {
    return new CoordinateBounds(length, min, max);
  }

  /**
   * Compares two coordinate values as SQL does: longs exactly, doubles by value ({@code -0.0 ==
   * 0.0}), a long against a double exactly. Neither may be NaN.
   */
  static int compare(Number a, Number b) {
    if (a instanceof Long x && b instanceof Long y) {
      return Long.compare(x, y);
    }
    if (!(a instanceof Long) && !(b instanceof Long)) {
      double x = a.doubleValue();
      double y = b.doubleValue();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    // A long against a double: exact, since a double may not hold every long.
    return exact(a).compareTo(exact(b));
  }

  private static java.math.BigDecimal exact(Number v) {
    if (v instanceof Long l) {
      return java.math.BigDecimal.valueOf(l);
    }
    double d = v.doubleValue();
    if (Double.isInfinite(d)) {
      // Beyond every long: a stand-in larger in magnitude than any long.
      return java.math.BigDecimal.valueOf(d > 0 ? 1 : -1).scaleByPowerOfTen(400);
    }
    return new java.math.BigDecimal(d);
  }

  /** Whether {@code v} is a floating NaN (it compares with nothing; conditions on it keep all). */
  static boolean isNaN(Number v) {
    return (v instanceof Double d && d.isNaN()) || (v instanceof Float f && f.isNaN());
  }
}
