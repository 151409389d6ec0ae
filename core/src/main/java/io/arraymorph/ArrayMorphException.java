package io.arraymorph;

/**
 * The base of every error ArrayMorph raises; its message names the problem and, where known, the
 * fix.
 */
public class ArrayMorphException extends RuntimeException {
  public ArrayMorphException(String message) {
    super(message);
  }

  public ArrayMorphException(String message, Throwable cause) {
    super(message, cause);
  }
}
