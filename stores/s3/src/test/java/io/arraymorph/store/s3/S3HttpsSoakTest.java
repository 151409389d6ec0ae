package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.HttpsTestServers;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A bounded soak of the {@code tls_ca_file} S3 client (the SDK's standard client over the JDK's
 * HTTP client) against an https-only S3Proxy: chunk writes and reads with 32 in flight, and stores
 * opened and closed one after another as Spark tasks do. Afterwards no threads, connections or file
 * descriptors are left beyond the warm baseline, and the JDK client (one selector thread and its
 * connection pool) is shared rather than made anew per store.
 */
@StartsServers
class S3HttpsSoakTest {
  private static final int ROWS = 200;
  private static final int COLS = 200;
  private static final int[] CHUNKS = {8, 5}; // 25 x 40 = 1000 chunks
  private static final String SELECTOR = "SelectorManager"; // the JDK client's selector thread
  private static final String SDK_RESPONSE = "sdk-async-response"; // the SDK client's own pool

  private static S3ProxyServer server;
  private static String bucket;
  private static StoreSettings settings;

  @BeforeAll
  static void startServer() {
    server = HttpsTestServers.s3Proxy();
    bucket = S3ProxyServer.uniqueBucketName("https-soak");
    server.createBucket(bucket);
    Map<String, String> m = S3HttpsWithCaFileContractTest.httpsSettings(server, bucket);
    m.put("max_concurrency", "32");
    m.put("max_connections", "32");
    settings = StoreSettings.of(m);
  }

  /** 1000 chunk PUTs through one store, then 1000 chunk GETs through another; values exact. */
  private static void round(int seed) {
    int[] data = new int[ROWS * COLS];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 31 + seed;
    }
    String location = "s3://" + bucket + "/soak.zarr";
    try (ArrayStore store = ArrayStore.open(location, settings)) {
      store
          .createDataset("soak" + seed, ArraySpec.of(DataType.INT32, ROWS, COLS).chunks(CHUNKS))
          .write(new long[] {0, 0}, NdArray.of(data, ROWS, COLS));
    }
    try (ArrayStore store = ArrayStore.open(location, settings)) {
      assertArrayEquals(data, store.dataset("soak" + seed).read().toIntArray());
    }
  }

  private static int connections() {
    try {
      return ResourceBaseline.connectionsTo(URI.create(server.endpoint()).getPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void chunkWritesAndReadsOverTheCaFileClientLeaveNothingBehind() throws Exception {
    round(0); // warms the shared JDK client and its connection pool
    Thread.sleep(300);
    ResourceBaseline baseline = ResourceBaseline.take();
    int pooled = connections();
    int selectors = ResourceBaseline.threadsNamed(SELECTOR);
    int users = SharedJdkHttpClients.users();
    assertTimeoutPreemptively(
        Duration.ofSeconds(90), // a hang guard: about 25 s here
        () -> {
          for (int r = 1; r <= 3; r++) {
            round(r);
          }
        });
    // Six stores were opened and closed: their leases are released and no client was added.
    assertEquals(users, SharedJdkHttpClients.users(), "leases on the shared JDK client");
    assertEquals(selectors, ResourceBaseline.threadsNamed(SELECTOR), "JDK selector threads");
    // The shared client keeps idle connections for the next store (the JDK's keep-alive): never
    // more than the calls in flight (32, plus 2 for metadata calls and the test's bucket client),
    // and every file descriptor beyond the baseline is one of them.
    int open = connections();
    assertTrue(open <= 32 + 2, "connections to S3Proxy: " + pooled + " -> " + open + ", over 34");
    // Idle worker threads of the JDK client end after IDLE_THREAD_SECONDS; allow for that.
    baseline.assertBackWithin(
        (JdkAsyncHttpClient.IDLE_THREAD_SECONDS + 7) * 1000,
        /* threads */ 2,
        () -> 4 + Math.max(0, connections() - pooled));
    System.out.printf(
        "https soak: connections %d -> %d, fds %d -> %d%n",
        pooled, connections(), baseline.fds(), ResourceBaseline.openFds());
  }

  /**
   * A caller with far more requests in flight than {@code max_connections} (100 GETs at once, 4
   * connections) opens no more connections than that: the store bounds the calls it starts, the JDK
   * client would open one per call beyond its idle ones.
   */
  @Test
  void moreRequestsInFlightThanMaxConnectionsOpenAtMostMaxConnections() throws Exception {
    Map<String, String> m = S3HttpsWithCaFileContractTest.httpsSettings(server, bucket);
    m.put("max_connections", "4");
    m.put("connect_timeout_ms", "4321"); // a JDK client of its own, with no idle connections yet
    byte[] value = "bounded ".repeat(2000).getBytes(StandardCharsets.UTF_8);
    int before = connections();
    try (ObjectStore store =
        ObjectStores.open("s3://" + bucket + "/bounded", StoreSettings.of(m))) {
      store.put("k", value).join();
      List<CompletableFuture<byte[]>> gets = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        gets.add(store.get("k"));
      }
      for (CompletableFuture<byte[]> g : gets) {
        assertArrayEquals(value, g.join());
      }
      int opened = connections() - before;
      System.out.printf("100 GETs in flight, max_connections 4: %d connections opened%n", opened);
      assertTrue(opened <= 4, "connections opened for 100 GETs at max_connections 4: " + opened);
    }
  }

  @Test
  void fiftyStoresOpenedAndClosedShareOneJdkClient() throws InterruptedException {
    String location = "s3://" + bucket + "/loop";
    useOnce(location, -1); // warm-up
    Thread.sleep(300);
    ResourceBaseline baseline = ResourceBaseline.take();
    int selectors = ResourceBaseline.threadsNamed(SELECTOR);
    Set<String> closedClientsThreads = ConcurrentHashMap.newKeySet();
    int clients = SharedJdkHttpClients.size();
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 50; i++) {
            closedClientsThreads.addAll(useOnce(location, i));
            // One JDK client (one selector thread) whatever the number of stores opened so far;
            // on Java 17 a client per store would keep a selector thread each until collected.
            assertEquals(selectors, ResourceBaseline.threadsNamed(SELECTOR), "after store " + i);
            assertEquals(clients, SharedJdkHttpClients.size(), "shared clients after store " + i);
          }
        });
    assertEquals(0, SharedJdkHttpClients.users(), "open leases");
    baseline.assertBackWithin(
        (JdkAsyncHttpClient.IDLE_THREAD_SECONDS + 7) * 1000, /* threads */ 2, /* fds */ 4);
    // The SDK clients' own response threads ended at close (not at garbage collection).
    // They stop asynchronously, moments after close.
    Set<String> alive = sdkResponseThreads();
    alive.retainAll(closedClientsThreads);
    for (int waited = 0; !alive.isEmpty() && waited < 50; waited++) {
      Thread.sleep(100);
      alive = sdkResponseThreads();
      alive.retainAll(closedClientsThreads);
    }
    assertTrue(alive.isEmpty(), "threads of closed SDK clients still alive: " + alive);
    assertTrue(closedClientsThreads.size() >= 50, "threads seen: " + closedClientsThreads.size());
  }

  /**
   * Opens a store, writes and reads back one object, closes it; returns the names of the SDK
   * response threads that appeared while it was open (its client's own).
   */
  private static Set<String> useOnce(String location, int i) {
    byte[] value = ("value " + i + " ").repeat(100).getBytes(StandardCharsets.UTF_8);
    Set<String> before = sdkResponseThreads();
    try (ObjectStore store = ObjectStores.open(location, settings)) {
      store.put("k" + i, value).join();
      assertArrayEquals(value, store.get("k" + i).join(), "object " + i);
      Set<String> own = sdkResponseThreads();
      own.removeAll(before);
      assertFalse(own.isEmpty(), "an open store's client has its own " + SDK_RESPONSE + " threads");
      return own;
    }
  }

  private static Set<String> sdkResponseThreads() {
    Set<String> names = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(SDK_RESPONSE)) {
        names.add(t.getName());
      }
    }
    return names;
  }
}
