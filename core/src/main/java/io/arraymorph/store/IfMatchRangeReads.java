package io.arraymorph.store;

import java.util.concurrent.CompletableFuture;

/**
 * {@link ObjectStore#getRangesIfUnchanged} for stores whose ranged GET takes {@code If-Match} (S3,
 * Azure): every request carries the expected entity tag, so the check costs no request; only a
 * refused read makes a HEAD, to say what changed. Nearby ranges share a request ({@link
 * RangeGroups}).
 */
public final class IfMatchRangeReads {
  private IfMatchRangeReads() {}

  /**
   * A store's ranged GET sent with {@code If-Match: tag}, failing with {@link ConditionFailed} when
   * the store answers 412.
   */
  @FunctionalInterface
  public interface RangeGet {
    /**
     * Reads {@code length} bytes at {@code offset} of the object only if its tag is {@code tag}.
     */
    CompletableFuture<byte[]> get(long offset, int length, String tag);
  }

  /** A store's 412 answer to a ranged GET with {@code If-Match}: another object is at the key. */
  public static final class ConditionFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param status the store's status line, e.g. "412 Precondition Failed"
     */
    public ConditionFailed(String status) {
      super(status, null, false, false);
    }
  }

  /**
   * Reads every range of {@code key} with {@code If-Match} on {@code expected.tag()} (not null),
   * handing each to {@code reader}; fails with {@link ObjectChangedException} when the object is
   * another one or gone.
   */
  public static CompletableFuture<Void> read(
      ObjectStore store,
      String key,
      ObjectInfo expected,
      long[] offsets,
      int[] lengths,
      ObjectStore.RangeReader reader,
      RangeGet get) {
    return RangeGroups.read(offsets, lengths, reader, (o, l) -> get.get(o, l, expected.tag()))
        .exceptionallyCompose(
            error -> {
              Throwable cause = Futures.unwrap(error);
              if (!(cause instanceof ConditionFailed || cause instanceof ObjectNotFoundException)) {
                return CompletableFuture.failedFuture(cause);
              }
              return store
                  .head(key)
                  .thenApply(
                      now -> {
                        ObjectChangedException.check(key, expected, now);
                        // Unchanged by the HEAD yet refused: replaced and restored meanwhile.
                        throw new ObjectChangedException(key, expected, now);
                      });
            });
  }
}
