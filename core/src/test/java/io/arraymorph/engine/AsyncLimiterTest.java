package io.arraymorph.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {

  @Test
  @SuppressWarnings("FutureReturnValueIgnored") // the scheduled task completes the future
  void neverMoreThanTheLimitInFlightAndAllComplete() throws Exception {
    AsyncLimiter limiter = new AsyncLimiter(3);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    ScheduledExecutorService completer = Executors.newScheduledThreadPool(2);
    try {
      List<CompletableFuture<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        results.add(
            limiter.submit(
                () -> {
                  int now = inFlight.incrementAndGet();
                  maxSeen.accumulateAndGet(now, Math::max);
                  CompletableFuture<Integer> f = new CompletableFuture<>();
                  completer.schedule(
                      () -> {
                        inFlight.decrementAndGet();
                        f.complete(n * 2);
                      },
                      n % 3,
                      TimeUnit.MILLISECONDS);
                  return f;
                }));
      }
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      for (int i = 0; i < results.size(); i++) {
        assertEquals(i * 2, results.get(i).get());
      }
      assertEquals(3, maxSeen.get(), "the limit is reached but never passed");
      assertEquals(0, inFlight.get());
    } finally {
      completer.shutdownNow();
    }
  }

  @Test
  void queuedOperationsStartOnlyWhenASlotFrees() {
    AsyncLimiter limiter = new AsyncLimiter(2);
    List<CompletableFuture<String>> ops = new ArrayList<>();
    AtomicInteger started = new AtomicInteger();
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      CompletableFuture<String> op = new CompletableFuture<>();
      ops.add(op);
      results.add(
          limiter.submit(
              () -> {
                started.incrementAndGet();
                return op;
              }));
    }
    assertEquals(2, started.get());
    ops.get(1).complete("b");
    assertEquals(3, started.get());
    assertEquals("b", results.get(1).join());
    ops.get(0).complete("a");
    ops.get(2).complete("c");
    assertEquals(5, started.get());
    ops.get(3).complete("d");
    ops.get(4).complete("e");
    assertEquals(
        List.of("a", "b", "c", "d", "e"), results.stream().map(CompletableFuture::join).toList());
  }

  @Test
  void failuresPropagateAndFreeTheirSlot() {
    AsyncLimiter limiter = new AsyncLimiter(1);
    IllegalStateException boom = new IllegalStateException("boom");
    CompletableFuture<Object> failed = limiter.submit(() -> CompletableFuture.failedFuture(boom));
    CompletableFuture<Object> thrown =
        limiter.submit(
            () -> {
              throw new IllegalArgumentException("thrown");
            });
    CompletableFuture<String> after = limiter.submit(() -> CompletableFuture.completedFuture("ok"));
    ExecutionException e = assertThrows(ExecutionException.class, failed::get);
    assertSame(boom, e.getCause());
    ExecutionException e2 = assertThrows(ExecutionException.class, thrown::get);
    assertTrue(e2.getCause() instanceof IllegalArgumentException, e2.getCause().toString());
    assertEquals("thrown", e2.getCause().getMessage());
    assertEquals("ok", after.join());
  }

  @Test
  void manySynchronousOperationsQueuedBehindASlowOneAllComplete() throws Exception {
    // A slow first operation holds the only slot while tens of thousands of operations that
    // complete at once (cache hits, memory stores) queue up behind it.
    AsyncLimiter limiter = new AsyncLimiter(1);
    CompletableFuture<Integer> slow = new CompletableFuture<>();
    List<CompletableFuture<Integer>> results = new ArrayList<>();
    results.add(limiter.submit(() -> slow));
    for (int i = 1; i < 50_000; i++) {
      int n = i;
      results.add(limiter.submit(() -> CompletableFuture.completedFuture(n)));
    }
    slow.complete(0);
    CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    for (int i = 0; i < results.size(); i += 997) {
      assertEquals(i, results.get(i).join());
    }
    // The limiter is usable afterwards and its slot is free.
    CompletableFuture<Integer> pending = new CompletableFuture<>();
    CompletableFuture<Integer> next = limiter.submit(() -> pending);
    ConcurrentLinkedQueue<Integer> ran = new ConcurrentLinkedQueue<>();
    CompletableFuture<Integer> queued =
        limiter.submit(
            () -> {
              ran.add(1);
              return CompletableFuture.completedFuture(1);
            });
    assertTrue(ran.isEmpty(), "only one operation may run at a time");
    pending.complete(7);
    assertEquals(7, next.join());
    assertEquals(1, ran.size());
    assertEquals(1, queued.join());
  }

  @Test
  void limitBelowOneIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new AsyncLimiter(0));
    assertTrue(e.getMessage().contains("maxInFlight"), e.getMessage());
  }
}
