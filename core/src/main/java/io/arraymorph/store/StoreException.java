package io.arraymorph.store;

import io.arraymorph.ArrayMorphException;

/** A failure talking to an object store. */
public class StoreException extends ArrayMorphException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
