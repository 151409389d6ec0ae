package io.arraymorph.store;

import io.arraymorph.engine.AsyncLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Deletes many keys as {@link ObjectStore#deleteAll} promises: in batches of a store's batch call
 * (or one key per request), a bounded number in flight, every key tried, and one failure at the end
 * naming the keys left and why.
 *
 * <p>A batch's answer is one response for many keys, and the HTTP clients' retry policies do not
 * cover a response cut while its body is read; with {@link Retries} a failed batch and the keys a
 * batch refused retryably are sent again, then each key left goes as its own DELETE. Deleting is
 * idempotent and a missing key counts as deleted, so sending a key again is always safe.
 */
public final class BulkDelete {
  /** Keys a failure message names; the rest are counted. */
  static final int KEYS_NAMED = 10;

  private BulkDelete() {}

  /**
   * Why a batch did not delete one key.
   *
   * @param reason what the service answered for the key (never holds a secret)
   * @param retryable whether asking again may succeed (throttling, an internal error)
   */
  public record Refusal(String reason, boolean retryable) {
    /** A refusal that asking again would not change (access denied, a bad key). */
    public static Refusal permanent(String reason) {
      return new Refusal(reason, false);
    }
  }

  /**
   * One batch request of a store: completes with the keys it could not delete and why (empty when
   * all went), or fails as a whole.
   */
  @FunctionalInterface
  public interface Batch {
    /** Deletes {@code keys}; the map holds the keys left and why. */
    CompletableFuture<Map<String, Refusal>> send(List<String> keys);
  }

  /**
   * How a store's batches are sent again. A batch that failed as a whole with a {@code retryable}
   * failure (a cut response, 5xx, a timeout), and the keys a batch refused retryably, are sent
   * again up to {@code maxRetries} times after an exponential backoff from {@code firstDelay}
   * (capped at {@code maxDelay}, with jitter); whatever is left then, or after a failure that is
   * not retryable, goes one key per request through {@code oneKey}, whose errors name their key.
   */
  public record Retries(
      int maxRetries,
      Duration firstDelay,
      Duration maxDelay,
      Predicate<Throwable> retryable,
      Function<String, CompletableFuture<Void>> oneKey) {
    /** No second try: each failure is reported as it came. */
    public static final Retries NONE =
        new Retries(0, Duration.ZERO, Duration.ZERO, t -> false, null);

    /** The wait before try {@code retry} (1 = the first retry): half fixed, half random. */
    Duration delay(int retry) {
      long full = firstDelay.toMillis() << Math.min(20, retry - 1);
      long capped = Math.min(maxDelay.toMillis(), full);
      return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }
  }

  /** Each key its own {@link ObjectStore#delete}, at most {@code maxInFlight} at once. */
  public static CompletableFuture<Void> oneByOne(
      ObjectStore store, Collection<String> keys, int maxInFlight) {
    return inBatches(
        store.describe(),
        keys,
        1,
        maxInFlight,
        batch -> store.delete(batch.get(0)).thenApply(v -> Map.of()),
        Retries.NONE);
  }

  /**
   * {@code keys} cut into batches of at most {@code batchSize}, each sent by {@code batch} (and
   * sent again as {@code retries} says), at most {@code maxInFlight} batches at once.
   *
   * @param where the store, for the failure's message (never holds a secret)
   */
  public static CompletableFuture<Void> inBatches(
      String where,
      Collection<String> keys,
      int batchSize,
      int maxInFlight,
      Batch batch,
      Retries retries) {
    AsyncLimiter limiter = new AsyncLimiter(Math.max(1, maxInFlight));
    List<String> all = List.copyOf(keys);
    List<Throwable> causes = new ArrayList<>();
    Sender sender = new Sender(batch, retries, Math.max(1, maxInFlight), causes);
    List<CompletableFuture<Map<String, String>>> sent = new ArrayList<>();
    for (int from = 0; from < all.size(); from += batchSize) {
      List<String> part = all.subList(from, Math.min(all.size(), from + batchSize));
      sent.add(limiter.submit(() -> sender.send(part, 0)));
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              Map<String, String> failed = new LinkedHashMap<>();
              for (CompletableFuture<Map<String, String>> f : sent) {
                failed.putAll(f.join());
              }
              if (!failed.isEmpty()) {
                Throwable cause;
                synchronized (causes) {
                  cause = causes.isEmpty() ? null : causes.get(0);
                }
                throw failure(where, all.size(), failed, cause);
              }
              return null;
            });
  }

  /** Sends one batch and its retries; completes with the keys left and why, never fails. */
  private record Sender(Batch batch, Retries retries, int maxInFlight, List<Throwable> causes) {

    // handle(...).thenCompose(f -> f) composes on success and failure alike: the nested future
    // is flattened at once, nothing is ignored.
    @SuppressWarnings("FutureReturnValueIgnored")
    CompletableFuture<Map<String, String>> send(List<String> keys, int retry) {
      CompletableFuture<Map<String, Refusal>> answer;
      try {
        answer = batch.send(keys);
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      return answer
          .handle(
              (refused, failure) ->
                  failure == null
                      ? settle(refused, retry)
                      : whole(keys, Futures.unwrap(failure), retry))
          .thenCompose(f -> f);
    }

    /** The batch failed as a whole: every key may or may not be gone. */
    private CompletableFuture<Map<String, String>> whole(
        List<String> keys, Throwable cause, int retry) {
      if (retry < retries.maxRetries() && retries.retryable().test(cause)) {
        return later(retry + 1, () -> send(keys, retry + 1));
      }
      if (retries.oneKey() != null) {
        return eachAlone(keys);
      }
      remember(cause);
      Map<String, String> each = new LinkedHashMap<>();
      for (String k : keys) {
        each.put(k, String.valueOf(cause.getMessage()));
      }
      return CompletableFuture.completedFuture(each);
    }

    /** The batch answered: keys refused for good are reported, retryable ones tried again. */
    private CompletableFuture<Map<String, String>> settle(Map<String, Refusal> refused, int retry) {
      Map<String, String> failed = new LinkedHashMap<>();
      List<String> again = new ArrayList<>();
      refused.forEach(
          (key, why) -> {
            if (why.retryable()) {
              again.add(key);
            } else {
              failed.put(key, why.reason());
            }
          });
      if (again.isEmpty()) {
        return CompletableFuture.completedFuture(failed);
      }
      CompletableFuture<Map<String, String>> rest;
      if (retry < retries.maxRetries()) {
        rest = later(retry + 1, () -> send(again, retry + 1));
      } else if (retries.oneKey() != null) {
        rest = eachAlone(again);
      } else {
        Map<String, String> left = new LinkedHashMap<>();
        again.forEach(k -> left.put(k, refused.get(k).reason()));
        rest = CompletableFuture.completedFuture(left);
      }
      return rest.thenApply(
          left -> {
            failed.putAll(left);
            return failed;
          });
    }

    /** One DELETE per key, at most {@code maxInFlight} at once; each error names its key. */
    private CompletableFuture<Map<String, String>> eachAlone(List<String> keys) {
      AsyncLimiter limiter = new AsyncLimiter(maxInFlight);
      Map<String, String> failed = new LinkedHashMap<>();
      List<CompletableFuture<Void>> deletes = new ArrayList<>();
      for (String k : keys) {
        deletes.add(
            limiter
                .submit(() -> retries.oneKey().apply(k))
                .handle(
                    (v, failure) -> {
                      if (failure != null) {
                        Throwable cause = Futures.unwrap(failure);
                        remember(cause);
                        synchronized (failed) {
                          failed.put(k, String.valueOf(cause.getMessage()));
                        }
                      }
                      return null;
                    }));
      }
      return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new))
          .thenApply(
              v -> {
                synchronized (failed) {
                  return new LinkedHashMap<>(failed);
                }
              });
    }

    private CompletableFuture<Map<String, String>> later(
        int retry, Supplier<CompletableFuture<Map<String, String>>> next) {
      long ms = retries.delay(retry).toMillis();
      return CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS))
          .thenCompose(v -> next.get());
    }

    private void remember(Throwable cause) {
      synchronized (causes) {
        causes.add(cause);
      }
    }
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
