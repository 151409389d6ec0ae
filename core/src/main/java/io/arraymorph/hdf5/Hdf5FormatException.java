package io.arraymorph.hdf5;

import io.arraymorph.ArrayMorphException;

/** The bytes are not a readable HDF5 file: not HDF5 at all, truncated, or corrupted. */
public class Hdf5FormatException extends ArrayMorphException {
  public Hdf5FormatException(String message) {
    super(message);
  }

  public Hdf5FormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
