package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.testing.StartsServers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.master.Master;
import org.apache.spark.deploy.worker.Worker;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import scala.Option;

/**
 * Writes with {@code spark.speculation} on, where the losing attempt of a task is still putting a
 * chunk when the winning attempt has made Spark end the job and commit: the commit waits for it, so
 * the published values are exactly the rows written, nothing staged is left behind, and the next
 * write's version is not clobbered by the loser's late chunk. A loser that outlives the wait
 * ({@code task_end_timeout}) gets the commit refused: nothing published, and Spark's abort, which
 * waits again, leaves nothing staged (on the local store and on S3Proxy).
 *
 * <p>Spark never runs a speculative copy on a host where an attempt of the task ran, and the
 * executors of {@code local[*]} and {@code local-cluster} all share one host name. So this class
 * starts its own standalone master and two workers in this JVM, named by two names of the loopback
 * address ({@code 127.0.0.1} and {@code localhost}): two executor JVMs on two "hosts".
 */
@StartsServers
@Order(5)
class SparkSpeculativeWriteIT {
  @TempDir static Path dir;
  static SparkSession spark;
  static final List<RpcEnv> daemons = new ArrayList<>();
  static final AtomicInteger speculative = new AtomicInteger();

  /** Task attempts started and not yet reported ended, of every job. */
  static final AtomicInteger running = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    Sessions.stop();
    Files.createDirectories(Path.of(System.getProperty("spark.home.dir"), "jars"));
    SparkConf conf =
        new SparkConf()
            .set("spark.master.rest.enabled", "false")
            .set("spark.shuffle.service.enabled", "false")
            .set("spark.ui.enabled", "false");
    RpcEnv master = Master.startRpcEnvAndEndpoint("127.0.0.1", 0, 0, conf)._1();
    daemons.add(master);
    String url = "spark://127.0.0.1:" + master.address().port();
    for (String host : List.of("127.0.0.1", "localhost")) {
      Path work = Files.createDirectories(dir.resolve("work-" + host));
      daemons.add(
          Worker.startRpcEnvAndEndpoint(
              host,
              0,
              0,
              1,
              1024,
              new String[] {url},
              work.toString(),
              Option.empty(),
              conf,
              Option.empty()));
    }
    String jar = new File(System.getProperty("connector.jar")).getAbsolutePath();
    spark =
        SparkSession.builder()
            .appName("arraymorph-speculation")
            .master(url)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.executor.memory", "512m")
            .config("spark.jars", jar)
            .config("spark.speculation", "true")
            .config("spark.speculation.interval", "100ms")
            .config("spark.speculation.quantile", "0.5")
            .config("spark.speculation.multiplier", "1.5")
            .config("spark.speculation.efficiency.enabled", "false")
            .getOrCreate();
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onTaskStart(SparkListenerTaskStart start) {
                running.incrementAndGet();
                if (start.taskInfo().speculative()) {
                  speculative.incrementAndGet();
                }
              }

              @Override
              public void onTaskEnd(SparkListenerTaskEnd end) {
                running.decrementAndGet();
              }
            });
    Stragglers.register(spark, true);
    awaitExecutors(2);
  }

  private static void awaitExecutors(int n) throws InterruptedException {
    long end = System.nanoTime() + 60_000_000_000L;
    // The driver counts itself among the block managers.
    while (spark.sparkContext().getExecutorMemoryStatus().size() < n + 1) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("executors did not register");
      }
      Thread.sleep(100);
    }
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
    }
    for (int k = daemons.size() - 1; k >= 0; k--) {
      daemons.get(k).shutdown();
      daemons.get(k).awaitTermination();
    }
  }

  static Stream<StoreFixture> stores() {
    return Stream.of(StoreFixture.local(), StoreFixture.s3());
  }

  // Local store only: on S3Proxy it took 42 s more (two 10 s sleeps let a late put show); the
  // refusal below runs on both stores.
  @Test
  void aCommitWaitsForALosingSpeculativeAttemptSoNothingStrayOutlivesIt() throws Exception {
    StoreFixture store = StoreFixture.local();
    String uri = store.newLocation("speculation");
    // A new dataset: the losing attempt puts chunk (1, 1) at its final key after its sleep.
    int before = speculative.get();
    write(
        spark.sql(SparkAbortStragglerClusterIT.rows("straggle(i, j)", "i * 100 + j")), uri, store);
    assertTrue(speculative.get() > before, "a speculative attempt ran");
    assertEquals(0, values(uri, store, "i * 100 + j"), "the rows written, exactly");
    // An overwrite right after, in one task the free executor runs at once: with the commit not
    // waiting, the loser of the first write would put its chunk over this version's once its sleep
    // ends.
    write(spark.sql(SparkAbortStragglerClusterIT.rows("i", "i * 100 + j + 1", 1)), uri, store);
    Thread.sleep(Stragglers.STRAGGLE_MS + 2_000);
    assertEquals(0, values(uri, store, "i * 100 + j + 1"), "the second version, not clobbered");
    // An overwrite with a losing attempt of its own, which stages chunk (1, 1) late.
    before = speculative.get();
    write(
        spark.sql(SparkAbortStragglerClusterIT.rows("straggle(i, j)", "i * 100 + j + 2")),
        uri,
        store);
    assertTrue(speculative.get() > before, "a speculative attempt ran");
    Thread.sleep(Stragglers.STRAGGLE_MS + 2_000);
    assertEquals(0, values(uri, store, "i * 100 + j + 2"), "the third version, whole");
    assertEquals(0, Stragglers.stagedObjects(uri, store.options()), "no staged object left");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aCommitWhoseLosingAttemptOutlivesTheWaitIsRefusedAndTheAbortCleansOnceItStops(
      StoreFixture store) throws Exception {
    String uri = store.newLocation("refusal");
    write(spark.sql(SparkAbortStragglerClusterIT.rows("i", "i * 100 + j")), uri, store);
    // The loser sleeps 8 s and Spark ends the job 0.4-1.4 s into it (the copy's launch and run):
    // the commit's 5 s wait ends with it running, the abort's own 5 s wait sees it stop.
    int before = speculative.get();
    Throwable refused =
        assertThrows(
            Throwable.class,
            () ->
                write(
                    spark.sql(SparkAbortStragglerClusterIT.rows("straggle(i, j)", "-1")),
                    uri,
                    store,
                    "task_end_timeout",
                    "5s"));
    assertTrue(speculative.get() > before, "a speculative attempt ran");
    String message = messages(refused);
    assertTrue(
        message.matches(
            "(?s).*Write job \\S+ is not committed: 1 attempt\\(s\\) of its tasks .* still ran"
                + " after 5 s, .*Nothing was published.*raise the write option task_end_timeout.*"),
        message);
    awaitNoTaskRunning();
    assertEquals(0, Stragglers.stagedObjects(uri, store.options()), "no staged object left");
    assertEquals(0, values(uri, store, "i * 100 + j"), "the previous version, whole");
  }

  /** The messages of {@code t} and its causes, one a line. */
  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static void awaitNoTaskRunning() throws InterruptedException {
    long end = System.nanoTime() + 30_000_000_000L;
    while (running.get() > 0) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException(running.get() + " task attempt(s) still running");
      }
      Thread.sleep(100);
    }
  }

  private static void write(Dataset<Row> df, String uri, StoreFixture store, String... options) {
    var w =
        df.write()
            .format("arraymorph")
            .mode("overwrite")
            .options(store.options())
            .option("dataset", "v")
            .option("dims", "i,j")
            .option("chunks", "8,8");
    for (int k = 0; k < options.length; k += 2) {
      w = w.option(options[k], options[k + 1]);
    }
    w.save(uri);
  }

  /** How many of the 64 x 16 elements differ from {@code expected} (or are missing). */
  private static long values(String uri, StoreFixture store, String expected) {
    Dataset<Row> back =
        spark.read().format("arraymorph").options(store.options()).option("dataset", "v").load(uri);
    assertEquals(64 * 16, back.count());
    return back.where("v != " + expected).count();
  }
}
