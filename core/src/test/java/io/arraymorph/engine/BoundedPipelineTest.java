package io.arraymorph.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BoundedPipelineTest {

  @Test
  void anErrorThrownByTheOperationFailsThePipelineInsteadOfLeavingItWaiting() {
    AssertionError boom = new AssertionError("operation broke");
    CompletableFuture<Void> done =
        BoundedPipeline.run(
            IntStream.range(0, 10).iterator(),
            2,
            i -> {
              if (i == 3) {
                throw boom;
              }
              return CompletableFuture.completedFuture(null);
            });
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> done.get(10, TimeUnit.SECONDS));
    assertSame(boom, e.getCause());
  }

  @Test
  void synchronousOperationsOverAMillionItemsNeedNoDeepStack() {
    LongAdder sum = new LongAdder();
    BoundedPipeline.run(
            IntStream.range(0, 1_000_000).iterator(),
            8,
            i -> {
              sum.add(i);
              return CompletableFuture.completedFuture(null);
            })
        .join();
    assertEquals(999_999L * 1_000_000L / 2, sum.sum());
  }

  @Test
  @SuppressWarnings("FutureReturnValueIgnored") // the scheduled task completes the future
  void neverRunsMoreThanTheWindowAndPullsItemsOnlyAsSlotsFree() {
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger pulled = new AtomicInteger();
    AtomicInteger maxAhead = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    Iterator<Integer> items =
        new Iterator<>() {
          int next;

          @Override
          public boolean hasNext() {
            return next < 300;
          }

          @Override
          public Integer next() {
            pulled.incrementAndGet();
            maxAhead.accumulateAndGet(pulled.get() - completed.get(), Math::max);
            return next++;
          }
        };
    try {
      BoundedPipeline.run(
              items,
              5,
              i -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                CompletableFuture<Void> f = new CompletableFuture<>();
                timer.schedule(
                    () -> {
                      running.decrementAndGet();
                      completed.incrementAndGet();
                      f.complete(null);
                    },
                    i % 3,
                    TimeUnit.MILLISECONDS);
                return f;
              })
          .join();
    } finally {
      timer.shutdown();
    }
    assertEquals(300, completed.get());
    assertTrue(maxRunning.get() <= 5, "max running " + maxRunning.get());
    assertTrue(maxAhead.get() <= 5, "items pulled ahead of completion " + maxAhead.get());
  }

  @Test
  void theFirstFailureFailsTheRunAndStopsPulling() {
    AtomicInteger started = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("chunk 3 is corrupt");
    CompletableFuture<Void> run =
        BoundedPipeline.run(
            IntStream.range(0, 1000).iterator(),
            2,
            i -> {
              started.incrementAndGet();
              return i == 3
                  ? CompletableFuture.failedFuture(boom)
                  : CompletableFuture.completedFuture(null);
            });
    CompletionException e = assertThrows(CompletionException.class, run::join);
    assertSame(boom, e.getCause());
    assertTrue(started.get() <= 5, "started " + started.get());
  }

  @Test
  void noItemsCompletesAtOnce() {
    assertTrue(BoundedPipeline.run(IntStream.range(0, 0).iterator(), 3, i -> null).isDone());
  }

  @Test
  @SuppressWarnings("FutureReturnValueIgnored") // the scheduled task completes the future
  void pipelinesSharingALimiterStayWithinItsOneBoundForRunsAndPulls() {
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);
    AsyncLimiter limiter = new AsyncLimiter(3);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger pulledAhead = new AtomicInteger();
    AtomicInteger maxAhead = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    CompletableFuture<?>[] runs = new CompletableFuture<?>[2];
    try {
      for (int p = 0; p < runs.length; p++) {
        Iterator<Integer> items =
            new Iterator<>() {
              int next;

              @Override
              public boolean hasNext() {
                return next < 100;
              }

              @Override
              public Integer next() {
                maxAhead.accumulateAndGet(pulledAhead.incrementAndGet(), Math::max);
                return next++;
              }
            };
        runs[p] =
            BoundedPipeline.run(
                items,
                limiter,
                i -> {
                  maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                  CompletableFuture<Void> f = new CompletableFuture<>();
                  timer.schedule(
                      () -> {
                        running.decrementAndGet();
                        pulledAhead.decrementAndGet();
                        completed.incrementAndGet();
                        f.complete(null);
                      },
                      1 + i % 2,
                      TimeUnit.MILLISECONDS);
                  return f;
                });
      }
      CompletableFuture.allOf(runs).join();
    } finally {
      timer.shutdown();
    }
    assertEquals(200, completed.get());
    assertEquals(3, maxRunning.get(), "the shared bound is reached but never passed");
    assertTrue(maxAhead.get() <= 3, "items pulled ahead of completion " + maxAhead.get());
  }
}
