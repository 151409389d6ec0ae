package io.arraymorph.scan;

/**
 * A coordinate known only by its smallest and largest value: a condition selects every index when
 * some value in {@code [min, max]} could meet it, else none (file pruning from recorded ranges).
 */
record CoordinateBounds(long length, Number min, Number max) implements CoordinateIndex {

  CoordinateBounds {
    if (CoordinateIndex.isNaN(min) || CoordinateIndex.isNaN(max)) {
      throw new IllegalArgumentException("Coordinate bounds cannot be NaN: " + min + ", " + max);
    }
  }

  @Override
  public long[] range(DimPredicate.Op op, Number value) {
    if (CoordinateIndex.isNaN(value) || length == 0) {
      return new long[] {0, length};
    }
    int lo = CoordinateIndex.compare(min, value);
    int hi = CoordinateIndex.compare(max, value);
    boolean some =
        switch (op) {
          case EQ -> lo <= 0 && hi >= 0;
          case LT -> lo < 0;
          case LE -> lo <= 0;
          case GT -> hi > 0;
          case GE -> hi >= 0;
        };
    return new long[] {0, some ? length : 0};
  }
}
