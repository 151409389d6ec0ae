package io.arraymorph.fuzz;

import io.arraymorph.ArrayMorphException;

/**
 * What hostile input may legitimately raise: a clear ArrayMorph or argument error, nothing else.
 */
final class Hostile {
  private Hostile() {}

  /** Rethrows {@code t} unless it is an expected rejection of bad input. */
  static void expected(RuntimeException t) {
    if (t instanceof ArrayMorphException
        || t instanceof IllegalArgumentException
        || t instanceof IndexOutOfBoundsException
        || t instanceof UnsupportedOperationException) {
      if (t.getMessage() == null || t.getMessage().isBlank()) {
        throw new AssertionError("rejection without a message", t);
      }
      return;
    }
    throw t;
  }
}
