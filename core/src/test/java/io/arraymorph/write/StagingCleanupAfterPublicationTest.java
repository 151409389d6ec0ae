package io.arraymorph.write;

import static io.arraymorph.testing.InterruptedWriteContract.base;
import static io.arraymorph.testing.InterruptedWriteContract.block;
import static io.arraymorph.testing.InterruptedWriteContract.leftovers;
import static io.arraymorph.testing.InterruptedWriteContract.withBlock;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.WriterLock;
import io.arraymorph.zarr.ZarrArrayMetadata;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A write whose staging prefix cannot be deleted after its stable metadata was written has
 * committed: it reports success (a failed write would be retried and written twice), readers see
 * the new version, and {@code repairAll} removes the leftover staging without touching data. A
 * writer lock that cannot be released after publication leaves the write succeeded too. Before
 * publication, the same failure keeps the write failing and the previous version readable.
 */
class StagingCleanupAfterPublicationTest {
  @TempDir Path dir;

  private Supplier<ObjectStore> backing(String kind) {
    if (kind.equals("memory")) {
      MemoryObjectStore memory = new MemoryObjectStore();
      return () -> memory;
    }
    Path root = dir.resolve("store");
    return () -> new LocalObjectStore(root);
  }

  /** {@code target} with every bulk delete of staging keys failing, as a cut response would. */
  private static ObjectStore failingStagingDeletes(ObjectStore target, AtomicInteger refused) {
    return (ObjectStore)
        Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("deleteAll")
                  && ((Collection<?>) args[0])
                      .stream().anyMatch(k -> k.toString().startsWith(DatasetWrite.STAGING_ROOT))) {
                refused.incrementAndGet();
                return CompletableFuture.failedFuture(
                    new StoreException("injected: the DELETE batch response was cut"));
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** {@code target} with every delete of a writer lock failing, as a dropped connection would. */
  private static ObjectStore failingLockReleases(ObjectStore target, AtomicInteger refused) {
    return (ObjectStore)
        Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("delete")
                  && args[0].toString().startsWith(WriterLock.ROOT)) {
                refused.incrementAndGet();
                return CompletableFuture.failedFuture(
                    new StoreException("injected: the lock's DELETE was cut"));
              }
              try {
                return method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static boolean hasJournal(List<String> keys) {
    return keys.stream().anyMatch(PublicationJournal::isJournalKey);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "local"})
  void aJavaApiWriteWhoseCleanupFailsAfterPublicationSucceedsAndRepairRemovesItsStaging(
      String kind) {
    Supplier<ObjectStore> loc = backing(kind);
    double[] after;
    try (ArrayStore store = ArrayStore.on(loc.get(), 4)) {
      after = withBlock(base(store));
    }
    AtomicInteger refused = new AtomicInteger();
    try (ArrayStore failing = ArrayStore.on(failingStagingDeletes(loc.get(), refused), 4)) {
      failing.dataset("g/v").write(new long[] {1, 2}, block());
    }
    assertEquals(1, refused.get());
    try (ArrayStore store = ArrayStore.on(loc.get(), 4)) {
      assertArrayEquals(after, store.dataset("g/v").read().toDoubleArray());
      assertFalse(store.dataset("g/v").publishing());
      List<String> left = leftovers(store.objectStore());
      assertTrue(hasJournal(left), left.toString());
      assertTrue(left.size() > 1, "staged chunks are left too: " + left);

      List<String> skipped = new ArrayList<>();
      List<PublicationRepair.Result> results = store.repairAll(skipped);
      assertEquals(List.of(), skipped);
      assertEquals(1, results.size(), results.toString());
      assertEquals(PublicationRepair.Outcome.CLEANED, results.get(0).outcome());
      assertEquals(List.of(), leftovers(store.objectStore()));
      assertArrayEquals(after, store.dataset("g/v").read().toDoubleArray());
    }
  }

  private static WriteRequest overwrite2x2() {
    return new WriteRequest(
        "g/v",
        WriteMode.OVERWRITE,
        2,
        DataType.FLOAT64,
        null,
        -1,
        null,
        new int[] {2, 2},
        new long[] {2, 2},
        null,
        null);
  }

  private static DatasetWrite.Written write2x2(DatasetWrite write, ObjectStore os, double[] v) {
    TaskWriter task = write.openTask(os, 4);
    task.writeRegion(new long[] {0, 0}, NdArray.of(v, 2, 2));
    task.finish();
    return new DatasetWrite.Written(task.writtenChunks(), new long[] {1, 1});
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "local"})
  void datasetWriteRunReturnsThePublishedVersionWhenOnlyItsCleanupFails(String kind) {
    Supplier<ObjectStore> loc = backing(kind);
    long before;
    try (ArrayStore store = ArrayStore.on(loc.get(), 4)) {
      base(store);
      before = store.dataset("g/v").generation();
    }
    AtomicInteger refused = new AtomicInteger();
    double[] v = {1, 2, 3, 4};
    ZarrArrayMetadata published;
    try (ArrayStore failing = ArrayStore.on(failingStagingDeletes(loc.get(), refused), 4)) {
      ObjectStore os = failing.objectStore();
      DatasetWrite w = DatasetWrite.plan(failing, "cleanup-job", overwrite2x2());
      published = w.run(failing, Duration.ofMinutes(1), write -> write2x2(write, os, v));
    }
    assertEquals(1, refused.get());
    try (ArrayStore store = ArrayStore.on(loc.get(), 4)) {
      assertArrayEquals(v, store.dataset("g/v").read().toDoubleArray(), 0.0);
      long now = store.dataset("g/v").generation();
      assertEquals(Publication.generationOf(published), now);
      assertTrue(now != before, "a new generation was published");
      assertTrue(hasJournal(leftovers(store.objectStore())));
      List<PublicationRepair.Result> results = store.repairAll(new ArrayList<>());
      assertEquals(PublicationRepair.Outcome.CLEANED, results.get(0).outcome());
      assertEquals("cleanup-job", results.get(0).job());
      assertEquals(List.of(), leftovers(store.objectStore()));
      assertArrayEquals(v, store.dataset("g/v").read().toDoubleArray(), 0.0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "local"})
  void aLockThatCannotBeReleasedAfterPublicationLeavesTheWriteSucceeded(String kind) {
    Supplier<ObjectStore> loc = backing(kind);
    try (ArrayStore store = ArrayStore.on(loc.get(), 4)) {
      base(store);
    }
    AtomicInteger refused = new AtomicInteger();
    double[] v = {5, 6, 7, 8};
    ZarrArrayMetadata published;
    try (ArrayStore failing = ArrayStore.on(failingLockReleases(loc.get(), refused), 4)) {
      ObjectStore os = failing.objectStore();
      DatasetWrite w = DatasetWrite.plan(failing, "lock-left-job", overwrite2x2());
      published = w.run(failing, Duration.ofMinutes(1), write -> write2x2(write, os, v));
    }
    assertEquals(1, refused.get());
    try (ArrayStore store = ArrayStore.on(loc.get(), 4)) {
      assertArrayEquals(v, store.dataset("g/v").read().toDoubleArray(), 0.0);
      assertEquals(Publication.generationOf(published), store.dataset("g/v").generation());
      assertFalse(store.dataset("g/v").publishing());
      // The staging went; the lock stays (until its lease ends) and refuses the next writer.
      assertEquals(List.of(WriterLock.keyOf("g/v")), leftovers(store.objectStore()));
      ConcurrentWriteException next =
          assertThrows(
              ConcurrentWriteException.class,
              () -> store.dataset("g/v").write(new long[] {0, 0}, NdArray.of(v, 2, 2)));
      assertTrue(next.getMessage().contains("lock-left-job"), next.getMessage());
      assertArrayEquals(v, store.dataset("g/v").read().toDoubleArray(), 0.0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "local"})
  void beforePublicationTheWriteStillFailsAndThePreviousVersionStays(String kind) {
    Supplier<ObjectStore> loc = backing(kind);
    double[] before;
    try (ArrayStore store = ArrayStore.on(loc.get(), 4)) {
      before = base(store);
    }
    AtomicInteger refused = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("the job's tasks failed");
    try (ArrayStore failing = ArrayStore.on(failingStagingDeletes(loc.get(), refused), 4)) {
      ObjectStore os = failing.objectStore();
      DatasetWrite w = DatasetWrite.plan(failing, "failed-job", overwrite2x2());
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  w.run(
                      failing,
                      Duration.ofMinutes(1),
                      write -> {
                        write2x2(write, os, new double[] {9, 9, 9, 9});
                        throw boom;
                      }));
      assertSame(boom, e);
      assertEquals(1, e.getSuppressed().length, "the failed cleanup is attached");
    }
    assertEquals(1, refused.get());
    try (ArrayStore store = ArrayStore.on(loc.get(), 4)) {
      assertArrayEquals(before, store.dataset("g/v").read().toDoubleArray());
      assertFalse(store.dataset("g/v").publishing());
    }
  }
}
