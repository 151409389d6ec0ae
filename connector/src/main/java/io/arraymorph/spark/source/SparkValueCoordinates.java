package io.arraymorph.spark.source;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.CoordinateLookup;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.cf.CfEncoding;
import java.util.Optional;

/**
 * With option {@code coordinate_values}: the values of the numeric CF coordinate variables of a
 * dataset's dimensions (e.g. {@code lat}, {@code lon}), found as {@link SparkTimeCoordinates} finds
 * time coordinates, read on the driver and decoded (packing unpacked) to doubles. A coordinate with
 * missing values, or stored as uint64, keeps an index column; stored NaNs are kept (such a
 * coordinate is not monotonic, so filters on it are left to Spark alone).
 */
final class SparkValueCoordinates {
  private SparkValueCoordinates() {}

  /** Per dimension, the coordinate's values, or null (no coordinate, or a time: {@code times}). */
  static double[][] of(ArrayStore store, Dataset ds, DatasetRef ref, long[][] times) {
    double[][] out = new double[ds.shape().length][];
    CoordinateLookup lookup = new CoordinateLookup(store, ref);
    for (int d = 0; d < out.length; d++) {
      if (times[d] != null) {
        continue;
      }
      Optional<Dataset> coord = SparkTimeCoordinates.coordinate(lookup, ds, d);
      if (coord.isPresent()) {
        out[d] = values(coord.get());
      }
    }
    return out;
  }

  private static double[] values(Dataset coord) {
    if (coord.dataType() == DataType.UINT64) {
      return null;
    }
    CfEncoding cf;
    try {
      cf = CfEncoding.of(coord.attributes(), coord.dataType());
    } catch (IllegalArgumentException e) {
      return null; // reported when the coordinate itself is read; the dimension keeps its index
    }
    if (cf.decoded() == CfEncoding.Decoded.TIMESTAMP
        || cf.decoded() == CfEncoding.Decoded.DATE_STRING) {
      return null; // a time in a model calendar: not a number to compare with
    }
    SparkCfDecoder decoder = new SparkCfDecoder(cf);
    NdArray raw = coord.read();
    int n = Math.toIntExact(coord.shape()[0]);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      Object v = decoder.value(raw.bytes(), i);
      if (!(v instanceof Number num)) {
        return null; // missing (or not a number): keep the index
      }
      out[i] = num.doubleValue();
    }
    return out;
  }
}
