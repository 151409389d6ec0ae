package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arraymorph.testing.StartsServers;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The abort's wait for tasks Spark is still killing, across executor JVMs ({@code
 * local-cluster[2,1,1024]}): the driver's listener counts the remote executors' tasks too, so an
 * overwrite failing for good while another task (in a call ignoring interrupts) is still to put a
 * chunk leaves no staged object, on the local store and on S3Proxy.
 */
@StartsServers
@Order(4)
class SparkAbortStragglerClusterIT {

  static Stream<StoreFixture> stores() {
    return Stream.of(StoreFixture.local(), StoreFixture.s3());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void anAbortWaitsForARemoteTaskStillPuttingChunksSoNoStagedObjectIsLeft(StoreFixture store)
      throws InterruptedException {
    SparkSession spark = Sessions.cluster();
    Stragglers.register(spark, false);
    String uri = store.newLocation("abort-straggler");
    write(spark.sql(rows("i", "1")), uri, store, "errorifexists");
    // Partition 1 fails for good at row 37 while partition 0, in the other executor JVM, sleeps at
    // the end of chunk (1, 1): the abort runs while that task is still to put the chunk.
    long start = System.nanoTime();
    assertThrows(
        Exception.class,
        () -> write(spark.sql(rows("always_fail(straggle(i, j))", "2")), uri, store, "overwrite"));
    long waited = (System.nanoTime() - start) / 1_000_000;
    // Counted once the sleeping task has surely put its chunk and stopped.
    Thread.sleep(Math.max(0, Stragglers.STRAGGLE_MS + 2_000 - waited));
    assertEquals(0, Stragglers.stagedObjects(uri, store.options()), "no staged object left");
    Dataset<Row> back =
        spark.read().format("arraymorph").options(store.options()).option("dataset", "v").load(uri);
    assertEquals(64 * 16, back.count());
    assertEquals(0, back.where("v != 1").count(), "the old version, whole");
  }

  /** 64 x 16 elements in two partitions: i = 0..31 in the first, 32..63 in the second. */
  static String rows(String iExpr, String v) {
    return rows(iExpr, v, 2);
  }

  /** 64 x 16 elements in {@code partitions} partitions, in row-major order. */
  static String rows(String iExpr, String v, int partitions) {
    return "SELECT "
        + iExpr
        + " AS i, j, CAST("
        + v
        + " AS INT) AS v FROM (SELECT id DIV 16 AS i, id % 16 AS j FROM range(0, 1024, 1, "
        + partitions
        + "))";
  }

  static void write(Dataset<Row> df, String uri, StoreFixture store, String mode) {
    df.write()
        .format("arraymorph")
        .mode(mode)
        .options(store.options())
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "8,8")
        .save(uri);
  }
}
