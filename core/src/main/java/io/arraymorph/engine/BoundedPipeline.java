package io.arraymorph.engine;

import io.arraymorph.store.Futures;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs an asynchronous operation over items pulled lazily from an iterator, each holding one slot
 * of an {@link AsyncLimiter} while it runs: an item is pulled only once a slot is granted, so the
 * limiter is the one bound on both operations in flight and items pulled ahead (memory stays
 * bounded however many items there are), also when other work shares the limiter. The first failure
 * stops further pulls.
 *
 * <p>At most one request for a slot is queued at the limiter at a time (each granted slot queues
 * the next), so the iterator is read by one thread at a time; operations that complete
 * synchronously re-enter the limiter's drain loop without recursion, so millions of items need no
 * deep stack.
 */
public final class BoundedPipeline<T> {
  private final Iterator<T> items;
  private final AsyncLimiter limiter;
  private final Function<T, CompletableFuture<?>> operation;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final AtomicInteger active = new AtomicInteger();
  private volatile boolean exhausted;

  private BoundedPipeline(
      Iterator<T> items, AsyncLimiter limiter, Function<T, CompletableFuture<?>> operation) {
    this.items = items;
    this.limiter = limiter;
    this.operation = operation;
  }

  /**
   * Starts the pipeline with its own bound of {@code maxInFlight}; the result completes when every
   * item's operation has.
   */
  public static <T> CompletableFuture<Void> run(
      Iterator<T> items, int maxInFlight, Function<T, CompletableFuture<?>> operation) {
    return run(items, new AsyncLimiter(maxInFlight), operation);
  }

  /**
   * Starts the pipeline under {@code limiter}, which other work may share; the result completes
   * when every item's operation has.
   */
  public static <T> CompletableFuture<Void> run(
      Iterator<T> items, AsyncLimiter limiter, Function<T, CompletableFuture<?>> operation) {
    BoundedPipeline<T> p = new BoundedPipeline<>(items, limiter, operation);
    p.requestSlot();
    return p.done;
  }

  /** Queues for the next slot; once granted, pulls one item and runs it in that slot. */
  private void requestSlot() {
    // An item's outcome reaches done in pullAndStart; the slot's future fails on its own only when
    // pullAndStart threw past its catches (an Error from the iterator or the operation): end the
    // pipeline with that failure rather than leave its caller waiting forever.
    limiter
        .submit(this::pullAndStart)
        .exceptionally(
            e -> {
              done.completeExceptionally(Futures.unwrap(e));
              return null;
            });
  }

  private CompletableFuture<?> pullAndStart() {
    if (done.isDone()) {
      return CompletableFuture.completedFuture(null);
    }
    T item;
    try {
      if (!items.hasNext()) {
        exhausted = true;
        completeIfIdle();
        return CompletableFuture.completedFuture(null);
      }
      item = items.next();
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      return CompletableFuture.completedFuture(null);
    }
    active.incrementAndGet();
    requestSlot();
    CompletableFuture<?> f;
    try {
      f = operation.apply(item);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.whenComplete(
        (v, error) -> {
          if (error != null) {
            done.completeExceptionally(error);
          }
          active.decrementAndGet();
          completeIfIdle();
        });
  }

  private void completeIfIdle() {
    if (exhausted && active.get() == 0) {
      done.complete(null);
    }
  }
}
