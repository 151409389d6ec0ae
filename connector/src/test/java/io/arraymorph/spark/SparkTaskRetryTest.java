package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executor tasks failing mid-write: a task that fails on its first attempt and is retried
 * (local[2,3]: up to 3 attempts) still gives one complete version; a job that fails for good while
 * overwriting keeps the previous version and leaves no staged objects, also when another of its
 * tasks puts a chunk after Spark called the abort.
 */
class SparkTaskRetryTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    // getOrCreate would hand back another class's session without task retries: start our own.
    SparkSession.getDefaultSession()
        .foreach(
            s -> {
              s.stop();
              return null;
            });
    spark =
        SparkSession.builder()
            .master("local[2,3]")
            .appName("arraymorph-retry-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    spark
        .udf()
        .register(
            "fail_first_attempt",
            (UDF1<Long, Long>)
                i -> {
                  TaskContext t = TaskContext.get();
                  if (i == 37 && t != null && t.attemptNumber() == 0) {
                    throw new IllegalStateException("killed on first attempt at row 37");
                  }
                  return i;
                },
            DataTypes.LongType);
    spark
        .udf()
        .register(
            "always_fail",
            (UDF1<Long, Long>)
                i -> {
                  if (i == 37) {
                    throw new IllegalStateException("always fails at row 37");
                  }
                  return i;
                },
            DataTypes.LongType);
    registerStraggler();
  }

  /**
   * In the first partition, sleeps {@link #STRAGGLE_MS} at the last element of chunk (1, 1), so
   * that the task puts that chunk only after the job has failed and Spark called the abort (a task
   * Spark is killing that is still in a call ignoring interrupts).
   */
  private static void registerStraggler() {
    spark
        .udf()
        .register(
            "straggle",
            (UDF2<Long, Long, Long>)
                (i, j) -> {
                  TaskContext t = TaskContext.get();
                  if (i == 15 && j == 15 && t != null && t.partitionId() == 0) {
                    sleepThroughInterrupts(STRAGGLE_MS);
                  }
                  return i;
                },
            DataTypes.LongType);
  }

  private static final long STRAGGLE_MS = 3_000;

  /**
   * Sleeps like a call that ignores interrupts (native code, a blocking read): Spark interrupts a
   * task it kills, which would otherwise end the sleep at once.
   */
  private static void sleepThroughInterrupts(long ms) {
    long end = System.nanoTime() + ms * 1_000_000;
    boolean interrupted = false;
    for (long left = ms; left > 0; left = (end - System.nanoTime()) / 1_000_000) {
      try {
        Thread.sleep(left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static void write(Dataset<Row> df, String uri, String mode) {
    df.write()
        .format("arraymorph")
        .mode(mode)
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "8,8")
        .save(uri);
  }

  private static Dataset<Row> rows(String iExpr, String v) {
    return spark.sql(
        "SELECT "
            + iExpr
            + " AS i, j, CAST("
            + v
            + " AS INT) AS v FROM range(64) a(i) CROSS JOIN range(16) b(j)");
  }

  private static long files(Path root, String part) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().contains(part)).count();
    }
  }

  @Test
  void aTaskKilledOnItsFirstAttemptIsRetriedAndTheResultIsComplete() throws IOException {
    String uri = dir.resolve("retry.zarr").toString();
    write(rows("fail_first_attempt(i)", "i * 100 + j"), uri, "errorifexists");
    Dataset<Row> back = spark.read().format("arraymorph").option("dataset", "v").load(uri);
    assertEquals(64 * 16, back.count());
    assertEquals(0, back.where("v != i * 100 + j").count());
    assertEquals(0, files(dir.resolve("retry.zarr"), "staging"));
    // Overwrite with a retried task: the new version, complete, no staged objects left.
    write(rows("fail_first_attempt(i)", "i + j"), uri, "overwrite");
    back = spark.read().format("arraymorph").option("dataset", "v").load(uri);
    assertEquals(64 * 16, back.count());
    assertEquals(0, back.where("v != i + j").count());
    assertEquals(0, files(dir.resolve("retry.zarr"), "staging"));
  }

  @Test
  void anOverwriteFailingForGoodKeepsThePreviousVersion() throws IOException {
    String uri = dir.resolve("abort.zarr").toString();
    write(rows("i", "1"), uri, "errorifexists");
    Exception e =
        assertThrows(Exception.class, () -> write(rows("always_fail(i)", "2"), uri, "overwrite"));
    assertTrue(String.valueOf(e.getMessage()).contains("row 37") || e.getCause() != null);
    Dataset<Row> back = spark.read().format("arraymorph").option("dataset", "v").load(uri);
    assertEquals(64 * 16, back.count());
    assertEquals(0, back.where("v != 1").count(), "the old version, whole");
    assertEquals(0, files(dir.resolve("abort.zarr"), "staging"));
  }

  @Test
  void anAbortWaitsForATaskStillPuttingChunksSoNoStagedObjectIsLeft()
      throws IOException, InterruptedException {
    String uri = dir.resolve("straggler.zarr").toString();
    write(rows("i", "1"), uri, "errorifexists");
    // Partition 1 fails for good at row 37 while partition 0 sleeps at the end of chunk (1, 1):
    // the abort runs while that task is still to put the chunk.
    Dataset<Row> df =
        spark.sql(
            "SELECT always_fail(straggle(i, j)) AS i, j, CAST(2 AS INT) AS v"
                + " FROM range(0, 64, 1, 2) a(i) CROSS JOIN range(16) b(j)");
    long start = System.nanoTime();
    assertThrows(Exception.class, () -> write(df, uri, "overwrite"));
    // Counted once the sleeping task has surely put its chunk and stopped.
    long waited = (System.nanoTime() - start) / 1_000_000;
    Thread.sleep(Math.max(0, STRAGGLE_MS + 2_000 - waited));
    assertEquals(0, files(dir.resolve("straggler.zarr"), "staging"), "no staged object left");
    Dataset<Row> back = spark.read().format("arraymorph").option("dataset", "v").load(uri);
    assertEquals(64 * 16, back.count());
    assertEquals(0, back.where("v != 1").count(), "the old version, whole");
  }
}
