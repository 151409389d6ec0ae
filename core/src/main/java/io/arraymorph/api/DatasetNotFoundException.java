package io.arraymorph.api;

import io.arraymorph.ArrayMorphException;

/** The requested dataset does not exist; the message lists those that do. */
public class DatasetNotFoundException extends ArrayMorphException {
  public DatasetNotFoundException(String message) {
    super(message);
  }
}
