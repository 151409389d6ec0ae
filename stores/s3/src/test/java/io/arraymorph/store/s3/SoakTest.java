package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded soak: 2000 chunk writes and 2000 chunk reads, 32 in flight, against S3Proxy and the
 * local store, three rounds each; afterwards no threads, connections or file descriptors are left
 * beyond what the first round left (the CRT's process-wide event loop).
 */
@StartsServers
class SoakTest {
  private static final int ROWS = 200;
  private static final int COLS = 200;
  private static final int[] CHUNKS = {4, 5}; // 50 x 40 = 2000 chunks

  @TempDir Path dir;

  private static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  private static Set<String> threadNames() {
    Set<String> names = new TreeSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      // JUnit's own thread for assertTimeoutPreemptively is not ours.
      if (t.isAlive() && !t.getName().startsWith("junit-timeout-thread")) {
        names.add(t.getName().replaceAll("\\d+", "#"));
      }
    }
    return names;
  }

  private static void round(Supplier<ArrayStore> open, int seed) {
    int[] data = new int[ROWS * COLS];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 31 + seed;
    }
    try (ArrayStore store = open.get()) {
      store
          .createDataset("soak" + seed, ArraySpec.of(DataType.INT32, ROWS, COLS).chunks(CHUNKS))
          .write(new long[] {0, 0}, NdArray.of(data, ROWS, COLS));
    }
    try (ArrayStore store = open.get()) {
      assertArrayEquals(data, store.dataset("soak" + seed).read().toIntArray());
    }
  }

  private static void soak(Supplier<ArrayStore> open) throws InterruptedException {
    round(open, 0); // warms up process-wide pools
    Thread.sleep(300);
    int fdsBefore = openFds();
    int threadsBefore = Thread.activeCount() + 1; // + JUnit's timeout thread
    Set<String> namesBefore = threadNames();
    assertTimeoutPreemptively(
        Duration.ofMinutes(3),
        () -> {
          for (int r = 1; r <= 3; r++) {
            round(open, r);
          }
        });
    // Closed clients stop their pools asynchronously (the SDK's sdk-async-response threads end
    // moments after close), so give them a few seconds before calling anything a leak.
    long deadline = System.nanoTime() + 10_000_000_000L;
    Set<String> newNames = newThreadNames(namesBefore);
    while (System.nanoTime() < deadline
        && (!newNames.isEmpty()
            || Thread.activeCount() > threadsBefore + 2
            || openFds() > fdsBefore + 4)) {
      Thread.sleep(100);
      newNames = newThreadNames(namesBefore);
    }
    assertTrue(newNames.isEmpty(), "threads left behind: " + newNames);
    assertTrue(
        Thread.activeCount() <= threadsBefore + 2,
        "threads " + threadsBefore + " -> " + Thread.activeCount());
    assertTrue(openFds() <= fdsBefore + 4, "file descriptors " + fdsBefore + " -> " + openFds());
  }

  private static Set<String> newThreadNames(Set<String> before) {
    Set<String> names = threadNames();
    names.removeAll(before);
    return names;
  }

  @Test
  void s3ProxySoakLeavesNothingBehind() throws InterruptedException {
    S3ProxyServer server = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("soak");
    server.createBucket(bucket);
    Map<String, String> m = new HashMap<>(server.settings(bucket));
    m.put("max_concurrency", "32");
    m.put("max_connections", "32");
    StoreSettings settings = StoreSettings.of(m);
    soak(() -> ArrayStore.open("s3://" + bucket + "/soak.zarr", settings));
  }

  @Test
  void localSoakLeavesNothingBehind() throws InterruptedException {
    StoreSettings settings = StoreSettings.of(Map.of("max_concurrency", "32"));
    soak(() -> ArrayStore.open(dir.resolve("soak.zarr").toString(), settings));
  }
}
