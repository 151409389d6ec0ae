package io.arraymorph.manifest;

import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;

/** The values of a granule's 1-d coordinate and their {@code [min, max]}, for the granule table. */
final class CoordinateRanges {
  private CoordinateRanges() {}

  /** {@code [min, max]} of a coordinate's values (NaN skipped), or null when not a coordinate. */
  static double[] of(GranuleVariable v) {
    if (v == null || !v.isCoordinate()) {
      return null;
    }
    NdArray a = values(v);
    double min = Double.NaN;
    double max = Double.NaN;
    for (int i = 0; i < a.size(); i++) {
      double x = a.getDouble(i);
      if (Double.isNaN(x)) {
        continue;
      }
      min = Double.isNaN(min) ? x : Math.min(min, x);
      max = Double.isNaN(max) ? x : Math.max(max, x);
    }
    return new double[] {min, max};
  }

  /** A coordinate's values as an array of its type. */
  static NdArray values(GranuleVariable v) {
    return NdArray.wrap(DataType.fromZarrName(v.dataType()), v.shape(), v.values());
  }
}
