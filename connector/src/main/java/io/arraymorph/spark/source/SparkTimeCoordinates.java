package io.arraymorph.spark.source;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.CoordinateLookup;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.NdArray;
import io.arraymorph.cf.CfEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Finds the CF time coordinate variables of a dataset's dimensions: for a dimension named {@code
 * n}, a one-dimensional variable {@code n} of the same length in the dataset's group or an ancestor
 * group ({@link CoordinateLookup}) whose units are {@code "<unit> since <date>"}. Its values are
 * read on the driver (coordinates are small) and decoded to timestamps.
 */
final class SparkTimeCoordinates {
  private SparkTimeCoordinates() {}

  /** Per dimension, the coordinate's timestamps in microseconds, or null. */
  static long[][] of(ArrayStore store, Dataset ds, DatasetRef ref) {
    long[][] out = new long[ds.shape().length][];
    CoordinateLookup lookup = new CoordinateLookup(store, ref);
    for (int d = 0; d < out.length; d++) {
      Optional<Dataset> coord = coordinate(lookup, ds, d);
      if (coord.isPresent()) {
        out[d] = timestamps(coord.get());
      }
    }
    return out;
  }

  /**
   * The coordinate variable of dimension {@code d}: a numeric 1-D variable named like the
   * dimension, of its length; empty for unnamed dimensions and a coordinate read as itself.
   */
  static Optional<Dataset> coordinate(CoordinateLookup lookup, Dataset ds, int d) {
    long[] shape = ds.shape();
    String column = ds.path().substring(ds.path().lastIndexOf('/') + 1);
    String name = d < ds.dimensionNames().size() ? ds.dimensionNames().get(d) : null;
    if (name == null || name.isBlank() || name.equals(column) || name.contains("/")) {
      return Optional.empty(); // a coordinate variable read as itself keeps an index dimension
    }
    if (name.equals("dim_" + d)) {
      return Optional.empty(); // the name formats give an unnamed dimension: nothing to look for
    }
    Optional<Dataset> coord = lookup.find(name);
    if (coord.isEmpty()
        || SparkValueColumns.isValues(coord.get())
        || coord.get().shape().length != 1
        || coord.get().shape()[0] != shape[d]) {
      return Optional.empty();
    }
    return coord;
  }

  /** The coordinate's values as timestamps, or null when it is not a time or has missing values. */
  private static long[] timestamps(Dataset coord) {
    CfEncoding cf;
    try {
      cf = CfEncoding.of(coord.attributes(), coord.dataType());
    } catch (IllegalArgumentException e) {
      return null; // reported when the coordinate itself is read; the dimension keeps its index
    }
    if (cf.decoded() != CfEncoding.Decoded.TIMESTAMP) {
      return null;
    }
    SparkCfDecoder decoder = new SparkCfDecoder(cf);
    NdArray values = coord.read();
    int n = Math.toIntExact(coord.shape()[0]);
    long[] out = new long[n];
    ByteBuffer b = ByteBuffer.wrap(values.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      if (decoder.value(values.bytes(), i) == null) {
        return null;
      }
      out[i] = decoder.micros(b, i);
    }
    return out;
  }
}
