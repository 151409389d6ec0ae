package io.arraymorph.store.azure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.FaultProxy.Fault;
import io.arraymorph.testing.StartsServers;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads and writes through a {@link FaultProxy} in front of Azurite: moderate fault rates are
 * absorbed by the client's retries (exponential backoff with jitter); faults beyond the retry
 * budget fail with a clear error in bounded time; truncated and corrupted bodies are never decoded
 * as data.
 */
@StartsServers
class AzureFaultInjectionTest {
  private static final int N = 48;
  private static final int CHUNK = 8;
  private static AzuriteServer server;
  private static String bucket;
  private FaultProxy proxy;

  @BeforeAll
  static void createBucket() {
    server = AzuriteServer.get();
    bucket = AzuriteServer.uniqueContainerName("faults");
    server.createContainer(bucket);
  }

  @BeforeEach
  void startProxy() {
    proxy = FaultProxy.start(server.blobEndpoint(), FaultProxy.Flavor.AZURE, 42);
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  private StoreSettings settings(int maxRetries) {
    Map<String, String> m = new HashMap<>(server.settings(bucket));
    m.put(
        "connection_string",
        AzuriteServer.connectionString(proxy.port())
            .replace(AzuriteServer.DEV_ACCOUNT_KEY, server.accountKey()));
    m.put("retry_delay_ms", "20");
    m.put("max_retries", Integer.toString(maxRetries));
    m.put("request_timeout_ms", "3000");
    m.put("max_concurrency", "8");
    return StoreSettings.of(m);
  }

  private static int[] values(int seed) {
    int[] v = new int[N * N];
    Random r = new Random(seed);
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt();
    }
    return v;
  }

  private static ArraySpec spec() {
    return ArraySpec.of(DataType.INT32, N, N)
        .chunks(CHUNK, CHUNK)
        .compression(ArraySpec.Compression.GZIP)
        .checksum(true);
  }

  private static int[] ints(NdArray a) {
    return a.toIntArray();
  }

  @Test
  void moderateFaultRatesStillGiveCorrectValues() {
    proxy
        .rate(Fault.SLOW_DOWN_503, 0.20)
        .rate(Fault.ERROR_500, 0.05)
        .rate(Fault.RESET, 0.05)
        .rate(Fault.TRUNCATE, 0.05)
        .rate(Fault.DELAY, 0.05)
        .delay(Duration.ofMillis(100));
    int[] data = values(1);
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          try (ArrayStore store =
              ArrayStore.open("az://" + bucket + "/moderate.zarr", settings(8))) {
            store.createDataset("v", spec()).write(new long[] {0, 0}, NdArray.of(data, N, N));
          }
          try (ArrayStore store =
              ArrayStore.open("az://" + bucket + "/moderate.zarr", settings(8))) {
            assertArrayEquals(data, ints(store.dataset("v").read()));
          }
        });
    int faults = proxy.injected().values().stream().mapToInt(Integer::intValue).sum();
    assertTrue(proxy.injected(Fault.SLOW_DOWN_503) >= 5, proxy.toString());
    assertTrue(faults >= 10, proxy.toString());
  }

  @Test
  void faultsBeyondTheRetryBudgetFailClearlyAndQuickly() {
    int[] data = values(2);
    try (ArrayStore store = ArrayStore.open("az://" + bucket + "/budget.zarr", settings(2))) {
      store.createDataset("v", spec()).write(new long[] {0, 0}, NdArray.of(data, N, N));
    }
    proxy.rate(Fault.SLOW_DOWN_503, 1.0);
    int before = proxy.requests();
    RuntimeException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () ->
                assertThrows(
                    RuntimeException.class,
                    () -> {
                      try (ArrayStore store =
                          ArrayStore.open("az://" + bucket + "/budget.zarr", settings(2))) {
                        store.dataset("v").read();
                      }
                    }));
    String message = chain(e);
    assertTrue(message.contains("max_retries=2"), message);
    assertTrue(message.contains(proxy.endpoint()), message);
    assertTrue(message.contains("503"), message);
    // One first try and two retries per request, no more.
    assertEquals(3, proxy.requests() - before, proxy.toString());
  }

  @Test
  void stalledResponsesBeyondTheBudgetTimeOutClearly() {
    try (ObjectStore store = ObjectStores.open("az://" + bucket, settings(1))) {
      Futures.join(store.put("stall", new byte[] {1, 2, 3}));
    }
    proxy.rate(Fault.DELAY, 1.0).delay(Duration.ofSeconds(30));
    StoreSettings quick = settings(1).with("request_timeout_ms", "2000");
    RuntimeException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(45),
            () ->
                assertThrows(
                    RuntimeException.class,
                    () -> {
                      try (ObjectStore store = ObjectStores.open("az://" + bucket, quick)) {
                        Futures.join(store.get("stall"));
                      }
                    }));
    String message = chain(e);
    assertTrue(message.contains("max_retries=1"), message);
    assertTrue(message.contains("request_timeout_ms"), message);
  }

  @Test
  void truncatedBodiesAreRetriedAndNeverReturnedShort() {
    byte[] object = new byte[100_000];
    new Random(3).nextBytes(object);
    try (ObjectStore store = ObjectStores.open("az://" + bucket, settings(3))) {
      Futures.join(store.put("truncated", object));
      proxy.next(Fault.TRUNCATE, 2);
      assertArrayEquals(object, Futures.join(store.get("truncated")));
      proxy.next(Fault.TRUNCATE, 2);
      byte[] range = Futures.join(store.getRange("truncated", 1000, 50_000));
      assertArrayEquals(java.util.Arrays.copyOfRange(object, 1000, 51_000), range);
      proxy.next(Fault.RESET, 2);
      assertArrayEquals(object, Futures.join(store.get("truncated")));
    }
    assertEquals(4, proxy.injected(Fault.TRUNCATE));
    assertEquals(2, proxy.injected(Fault.RESET));
  }

  @Test
  void truncationOnEveryTryIsAnErrorNotShortData() {
    byte[] object = new byte[10_000];
    try (ObjectStore store = ObjectStores.open("az://" + bucket, settings(1))) {
      Futures.join(store.put("always-truncated", object));
      proxy.rate(Fault.TRUNCATE, 1.0);
      RuntimeException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(60),
              () ->
                  assertThrows(
                      RuntimeException.class,
                      () -> Futures.join(store.getRange("always-truncated", 0, 10_000))));
      assertTrue(chain(e).contains("always-truncated"), chain(e));
    }
  }

  @Test
  void corruptedChunksAreDetectedByTheChecksum() {
    int[] data = values(4);
    try (ArrayStore store = ArrayStore.open("az://" + bucket + "/corrupt.zarr", settings(2))) {
      store.createDataset("v", spec()).write(new long[] {0, 0}, NdArray.of(data, N, N));
    }
    proxy
        .only(r -> r.method().equals("GET") && r.decodedPath().contains("/c/"))
        .rate(Fault.CORRUPT, 1.0);
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> {
              try (ArrayStore store =
                  ArrayStore.open("az://" + bucket + "/corrupt.zarr", settings(2))) {
                store.dataset("v").read();
              }
            });
    String message = chain(e).toLowerCase(java.util.Locale.ROOT);
    assertTrue(
        message.contains("crc32c") || message.contains("checksum") || message.contains("gzip"),
        message);
    assertTrue(proxy.injected(Fault.CORRUPT) > 0);
  }

  private static java.util.List<String> putKeys(ObjectStore store, String prefix, int n) {
    java.util.List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(prefix + "/" + i);
    }
    Futures.join(
        java.util.concurrent.CompletableFuture.allOf(
            keys.stream()
                .map(k -> store.put(k, k.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .toArray(java.util.concurrent.CompletableFuture[]::new)));
    return keys;
  }

  private static void assertOnlyTheseLeft(
      ObjectStore store, String prefix, java.util.List<String> keep) {
    assertEquals(
        keep,
        Futures.join(store.list(prefix + "/")).stream()
            .map(io.arraymorph.store.ObjectInfo::key)
            .sorted()
            .toList());
    for (String k : keep) {
      assertArrayEquals(
          k.getBytes(java.nio.charset.StandardCharsets.UTF_8), Futures.join(store.get(k)));
    }
  }

  /** A blob batch whose response is cut half-way is sent again; the keys end deleted. */
  @Test
  void aCutBulkDeleteResponseIsSentAgainAndEveryKeyEndsDeleted() {
    try (ObjectStore store = ObjectStores.open("az://" + bucket, settings(3))) {
      java.util.List<String> doomed = putKeys(store, "cut-once/doomed", 37);
      java.util.List<String> keep = putKeys(store, "cut-once/keep", 3).stream().sorted().toList();
      proxy
          .clear()
          .only(r -> r.method().equals("POST") && r.path().contains("comp=batch"))
          .next(Fault.TRUNCATE, 1);
      assertTimeoutPreemptively(
          Duration.ofSeconds(60), () -> Futures.join(store.deleteAll(doomed, 4)));
      assertEquals(1, proxy.injected(Fault.TRUNCATE), proxy.toString());
      proxy.clear();
      assertOnlyTheseLeft(store, "cut-once/doomed", java.util.List.of());
      assertOnlyTheseLeft(store, "cut-once", keep);
    }
  }

  /**
   * A blob batch cut on every try: after the first try and {@code max_retries} more, each key goes
   * as its own DELETE; nothing else is touched.
   */
  @Test
  void bulkDeleteResponsesCutOnEveryTryFallBackToOneDeletePerKey() {
    try (ObjectStore store = ObjectStores.open("az://" + bucket, settings(2))) {
      java.util.List<String> doomed = putKeys(store, "cut-always/doomed", 12);
      java.util.List<String> keep = putKeys(store, "cut-always/keep", 3).stream().sorted().toList();
      java.util.List<FaultProxy.Request> seen =
          java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      proxy
          .clear()
          .only(
              r -> {
                seen.add(r);
                return r.method().equals("POST") && r.path().contains("comp=batch");
              })
          .rate(Fault.TRUNCATE, 1.0);
      assertTimeoutPreemptively(
          Duration.ofSeconds(60), () -> Futures.join(store.deleteAll(doomed, 4)));
      proxy.clear();
      long batchTries =
          seen.stream()
              .filter(r -> r.method().equals("POST") && r.path().contains("comp=batch"))
              .count();
      long singleDeletes = seen.stream().filter(r -> r.method().equals("DELETE")).count();
      assertEquals(3, proxy.injected(Fault.TRUNCATE), proxy.toString());
      assertEquals(3, batchTries, seen.toString());
      assertEquals(12, singleDeletes, seen.toString());
      assertOnlyTheseLeft(store, "cut-always/doomed", java.util.List.of());
      assertOnlyTheseLeft(store, "cut-always", keep);
    }
  }

  static String chain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; t != null && i < 20; t = t.getCause(), i++) {
      sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return sb.toString();
  }
}
