package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.memory.MemoryObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Deleting many keys tries every key and names the ones left, whichever way a store sends them. */
class BulkDeleteTest {

  private static List<String> keys(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("k/" + i);
    }
    return out;
  }

  @Test
  void oneByOneTriesEveryKeyAndNamesTheOnesThatFailed() {
    MemoryObjectStore memory = new MemoryObjectStore();
    for (String k : keys(6)) {
      Futures.join(memory.put(k, new byte[] {1}));
    }
    Set<String> refused = Set.of("k/1", "k/4");
    ObjectStore failing =
        new FailingDeletes(memory) {
          @Override
          public CompletableFuture<Void> delete(String key) {
            return refused.contains(key)
                ? CompletableFuture.failedFuture(new StoreException("denied " + key))
                : memory.delete(key);
          }
        };
    StoreException e =
        assertThrows(StoreException.class, () -> Futures.join(failing.deleteAll(keys(6), 2)));
    assertTrue(e.getMessage().startsWith("Could not delete 2 of 6 objects in "), e.getMessage());
    assertTrue(e.getMessage().contains("k/1 (denied k/1)"), e.getMessage());
    assertTrue(e.getMessage().contains("k/4 (denied k/4)"), e.getMessage());
    assertEquals(
        List.of("k/1", "k/4"),
        Futures.join(memory.list("k/")).stream().map(ObjectInfo::key).toList());
  }

  @Test
  void batchesAreCutAtTheBatchSizeAndAFailedBatchNamesItsKeys() {
    AtomicInteger sent = new AtomicInteger();
    List<List<String>> batches = new ArrayList<>();
    BulkDelete.Batch batch =
        part -> {
          sent.incrementAndGet();
          synchronized (batches) {
            batches.add(List.copyOf(part));
          }
          if (part.contains("k/11")) {
            return CompletableFuture.failedFuture(new StoreException("server down"));
          }
          return CompletableFuture.completedFuture(
              part.contains("k/3")
                  ? Map.of("k/3", BulkDelete.Refusal.permanent("AccessDenied: no"))
                  : Map.of());
        };
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                Futures.join(
                    BulkDelete.inBatches(
                        "test store", keys(12), 5, 2, batch, BulkDelete.Retries.NONE)));
    assertEquals(3, sent.get());
    assertEquals(
        List.of(5, 5, 2), batches.stream().map(List::size).sorted((a, b) -> b - a).toList());
    assertTrue(
        e.getMessage().startsWith("Could not delete 3 of 12 objects in test store: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("k/3 (AccessDenied: no)"), e.getMessage());
    assertTrue(e.getMessage().contains("k/10 (server down)"), e.getMessage());
    assertTrue(e.getMessage().contains("k/11 (server down)"), e.getMessage());
    assertInstanceOf(StoreException.class, e.getCause());
  }

  @Test
  void aFailureNamesTenKeysAndCountsTheRest() {
    BulkDelete.Batch batch = part -> CompletableFuture.failedFuture(new StoreException("refused"));
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                Futures.join(
                    BulkDelete.inBatches("s", keys(25), 1000, 1, batch, BulkDelete.Retries.NONE)));
    assertTrue(e.getMessage().contains("k/9 (refused); and 15 more"), e.getMessage());
  }

  private static BulkDelete.Retries retries(
      int max, Set<String> present, Set<String> refusedAlone) {
    return new BulkDelete.Retries(
        max,
        Duration.ofMillis(1),
        Duration.ofMillis(5),
        t -> t.getMessage().contains("cut"),
        key -> {
          if (refusedAlone.contains(key)) {
            return CompletableFuture.failedFuture(new StoreException("403 on " + key));
          }
          present.remove(key);
          return CompletableFuture.completedFuture(null);
        });
  }

  @Test
  void aBatchWhoseAnswerWasCutIsSentAgainAndEveryKeyEndsDeleted() {
    Set<String> present = ConcurrentHashMap.newKeySet();
    present.addAll(keys(7));
    AtomicInteger sent = new AtomicInteger();
    BulkDelete.Batch batch =
        part -> {
          // The first answer is lost after the service deleted the keys: sending them again is
          // safe.
          present.removeAll(part);
          return sent.getAndIncrement() == 0
              ? CompletableFuture.failedFuture(new StoreException("response cut at 6904 bytes"))
              : CompletableFuture.completedFuture(Map.of());
        };
    Futures.join(BulkDelete.inBatches("s", keys(7), 10, 1, batch, retries(3, present, Set.of())));
    assertEquals(2, sent.get());
    assertTrue(present.isEmpty(), present.toString());
  }

  @Test
  void retryableRefusalsAreSentAgainAloneAndPermanentOnesNamed() {
    Set<String> present = ConcurrentHashMap.newKeySet();
    present.addAll(keys(5));
    List<List<String>> batches = new ArrayList<>();
    BulkDelete.Batch batch =
        part -> {
          batches.add(List.copyOf(part));
          Map<String, BulkDelete.Refusal> refused = new java.util.HashMap<>();
          for (String k : part) {
            if (k.equals("k/1") && batches.size() == 1) {
              refused.put(k, new BulkDelete.Refusal("InternalError: try again", true));
            } else if (k.equals("k/3")) {
              refused.put(k, BulkDelete.Refusal.permanent("AccessDenied: no"));
            } else {
              present.remove(k);
            }
          }
          return CompletableFuture.completedFuture(refused);
        };
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                Futures.join(
                    BulkDelete.inBatches(
                        "s", keys(5), 10, 1, batch, retries(3, present, Set.of()))));
    assertEquals(List.of(keys(5), List.of("k/1")), batches);
    assertTrue(e.getMessage().startsWith("Could not delete 1 of 5 objects in s: "), e.getMessage());
    assertTrue(e.getMessage().contains("k/3 (AccessDenied: no)"), e.getMessage());
    assertEquals(Set.of("k/3"), present);
  }

  @Test
  void afterTheRetryBudgetEachKeyLeftGoesAloneAndItsErrorNamesIt() {
    Set<String> present = ConcurrentHashMap.newKeySet();
    present.addAll(keys(6));
    AtomicInteger sent = new AtomicInteger();
    BulkDelete.Batch batch =
        part -> {
          sent.incrementAndGet();
          return CompletableFuture.failedFuture(new StoreException("response cut again"));
        };
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                Futures.join(
                    BulkDelete.inBatches(
                        "s", keys(6), 4, 2, batch, retries(2, present, Set.of("k/5")))));
    // Two batches, each tried once and retried twice, then one DELETE per key.
    assertEquals(6, sent.get());
    assertTrue(e.getMessage().startsWith("Could not delete 1 of 6 objects in s: "), e.getMessage());
    assertTrue(e.getMessage().contains("k/5 (403 on k/5)"), e.getMessage());
    assertEquals(Set.of("k/5"), present);
  }

  @Test
  void aBatchRefusedAsAWholeIsNotRetriedButEachKeyGoesAlone() {
    Set<String> present = ConcurrentHashMap.newKeySet();
    present.addAll(keys(3));
    AtomicInteger sent = new AtomicInteger();
    BulkDelete.Batch batch =
        part -> {
          sent.incrementAndGet();
          return CompletableFuture.failedFuture(new StoreException("batch not allowed"));
        };
    Futures.join(BulkDelete.inBatches("s", keys(3), 10, 1, batch, retries(5, present, Set.of())));
    assertEquals(1, sent.get());
    assertTrue(present.isEmpty(), present.toString());
  }

  /** Forwards everything but delete to a memory store; tests override delete. */
  private abstract static class FailingDeletes extends ForwardingObjectStore {
    FailingDeletes(ObjectStore inner) {
      super(inner);
    }

    @Override
    public abstract CompletableFuture<Void> delete(String key);

    @Override
    public String describe() {
      return "a failing test store";
    }

    @Override
    public void close() {}
  }
}
