package io.arraymorph.cli;

import io.arraymorph.ArrayMorphException;

/** A selection that does not fit the array it is applied to: exit code 1, not a usage error. */
public class SelectionException extends ArrayMorphException {
  public SelectionException(String message) {
    super(message);
  }
}
