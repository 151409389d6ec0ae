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
  private final ThreadLocal<ArrayDeque<Runnable>> trampoline = new ThreadLocal<>();
  private int inFlight;

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
          } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
          }
          f.whenComplete(
              (v, e) -> {
                release();
                if (e != null) {
                  result.completeExceptionally(e);
                } else {
                  result.complete(v);
                }
              });
        };
    boolean runNow;
    synchronized (this) {
      runNow = inFlight < maxInFlight;
      if (runNow) {
        inFlight++;
      } else {
        waiting.add(start);
      }
    }
    if (runNow) {
      run(start);
    }
    return result;
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) {
        inFlight--;
      }
    }
    if (next != null) {
      run(next);
    }
  }

  /**
   * Runs a start without nesting: when operations complete synchronously (memory stores, chunks
   * never written), each completion would start the next queued operation from inside its callback,
   * one stack level per operation, until a StackOverflowError that CompletableFuture swallows
   * leaves the read hanging. Starts requested from inside a start run in a loop on the outermost
   * one instead.
   */
  private void run(Runnable start) {
    ArrayDeque<Runnable> pending = trampoline.get();
    if (pending != null) {
      pending.add(start);
      return;
    }
    pending = new ArrayDeque<>();
    trampoline.set(pending);
    try {
      for (Runnable r = start; r != null; r = pending.poll()) {
        r.run();
      }
    } finally {
      trampoline.remove();
    }
  }
}
