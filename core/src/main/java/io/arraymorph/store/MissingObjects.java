package io.arraymorph.store;

import java.util.concurrent.CompletableFuture;

/** Reads where a missing object is an answer (a chunk never written), not a failure. */
public final class MissingObjects {
  private MissingObjects() {}

  /** The object's bytes, or {@code null} when it does not exist; other failures propagate. */
  public static CompletableFuture<byte[]> getOrNull(ObjectStore store, String key) {
    return orNull(store.get(key));
  }

  /** A byte range of the object, or {@code null} when it does not exist. */
  public static CompletableFuture<byte[]> getRangeOrNull(
      ObjectStore store, String key, long offset, int length) {
    return orNull(store.getRange(key, offset, length));
  }

  private static CompletableFuture<byte[]> orNull(CompletableFuture<byte[]> read) {
    return read.exceptionallyCompose(
        error ->
            Futures.unwrap(error) instanceof ObjectNotFoundException
                ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(error));
  }
}
