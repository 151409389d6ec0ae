package io.arraymorph.hdf5;

import io.arraymorph.ArrayMorphException;

/**
 * A valid HDF5 file uses a feature this reader does not implement (an external link, a filter with
 * no decoder, a reference or opaque type, ...). The message names the feature and the path.
 */
public final class Hdf5UnsupportedException extends ArrayMorphException {
  private final String feature;
  private final String path;

  public Hdf5UnsupportedException(String feature, String path) {
    this(feature, path, null);
  }

  public Hdf5UnsupportedException(String feature, String path, Throwable cause) {
    this(feature, path, null, cause);
  }

  /** With {@code detail} appended to the message, e.g. where the feature was met. */
  public Hdf5UnsupportedException(String feature, String path, String detail, Throwable cause) {
    super(
        "Unsupported HDF5 feature '"
            + feature
            + "' at '"
            + path
            + "'"
            + (detail == null ? "" : " (" + detail + ")"),
        cause);
    this.feature = feature;
    this.path = path;
  }

  /** The feature, e.g. {@code external link} or {@code reference type}. */
  public String feature() {
    return feature;
  }

  /** The dataset or link path that uses it. */
  public String path() {
    return path;
  }
}
