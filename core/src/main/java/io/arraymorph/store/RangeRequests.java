package io.arraymorph.store;

import java.util.concurrent.CompletableFuture;

/** Argument rules and the zero-length case of {@link ObjectStore#getRange}, shared by stores. */
public final class RangeRequests {
  private RangeRequests() {}

  /**
   * Checks a range's arguments.
   *
   * @throws IllegalArgumentException naming the key when the offset or length is negative
   */
  public static void check(String key, long offset, int length) {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "Invalid range of '" + key + "': offset " + offset + ", length " + length);
    }
  }

  /**
   * The answer to a zero-length range: no bytes when the object exists (HTTP cannot express an
   * empty range), {@link ObjectNotFoundException} when it does not.
   */
  public static CompletableFuture<byte[]> empty(ObjectStore store, String key) {
    return store
        .head(key)
        .thenApply(
            info -> {
              if (info.isEmpty()) {
                throw new ObjectNotFoundException(key);
              }
              return new byte[0];
            });
  }
}
