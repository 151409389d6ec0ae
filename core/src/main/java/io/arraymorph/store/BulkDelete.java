package io.arraymorph.store;

import io.arraymorph.engine.AsyncLimiter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Deletes many keys as {@link ObjectStore#deleteAll} promises: in batches of a store's batch call
 * (or one key per request), a bounded number in flight, every key tried, and one failure at the end
 * naming the keys left and why.
 */
public final class BulkDelete {
  /** Keys a failure message names; the rest are counted. */
  static final int KEYS_NAMED = 10;

  private BulkDelete() {}

  /**
   * One batch request of a store: completes with the keys it could not delete and why (empty when
   * all went), or fails as a whole.
   */
  @FunctionalInterface
  public interface Batch {
    /** Deletes {@code keys}; the map holds the keys left and why. */
    CompletableFuture<Map<String, String>> send(List<String> keys);
  }

  /** Each key its own {@link ObjectStore#delete}, at most {@code maxInFlight} at once. */
  public static CompletableFuture<Void> oneByOne(
      ObjectStore store, Collection<String> keys, int maxInFlight) {
    return inBatches(
        store.describe(),
        keys,
        1,
        maxInFlight,
        batch -> store.delete(batch.get(0)).thenApply(v -> Map.of()));
  }

  /**
   * {@code keys} cut into batches of at most {@code batchSize}, each sent by {@code batch}, at most
   * {@code maxInFlight} batches at once.
   *
   * @param where the store, for the failure's message (never holds a secret)
   */
  public static CompletableFuture<Void> inBatches(
      String where, Collection<String> keys, int batchSize, int maxInFlight, Batch batch) {
    AsyncLimiter limiter = new AsyncLimiter(Math.max(1, maxInFlight));
    List<String> all = List.copyOf(keys);
    List<CompletableFuture<Map<String, String>>> sent = new ArrayList<>();
    List<Throwable> causes = new ArrayList<>();
    for (int from = 0; from < all.size(); from += batchSize) {
      List<String> part = all.subList(from, Math.min(all.size(), from + batchSize));
      sent.add(
          limiter
              .submit(() -> batch.send(part))
              .handle(
                  (failed, failure) -> {
                    if (failure == null) {
                      return failed;
                    }
                    Throwable cause = Futures.unwrap(failure);
                    synchronized (causes) {
                      causes.add(cause);
                    }
                    Map<String, String> each = new LinkedHashMap<>();
                    for (String k : part) {
                      each.put(k, String.valueOf(cause.getMessage()));
                    }
                    return each;
                  }));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              Map<String, String> failed = new LinkedHashMap<>();
              for (CompletableFuture<Map<String, String>> f : sent) {
                failed.putAll(f.join());
              }
              if (!failed.isEmpty()) {
                throw failure(where, all.size(), failed, causes.isEmpty() ? null : causes.get(0));
              }
              return null;
            });
  }

  private static StoreException failure(
      String where, int total, Map<String, String> failed, Throwable cause) {
    StringBuilder m =
        new StringBuilder("Could not delete ")
            .append(failed.size())
            .append(" of ")
            .append(total)
            .append(" objects in ")
            .append(where)
            .append(": ");
    int named = 0;
    for (Map.Entry<String, String> e : failed.entrySet()) {
      if (named == KEYS_NAMED) {
        m.append("; and ").append(failed.size() - named).append(" more");
        break;
      }
      m.append(named == 0 ? "" : "; ").append(e.getKey()).append(" (").append(e.getValue());
      m.append(')');
      named++;
    }
    m.append(". The other objects were deleted; deleting the same keys again is safe");
    return cause == null
        ? new StoreException(m.toString())
        : new StoreException(m.toString(), cause);
  }
}
