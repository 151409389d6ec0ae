package io.arraymorph.engine;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Bounds the number of asynchronous operations in flight without blocking a thread: operations past
 * the bound wait in a queue and start as earlier ones complete.
 */
public final class AsyncLimiter {
  private final int maxInFlight;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;
  private boolean draining;

  public AsyncLimiter(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  /** Starts {@code operation} now or once a slot frees up; the result completes with it. */
  public <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> operation) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable start =
        () -> {
          CompletableFuture<T> f;
          try {
            f = operation.get();
          } catch (Throwable e) {
            f = CompletableFuture.failedFuture(e);
          }
          // The callback's own future is not kept: result carries the outcome, and completes
          // even if starting the next waiting operations (in release) fails.
          CompletableFuture<?> unused =
              f.whenComplete(
                  (v, e) -> {
                    try {
                      release();
                    } finally {
                      if (e != null) {
                        result.completeExceptionally(e);
                      } else {
                        result.complete(v);
                      }
                    }
                  });
        };
    synchronized (this) {
      waiting.add(start);
    }
    drain();
    return result;
  }

  private void release() {
    synchronized (this) {
      inFlight--;
    }
    drain();
  }

  /**
   * Starts waiting operations while slots are free. One thread drains at a time, in a loop: an
   * operation that completes at once releases its slot without recursing into the next one, so a
   * long queue of such operations cannot overflow the stack.
   */
  private void drain() {
    synchronized (this) {
      if (draining) {
        return;
      }
      draining = true;
    }
    while (true) {
      Runnable next;
      synchronized (this) {
        if (inFlight >= maxInFlight || waiting.isEmpty()) {
          draining = false;
          return;
        }
        next = waiting.poll();
        inFlight++;
      }
      next.run();
    }
  }
}
