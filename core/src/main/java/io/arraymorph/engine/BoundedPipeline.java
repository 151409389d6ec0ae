package io.arraymorph.engine;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs an asynchronous operation over items pulled lazily from an iterator, with at most {@code
 * maxInFlight} running at once. Items are pulled only as slots free up, so memory stays bounded by
 * the window however many items there are; the first failure stops further pulls.
 *
 * <p>One drain loop, entered by whichever thread frees a slot, does all pulling; operations that
 * complete synchronously re-enter it without recursion, so millions of items need no deep stack.
 */
public final class BoundedPipeline<T> {
  private final Iterator<T> items;
  private final Function<T, CompletableFuture<?>> operation;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final AtomicInteger freeSlots;
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicInteger drainRequests = new AtomicInteger();

  private BoundedPipeline(
      Iterator<T> items, int maxInFlight, Function<T, CompletableFuture<?>> operation) {
    this.items = items;
    this.operation = operation;
    this.freeSlots = new AtomicInteger(maxInFlight);
  }

  /** Starts the pipeline; the result completes when every item's operation has. */
  public static <T> CompletableFuture<Void> run(
      Iterator<T> items, int maxInFlight, Function<T, CompletableFuture<?>> operation) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
    }
    BoundedPipeline<T> p = new BoundedPipeline<>(items, maxInFlight, operation);
    p.drain();
    return p.done;
  }

  private void drain() {
    if (drainRequests.getAndIncrement() != 0) {
      return;
    }
    do {
      boolean more = true;
      while (!done.isDone() && freeSlots.get() > 0 && (more = nextOrFail())) {
        freeSlots.decrementAndGet();
        active.incrementAndGet();
        start(items.next());
      }
      if (!more && active.get() == 0) {
        done.complete(null);
      }
    } while (drainRequests.decrementAndGet() != 0);
  }

  private boolean nextOrFail() {
    try {
      return items.hasNext();
    } catch (RuntimeException e) {
      done.completeExceptionally(e);
      return false;
    }
  }

  private void start(T item) {
    CompletableFuture<?> f;
    try {
      f = operation.apply(item);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (v, error) -> {
          if (error != null) {
            done.completeExceptionally(error);
          }
          active.decrementAndGet();
          freeSlots.incrementAndGet();
          drain();
        });
  }
}
