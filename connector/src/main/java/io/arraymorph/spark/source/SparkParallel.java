package io.arraymorph.spark.source;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Applies a function to items on a bounded pool of daemon threads, keeping the items' order. */
final class SparkParallel {
  private SparkParallel() {}

  /**
   * The results of {@code fn} on every item, at most {@code parallelism} at a time; the first
   * failure (in item order) is rethrown.
   */
  static <T, R> List<R> map(List<T> items, int parallelism, Function<T, R> fn) {
    if (items.size() <= 1) {
      return items.stream().map(fn).toList();
    }
    int threads = Math.max(1, Math.min(items.size(), parallelism));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "arraymorph-open");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> fn.apply(item)));
      }
      List<R> out = new ArrayList<>();
      for (Future<R> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while opening files", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
