package io.arraymorph.write;

import static io.arraymorph.testing.InterruptedWriteContract.base;
import static io.arraymorph.testing.InterruptedWriteContract.block;
import static io.arraymorph.testing.InterruptedWriteContract.leftovers;
import static io.arraymorph.testing.InterruptedWriteContract.withBlock;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.InterruptedPublicationException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import io.arraymorph.testing.FaultyObjectStore;
import io.arraymorph.zarr.WriterLock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Repairs of a write interrupted after its publishing mark, on the memory and local stores: the
 * next write finishes it first, a live writer's lock is respected, and a publication whose staged
 * chunks are gone is refused (only an overwrite proceeds). Every value is checked. The failure at
 * every step is {@link io.arraymorph.testing.InterruptedWriteContract}'s.
 */
class PublicationRepairTest {
  @TempDir Path dir;

  private int fresh;

  /** A new empty location of the given kind: each call of the supplier opens it again. */
  private Supplier<ObjectStore> backing(String kind) {
    if (kind.equals("memory")) {
      MemoryObjectStore memory = new MemoryObjectStore();
      return () -> memory;
    }
    Path root = dir.resolve("store-" + fresh++);
    return () -> new LocalObjectStore(root);
  }

  /** Fails the write's first copy: the metadata then says publishing. */
  private static int firstCopyStep(Supplier<ObjectStore> backing) {
    FaultyObjectStore faulty = new FaultyObjectStore(backing.get());
    try (ArrayStore store = ArrayStore.on(faulty.store(), 4)) {
      base(store);
      int[] at = {-1};
      // Count mutations up to the first copy by failing each in turn on a scratch store is slow;
      // instead record the position of the first copy of a successful write.
      faulty.failMutation(Integer.MAX_VALUE);
      ObjectStore recording =
          (ObjectStore)
              java.lang.reflect.Proxy.newProxyInstance(
                  ObjectStore.class.getClassLoader(),
                  new Class<?>[] {ObjectStore.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("copy") && at[0] < 0) {
                      at[0] = faulty.mutations() + 1;
                    }
                    try {
                      return method.invoke(faulty.store(), args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      try (ArrayStore s = ArrayStore.on(recording, 4)) {
        s.dataset("g/v").write(new long[] {1, 2}, block());
      }
      return at[0];
    }
  }

  private double[] interruptedAtFirstCopy(Supplier<ObjectStore> os, int step) {
    double[] before;
    try (ArrayStore store = ArrayStore.on(os.get(), 4)) {
      before = base(store);
    }
    FaultyObjectStore faulty = new FaultyObjectStore(os.get());
    faulty.failMutation(step);
    try (ArrayStore failing = ArrayStore.on(faulty.store(), 4)) {
      InterruptedPublicationException e =
          assertThrows(
              InterruptedPublicationException.class,
              () -> failing.dataset("g/v").write(new long[] {1, 2}, block()));
      assertTrue(e.getMessage().contains("failed part-way"), e.getMessage());
      assertTrue(e.getMessage().contains("arraymorph repair"), e.getMessage());
    }
    return before;
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "local"})
  void theNextWriteFinishesAnInterruptedPublicationBeforeWriting(String kind) {
    int step = firstCopyStep(backing(kind));
    Supplier<ObjectStore> loc = backing(kind);
    double[] after = withBlock(interruptedAtFirstCopy(loc, step));
    try (ArrayStore store = ArrayStore.on(loc.get(), 4)) {
      ObjectStore os = store.objectStore();
      store.dataset("g/v").write(new long[] {5, 5}, NdArray.of(new double[] {7}, 1, 1));
      after[35] = 7;
      assertArrayEquals(after, store.dataset("g/v").read().toDoubleArray());
      assertEquals(List.of(), leftovers(os));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "local"})
  void aRepairDoesNotBreakALiveWritersLock(String kind) {
    int step = firstCopyStep(backing(kind));
    Supplier<ObjectStore> loc = backing(kind);
    double[] after = withBlock(interruptedAtFirstCopy(loc, step));
    try (ArrayStore store = ArrayStore.on(loc.get(), 4)) {
      ObjectStore os = store.objectStore();
      try (WriterLock live = WriterLock.acquire(os, "g/v", "live-job", Duration.ofMinutes(5))) {
        ConcurrentWriteException e =
            assertThrows(ConcurrentWriteException.class, () -> store.repair("g/v"));
        assertTrue(e.getMessage().contains("live-job"), e.getMessage());
        // Readers wait for a live writer rather than call the publication interrupted.
        assertTrue(store.dataset("g/v").publishing());
        assertTrue(store.dataset("g/v").interruptedPublication().isEmpty());
      }
      assertEquals(PublicationRepair.Outcome.ROLLED_FORWARD, store.repair("g/v").outcome());
      assertArrayEquals(after, store.dataset("g/v").read().toDoubleArray());
      assertEquals(
          PublicationRepair.Outcome.NOTHING_TO_DO, store.repair("g/v").outcome(), "idempotent");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "local"})
  void aPublicationWhoseStagedChunksAreGoneIsRefusedAndOnlyAnOverwriteProceeds(String kind) {
    int step = firstCopyStep(backing(kind));
    Supplier<ObjectStore> loc = backing(kind);
    interruptedAtFirstCopy(loc, step);
    ObjectStore os = loc.get();
    for (ObjectInfo o : Futures.join(os.list(DatasetWrite.STAGING_ROOT + "/"))) {
      if (!PublicationJournal.isJournalKey(o.key())) {
        Futures.join(os.delete(o.key()));
      }
    }
    try (ArrayStore store = ArrayStore.on(os, 4)) {
      InterruptedPublicationException e =
          assertThrows(InterruptedPublicationException.class, () -> store.repair("g/v"));
      assertTrue(e.getMessage().contains("cannot be repaired"), e.getMessage());
      assertTrue(e.getMessage().contains("staged chunks are missing"), e.getMessage());
      assertTrue(e.getMessage().contains("mode overwrite"), e.getMessage());
      assertThrows(InterruptedPublicationException.class, () -> store.dataset("g/v").read());
      // An append would mix versions: refused before anything is written.
      assertThrows(
          InterruptedPublicationException.class,
          () -> store.dataset("g/v").write(new long[] {0, 0}, NdArray.of(new double[] {1}, 1, 1)));
      // An overwrite replaces every chunk: allowed, and leaves one whole version.
      DatasetWrite w =
          DatasetWrite.plan(
              store,
              "overwrite-job",
              new WriteRequest(
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
                  null));
      w.run(
          store,
          Duration.ofMinutes(1),
          write -> {
            TaskWriter task = write.openTask(os, 4);
            task.writeRegion(new long[] {0, 0}, NdArray.of(new double[] {1, 2, 3, 4}, 2, 2));
            task.finish();
            return new DatasetWrite.Written(task.writtenChunks(), new long[] {1, 1});
          });
      assertArrayEquals(
          new double[] {1, 2, 3, 4}, store.dataset("g/v").read().toDoubleArray(), 0.0);
      List<String> skipped = new ArrayList<>();
      store.repairAll(skipped);
      assertEquals(List.of(), leftovers(os));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "local"})
  void repairAllReportsAPublishingDatasetWithNoJournalAndChangesNothing(String kind) {
    int step = firstCopyStep(backing(kind));
    Supplier<ObjectStore> loc = backing(kind);
    interruptedAtFirstCopy(loc, step);
    ObjectStore os = loc.get();
    for (ObjectInfo o : Futures.join(os.list(DatasetWrite.STAGING_ROOT + "/"))) {
      Futures.join(os.delete(o.key()));
    }
    List<String> before = Futures.join(os.list("")).stream().map(ObjectInfo::key).toList();
    try (ArrayStore store = ArrayStore.on(os, 4)) {
      List<String> skipped = new ArrayList<>();
      List<PublicationRepair.Result> results = store.repairAll(skipped);
      assertEquals(List.of(), skipped);
      assertEquals(1, results.size(), String.valueOf(results));
      PublicationRepair.Result r = results.get(0);
      assertEquals("g/v", r.path());
      assertEquals(PublicationRepair.Outcome.UNREPAIRABLE, r.outcome());
      assertTrue(r.reason().contains("publication journal"), r.reason());
      assertTrue(r.reason().contains("mode overwrite"), r.reason());
      assertTrue(r.job() != null, "the job the metadata names");
      assertEquals(before, Futures.join(os.list("")).stream().map(ObjectInfo::key).toList());
      assertThrows(InterruptedPublicationException.class, () -> store.dataset("g/v").read());
    }
  }
}
