package io.arraymorph.store;

import io.arraymorph.ArrayMorphException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Helpers for the futures that stores return. */
public final class Futures {
  private Futures() {}

  /** The cause behind the wrappers that futures add. */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * Waits for a future and rethrows its failure as it was raised: an unchecked exception as itself,
   * anything else wrapped in an {@link ArrayMorphException}.
   */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new ArrayMorphException(cause.getMessage(), cause);
    }
  }
}
