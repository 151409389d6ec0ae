package io.arraymorph.spark;

import static io.arraymorph.spark.CommitTestLocations.chain;
import static io.arraymorph.spark.CommitTestLocations.leftovers;
import static io.arraymorph.spark.CommitTestLocations.s3Location;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.WriterLock;
import io.arraymorph.zarr.ZarrDataset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two jobs writing one dataset, and readers while writes commit: the final state is always one
 * whole version, no staging or lock objects stay behind, and a reader gets one version or a clear
 * error, never a mix. Against S3Proxy (conditional PUT, server-side copy) and the local store.
 */
@StartsServers
class SparkConcurrentCommitsTest {
  static final int N = 64;
  static final String CHUNKS = "8,8"; // 64 chunks

  static SparkSession spark;
  static S3ProxyServer s3;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session();
    s3 = S3ProxyServer.get();
  }

  private static Dataset<Row> rows(String iExpr, long value) {
    return spark.sql(
        "SELECT "
            + iExpr
            + " AS i, j, CAST("
            + value
            + " AS INT) AS v FROM range("
            + N
            + ") a(i) CROSS JOIN range("
            + N
            + ") b(j)");
  }

  private static void write(Dataset<Row> df, String uri, Map<String, String> opts, String mode) {
    df.write()
        .format("arraymorph")
        .mode(mode)
        .options(opts)
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", CHUNKS)
        .save(uri);
  }

  /** Every element of the dataset, read with the Java API. */
  private static int[] values(String uri, Map<String, String> opts) {
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(opts))) {
      NdArray a = store.dataset("v").read();
      return a.toIntArray();
    }
  }

  private static void assertAll(int expected, int[] values) {
    for (int k = 0; k < values.length; k++) {
      assertEquals(expected, values[k], "element " + k);
    }
  }

  @Test
  void aWriteFailsClearlyWhileAnotherJobHoldsTheDatasetAndSucceedsAfter() {
    Map<String, String> opts = new java.util.HashMap<>();
    String uri = s3Location(s3, "held", opts);
    write(rows("i", 1), uri, opts, "errorifexists");
    WriterLock held;
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(opts))) {
      held = WriterLock.acquire(store.objectStore(), "v", "other-job", Duration.ofHours(1));
      Exception e =
          assertThrows(Exception.class, () -> write(rows("i", 2), uri, opts, "overwrite"));
      String msg = chain(e);
      assertTrue(msg.contains("Dataset 'v'"), msg);
      assertTrue(msg.contains("is being written by job other-job"), msg);
      assertTrue(msg.contains("lock expires at"), msg);
      assertAll(1, values(uri, opts));
      held.close();
    }
    write(rows("i", 3), uri, opts, "overwrite");
    assertAll(3, values(uri, opts));
    assertEquals(List.of(), leftovers(uri, opts));
  }

  /** Runs two writes at once; each either commits or fails with the lock or plan-changed error. */
  private static List<Integer> raceTwoWrites(String uri, Map<String, String> opts, String mode)
      throws Exception {
    List<Integer> committed = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> unclear = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> jobs = new ArrayList<>();
    for (int value : new int[] {1, 2}) {
      jobs.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  go.await();
                  write(rows("i", value), uri, opts, mode);
                  committed.add(value);
                } catch (Exception e) {
                  String m = chain(e);
                  if (!m.contains("is being written by job")
                      && !m.contains("after this write was planned")
                      && !m.contains("already exists")) {
                    unclear.add(m);
                  }
                }
              }));
    }
    go.countDown();
    for (CompletableFuture<Void> j : jobs) {
      j.get(240, TimeUnit.SECONDS);
    }
    assertEquals(List.of(), unclear);
    return committed;
  }

  @Test
  void twoConcurrentOverwritesLeaveExactlyOneJobsValues() throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    String uri = s3Location(s3, "two-writers", opts);
    write(rows("i", 0), uri, opts, "errorifexists");
    List<Integer> committed = raceTwoWrites(uri, opts, "overwrite");
    System.out.println("concurrent overwrites committed: " + committed);
    assertTrue(!committed.isEmpty(), "at least one job commits");
    int[] v = values(uri, opts);
    assertAll(committed.get(committed.size() - 1), v);
    assertEquals(List.of(), leftovers(uri, opts));
  }

  @Test
  void twoConcurrentCreatesLeaveOneWholeDataset() throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    String uri = s3Location(s3, "two-creates", opts);
    List<Integer> committed = raceTwoWrites(uri, opts, "errorifexists");
    System.out.println("concurrent creates committed: " + committed);
    assertEquals(1, committed.size(), "one create wins");
    assertAll(committed.get(0), values(uri, opts));
    assertEquals(List.of(), leftovers(uri, opts));
  }

  /**
   * The lock is taken on the driver before the write stage, so the failure must come from a write
   * task: a duplicate coordinate is refused by the data writer, after the lock was taken.
   */
  @Test
  void aJobAbortedInItsWriteStageReleasesItsLock() {
    String uri = dir.resolve("abort.zarr").toString();
    Map<String, String> none = Map.of();
    write(rows("i", 1), uri, none, "errorifexists");
    Dataset<Row> duplicated = rows("i", 2).union(rows("i", 2).limit(1));
    Exception e = assertThrows(Exception.class, () -> write(duplicated, uri, none, "overwrite"));
    assertTrue(chain(e).contains("Duplicate coordinates"), chain(e));
    assertEquals(List.of(), leftovers(uri, none), "lock and staged chunks removed");
    assertAll(1, values(uri, none));
    write(rows("i", 3), uri, none, "overwrite");
    assertAll(3, values(uri, none));
  }

  /**
   * Job A's chunk PUTs are slowed by a proxy, so it holds the lock for seconds; job B, started once
   * A's lock object exists, fails naming the lock, and A then commits whole.
   */
  @Test
  void aSecondJobStartedWhileTheFirstIsWritingFailsAndTheFirstCommitsWhole() throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    String uri = s3Location(s3, "overlap", opts);
    write(rows("i", 1), uri, opts, "errorifexists");
    try (FaultProxy slow =
        FaultProxy.start(s3.endpoint(), FaultProxy.Flavor.S3, 7)
            .only(r -> r.method().equals("PUT") && r.decodedPath().contains("/c/"))
            .delay(Duration.ofMillis(150))
            .rate(FaultProxy.Fault.DELAY, 1.0)) {
      Map<String, String> slowOpts = new java.util.HashMap<>(opts);
      slowOpts.put("endpoint", slow.endpoint());
      CompletableFuture<Void> a =
          CompletableFuture.runAsync(() -> write(rows("i", 2), uri, slowOpts, "overwrite"));
      assertTimeoutPreemptively(
          Duration.ofMinutes(2),
          () -> {
            while (!lockHeld(uri, opts)) {
              assertTrue(!a.isDone(), "job A ended before its lock was seen: " + a);
              Thread.sleep(20);
            }
          });
      Exception e =
          assertThrows(Exception.class, () -> write(rows("i", 3), uri, opts, "overwrite"));
      assertTrue(chain(e).contains("is being written by job"), chain(e));
      a.get(240, TimeUnit.SECONDS);
      assertTrue(slow.injected(FaultProxy.Fault.DELAY) >= N * N / 64, "A's chunk PUTs were slowed");
    }
    assertAll(2, values(uri, opts));
    assertEquals(List.of(), leftovers(uri, opts));
  }

  /**
   * Spark and the Java API write one dataset through one protocol: while a Spark append (its chunk
   * PUTs slowed) holds the dataset's lock, a Java API write is refused naming the lock; while a
   * Java API write (slowed the same way) holds it, a Spark append is refused naming the Java API's
   * job. Each first writer then commits whole.
   */
  @Test
  void sparkAndJavaApiWritesOfOneDatasetRefuseEachOtherNamingTheLock() throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    String uri = s3Location(s3, "doors", opts);
    write(rows("i", 1), uri, opts, "errorifexists");
    int[] threes = new int[N * N];
    java.util.Arrays.fill(threes, 3);
    try (FaultProxy slow =
        FaultProxy.start(s3.endpoint(), FaultProxy.Flavor.S3, 11)
            .only(r -> r.method().equals("PUT") && r.decodedPath().contains("/c/"))
            .delay(Duration.ofMillis(150))
            .rate(FaultProxy.Fault.DELAY, 1.0)) {
      Map<String, String> slowOpts = new java.util.HashMap<>(opts);
      slowOpts.put("endpoint", slow.endpoint());
      slowOpts.put("max_concurrency", "2");

      CompletableFuture<Void> sparkJob =
          CompletableFuture.runAsync(() -> write(rows("i", 2), uri, slowOpts, "append"));
      awaitLock(uri, opts, sparkJob);
      try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(opts))) {
        io.arraymorph.api.Dataset v = store.dataset("v");
        ConcurrentWriteException e =
            assertThrows(
                ConcurrentWriteException.class,
                () -> v.write(new long[] {0, 0}, NdArray.of(new int[] {9}, 1, 1)));
        assertTrue(e.getMessage().contains("is being written by job"), e.getMessage());
        assertTrue(e.getMessage().contains("lock expires at"), e.getMessage());
      }
      sparkJob.get(240, TimeUnit.SECONDS);
      assertAll(2, values(uri, opts));

      try (ArrayStore slowStore = ArrayStore.open(uri, StoreSettings.of(slowOpts))) {
        io.arraymorph.api.Dataset v = slowStore.dataset("v");
        CompletableFuture<Void> javaJob =
            CompletableFuture.runAsync(() -> v.write(new long[] {0, 0}, NdArray.of(threes, N, N)));
        awaitLock(uri, opts, javaJob);
        Exception e = assertThrows(Exception.class, () -> write(rows("i", 4), uri, opts, "append"));
        assertTrue(chain(e).contains("is being written by job java-api-"), chain(e));
        javaJob.get(240, TimeUnit.SECONDS);
      }
    }
    assertAll(3, values(uri, opts));
    assertEquals(List.of(), leftovers(uri, opts));
  }

  private static void awaitLock(String uri, Map<String, String> opts, CompletableFuture<Void> job) {
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          while (!lockHeld(uri, opts)) {
            assertTrue(!job.isDone(), "the first writer ended before its lock was seen: " + job);
            Thread.sleep(20);
          }
        });
  }

  private static boolean lockHeld(String uri, Map<String, String> opts) {
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(opts))) {
      return Futures.join(store.objectStore().head(WriterLock.keyOf("v"))).isPresent();
    }
  }

  @Test
  void anExpiredLockOfACrashedWriterIsTakenOverAndALiveOneIsNot() throws Exception {
    String uri = dir.resolve("crashed.zarr").toString();
    Map<String, String> none = Map.of();
    write(rows("i", 1), uri, none, "errorifexists");
    try (ArrayStore store = ArrayStore.open(uri)) {
      // A writer that took the lock and died: never released.
      WriterLock.acquire(store.objectStore(), "v", "crashed-job", Duration.ofMillis(1));
    }
    Thread.sleep(5);
    write(rows("i", 2), uri, none, "overwrite");
    assertAll(2, values(uri, none));
    assertEquals(List.of(), leftovers(uri, none));

    try (ArrayStore store = ArrayStore.open(uri)) {
      WriterLock.acquire(store.objectStore(), "v", "live-job", Duration.ofHours(1));
    }
    Exception e = assertThrows(Exception.class, () -> write(rows("i", 3), uri, none, "overwrite"));
    assertTrue(chain(e).contains("live-job"), chain(e));
    assertTrue(chain(e).contains(WriterLock.keyOf("v")), chain(e));
    assertAll(2, values(uri, none));
  }

  @Test
  void readersDuringRepeatedOverwritesSeeOneVersionOrAClearError() throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    String uri = s3Location(s3, "readers", opts);
    write(rows("i", 0), uri, opts, "errorifexists");
    long created;
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(opts))) {
      created = store.dataset("v").generation();
    }
    int commits = 20;
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger javaReads = new AtomicInteger();
    AtomicInteger javaClearErrors = new AtomicInteger();
    AtomicInteger sparkReads = new AtomicInteger();
    AtomicInteger sparkClearErrors = new AtomicInteger();
    List<String> mixes = java.util.Collections.synchronizedList(new ArrayList<>());
    assertTimeoutPreemptively(
        Duration.ofMinutes(10),
        () -> {
          CompletableFuture<Void> javaReader =
              CompletableFuture.runAsync(
                  () -> {
                    while (writing.get()) {
                      int[] v;
                      try {
                        v = values(uri, opts);
                      } catch (ConcurrentWriteException e) {
                        // Back-to-back overwrites can outlast the reader's retries: a clear error.
                        assertTrue(e.getMessage().contains("read it again"), e.getMessage());
                        javaClearErrors.incrementAndGet();
                        continue;
                      }
                      int first = v[0];
                      for (int x : v) {
                        if (x != first) {
                          mixes.add("Java API read mixed " + first + " and " + x);
                          break;
                        }
                      }
                      javaReads.incrementAndGet();
                    }
                  });
          CompletableFuture<Void> sparkReader =
              CompletableFuture.runAsync(
                  () -> {
                    while (writing.get()) {
                      try {
                        Row r =
                            spark
                                .read()
                                .format("arraymorph")
                                .options(opts)
                                .option("dataset", "v")
                                .load(uri)
                                .selectExpr("min(v)", "max(v)", "count(*)")
                                .first();
                        if (r.getInt(0) != r.getInt(1) || r.getLong(2) != (long) N * N) {
                          mixes.add("Spark read " + r);
                        }
                        sparkReads.incrementAndGet();
                      } catch (Exception e) {
                        String m = chain(e);
                        if (m.contains("was overwritten by another job while this query read it")
                            || m.contains("is being published by another job")) {
                          sparkClearErrors.incrementAndGet();
                        } else {
                          mixes.add("Spark failed unclearly: " + m);
                        }
                      }
                    }
                  });
          try {
            for (int k = 1; k <= commits; k++) {
              write(rows("i", k), uri, opts, "overwrite");
            }
          } finally {
            writing.set(false);
          }
          javaReader.get(120, TimeUnit.SECONDS);
          sparkReader.get(120, TimeUnit.SECONDS);
        });
    System.out.printf(
        "readers during %d commits: %d Java reads (all one version), %d failed clearly, %d Spark"
            + " reads one version, %d Spark reads failed clearly%n",
        commits, javaReads.get(), javaClearErrors.get(), sparkReads.get(), sparkClearErrors.get());
    assertEquals(List.of(), mixes);
    assertTrue(
        javaReads.get() + javaClearErrors.get() > 0
            && sparkReads.get() + sparkClearErrors.get() > 0);
    assertAll(commits, values(uri, opts));
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(opts))) {
      ZarrDataset ds = (ZarrDataset) store.dataset("v");
      assertEquals(new Publication(created + commits, true), Publication.of(ds.metadata()).get());
    }
    assertEquals(List.of(), leftovers(uri, opts));
  }
}
