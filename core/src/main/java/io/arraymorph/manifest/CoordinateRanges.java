package io.arraymorph.manifest;

import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * The record coordinate among {@code names}: the root's {@code rec}, else the least nested
   * sub-group's (a collection whose variables all sit in a group, e.g. {@code PRODUCT/time}), else
   * null.
   */
  static String recordCoordinate(Iterable<String> names, String rec) {
    String best = null;
    for (String n : names) {
      if (n.equals(rec)) {
        return n;
      }
      if (n.endsWith("/" + rec) && (best == null || depth(n) < depth(best))) {
        best = n;
      }
    }
    return best;
  }

  /** The values of {@code g}'s record coordinate ({@link #recordCoordinate}), or null. */
  static GranuleVariable recordCoordinate(GranuleIndex g, String rec) {
    List<String> names = new ArrayList<>();
    g.variables().stream().filter(GranuleVariable::isCoordinate).forEach(v -> names.add(v.name()));
    String name = recordCoordinate(names, rec);
    return name == null ? null : g.variable(name);
  }

  private static long depth(String name) {
    return name.chars().filter(c -> c == '/').count();
  }

  /** A coordinate's values as an array of its type. */
  static NdArray values(GranuleVariable v) {
    return NdArray.wrap(DataType.fromZarrName(v.dataType()), v.shape(), v.values());
  }
}
