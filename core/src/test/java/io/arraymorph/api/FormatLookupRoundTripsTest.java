package io.arraymorph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.ForwardingObjectStore;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Looking up a node that is not Zarr v3 asks the other formats at once: on a cloud store each
 * sequential request is a round trip, and a write plans by looking up paths that do not exist yet.
 */
class FormatLookupRoundTripsTest {
  @Test
  void aMissingNodeCostsTwoRoundTripsToFindAndToCheck() {
    SlowStore slow = new SlowStore(new MemoryObjectStore());
    try (ArrayStore store = ArrayStore.on(slow, 4)) {
      assertTrue(store.findDataset("a/missing").isEmpty());
      assertEquals(List.of("a/missing/zarr.json"), slow.waves.get(0));
      assertEquals(
          List.of("a/missing/.zarray", "a/missing/meta", "a/missing/.zgroup"),
          slow.waves.get(1).stream().sorted(FormatLookupRoundTripsTest::byFormat).toList());
      assertEquals(2, slow.waves.size(), "round trips: " + slow.waves);

      slow.waves.clear();
      assertFalse(store.exists("a/missing"));
      assertEquals(2, slow.waves.size(), "round trips: " + slow.waves);
      assertEquals(3, slow.waves.get(1).size(), "asked at once: " + slow.waves);
    }
  }

  @Test
  void theFirstFormatInPrecedenceStillWinsWhenSeveralAreFound() {
    MemoryObjectStore objects = new MemoryObjectStore();
    byte[] zarray =
        ("{\"zarr_format\":2,\"shape\":[4],\"chunks\":[4],\"dtype\":\"<i2\",\"compressor\":null,"
                + "\"fill_value\":7,\"order\":\"C\",\"filters\":null}")
            .getBytes(StandardCharsets.UTF_8);
    objects.put("x/.zarray", zarray).join();
    objects.put("x/.zgroup", "{\"zarr_format\":2}".getBytes(StandardCharsets.UTF_8)).join();
    try (ArrayStore store = ArrayStore.on(new SlowStore(objects), 4)) {
      DatasetRef ref = store.findDataset("x").orElseThrow();
      assertEquals(DatasetRef.Format.ZARR_V2, ref.format());
      // Never written: every element is the fill value the .zarray states.
      assertEquals(7, store.dataset("x").read().getDouble(3));
      assertTrue(store.exists("x"));
    }
  }

  /** Orders keys as the lookup's precedence does: v2 array, ArrayMorph's layout, v2 group. */
  private static int byFormat(String a, String b) {
    List<String> order = List.of(".zarray", "meta", ".zgroup");
    return Integer.compare(
        order.indexOf(a.substring(a.lastIndexOf('/') + 1)),
        order.indexOf(b.substring(b.lastIndexOf('/') + 1)));
  }

  /**
   * Answers every GET and HEAD 50 ms later and records them in waves: requests sent while another
   * is still unanswered belong to the same wave (one round trip).
   */
  private static final class SlowStore extends ForwardingObjectStore {
    private final AtomicInteger pending = new AtomicInteger();
    final List<List<String>> waves = new ArrayList<>();

    SlowStore(ObjectStore inner) {
      super(inner);
    }

    private <T> CompletableFuture<T> later(String key, Supplier<CompletableFuture<T>> call) {
      synchronized (waves) {
        if (pending.getAndIncrement() == 0) {
          waves.add(new ArrayList<>());
        }
        waves.get(waves.size() - 1).add(key);
      }
      return CompletableFuture.runAsync(
              () -> pending.decrementAndGet(),
              CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
          .thenCompose(v -> call.get());
    }

    @Override
    public CompletableFuture<byte[]> get(String key) {
      return later(key, () -> inner.get(key));
    }

    @Override
    public CompletableFuture<Optional<ObjectInfo>> head(String key) {
      return later(key, () -> inner.head(key));
    }
  }
}
