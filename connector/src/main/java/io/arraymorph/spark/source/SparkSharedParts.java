package io.arraymorph.spark.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the equal parts of many files' {@link SparkArrayInfo} one object (shape, chunk shape,
 * dimension names, fill value, coordinate values and times): Java serialization writes an object
 * once per task and refers back to it after, so a task over hundreds of granules of one grid
 * carries their latitudes once instead of once per file. Values are only shared, never changed.
 */
final class SparkSharedParts {
  private final Map<Key, Object> seen = new HashMap<>();

  /** Equality by class and content (a long[][] and a double[][] of nulls are not one). */
  private record Key(Object value) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && value.getClass() == k.value.getClass()
          && Arrays.deepEquals(new Object[] {value}, new Object[] {k.value});
    }

    @Override
    public int hashCode() {
      return Arrays.deepHashCode(new Object[] {value});
    }
  }

  /** Every file's datasets with their equal parts shared. */
  static List<SparkFileArrays> share(List<SparkFileArrays> files) {
    SparkSharedParts parts = new SparkSharedParts();
    List<SparkFileArrays> out = new ArrayList<>(files.size());
    for (SparkFileArrays f : files) {
      out.add(
          new SparkFileArrays(
              f.location(), f.label(), f.arrays().stream().map(parts::share).toList()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private <T> T one(T value) {
    return value == null ? null : (T) seen.computeIfAbsent(new Key(value), k -> value);
  }

  private long[][] rows(long[][] rows) {
    if (rows == null) {
      return null;
    }
    long[][] out = new long[rows.length][];
    for (int d = 0; d < rows.length; d++) {
      out[d] = one(rows[d]);
    }
    return one(out);
  }

  private double[][] rows(double[][] rows) {
    if (rows == null) {
      return null;
    }
    double[][] out = new double[rows.length][];
    for (int d = 0; d < rows.length; d++) {
      out[d] = one(rows[d]);
    }
    return one(out);
  }

  private SparkArrayInfo share(SparkArrayInfo a) {
    return new SparkArrayInfo(
        one(a.path()),
        one(a.columnName()),
        a.dataType(),
        one(a.shape()),
        one(a.chunkShape()),
        one(a.dimensionNames()),
        one(a.fillValue()),
        a.decoder(),
        rows(a.dimensionTimes()),
        rows(a.dimensionValues()),
        a.valueType(),
        one(a.valueMetadata()),
        a.elementBytes(),
        a.generation(),
        a.ref());
  }
}
