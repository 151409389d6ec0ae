package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.testing.StartsServers;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes and reads an array on a real multi-JVM Spark cluster ({@code local-cluster[2,1,1024]}):
 * plans, options and chunk lists are serialized to two executor JVMs that open the store
 * themselves.
 */
@StartsServers
@Order(2)
class SparkLocalClusterIT {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = Sessions.cluster();
  }

  @Test
  void writesAndReadsBackAnArrayAcrossExecutorJvms() {
    String uri = dir.resolve("cluster.zarr").toAbsolutePath().toString();
    Dataset<Row> in =
        spark.sql(
            "SELECT i, j, CAST(i * 1000 + j AS DOUBLE) AS v FROM range(60) a(i) CROSS JOIN range(50) b(j)");
    in.write()
        .format("arraymorph")
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "8,8")
        .option("codec", "zstd")
        .save(uri);
    Dataset<Row> back =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "v")
            .option("partition_bytes", "4096")
            .load(uri);
    assertEquals(3000, back.count());
    assertEquals(0, back.exceptAll(in).count());
    List<Row> slice = back.where("i BETWEEN 8 AND 15 AND j < 8").collectAsList();
    assertEquals(64, slice.size());
    // The read tasks ran in executor JVMs, not in the driver.
    Set<String> pids =
        back
            .selectExpr("reflect('java.lang.ProcessHandle', 'current') AS p")
            .distinct()
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .collect(Collectors.toSet());
    String driverPid = Long.toString(ProcessHandle.current().pid());
    assertTrue(
        !pids.isEmpty() && !pids.contains(driverPid),
        "executor pids " + pids + ", driver " + driverPid);
  }

  @Test
  void anAppendAcrossExecutorJvmsKeepsTheStoredCodecAndFillAndGrowsTheShape() {
    String uri = dir.resolve("append.zarr").toAbsolutePath().toString();
    spark
        .sql(
            "SELECT i, j, CAST(i * 1000 + j AS DOUBLE) AS v FROM range(40) a(i) CROSS JOIN range(30) b(j)")
        .write()
        .format("arraymorph")
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "8,8")
        .option("codec", "gzip")
        .option("fill_value", "nan")
        .save(uri);
    // No layout option repeated; rows 36-47 reach past the 40-row shape, columns 20-29 only.
    spark
        .sql(
            "SELECT i, j, CAST(-(i * 1000 + j) AS DOUBLE) AS v FROM range(36, 48) a(i) CROSS JOIN range(20, 30) b(j)")
        .write()
        .format("arraymorph")
        .mode("append")
        .option("dataset", "v")
        .save(uri);
    Dataset<Row> back =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "v")
            .option("partition_bytes", "4096")
            .load(uri);
    assertEquals(48 * 30, back.count());
    assertEquals(0, back.where("i >= 36 AND j >= 20 AND v != -(i * 1000 + j)").count());
    assertEquals(0, back.where("i < 36 AND v != i * 1000 + j").count());
    assertEquals(0, back.where("i < 40 AND j < 20 AND v != i * 1000 + j").count());
    // Cells never written (rows 40-47, columns 0-19) hold the stored NaN fill value.
    assertEquals(8 * 20, back.where("i >= 40 AND j < 20 AND isnan(v)").count());
  }

  @Test
  void anOrderFreeWriteAcrossExecutorJvmsStagesFragmentsAndMergesThemAtCommit() {
    String uri = dir.resolve("order-free.zarr").toAbsolutePath().toString();
    // Random order over 4 partitions and a budget of two 8 x 8 chunk buffers per task: every task
    // stages partial chunks as fragments; driver_merge_bytes=1 merges them in a Spark job whose
    // tasks also run in the executor JVMs.
    Dataset<Row> in =
        spark
            .sql(
                "SELECT i, j, CAST(i * 1000 + j + 0.25 AS DOUBLE) AS v FROM range(37) a(i)"
                    + " CROSS JOIN range(29) b(j)")
            .repartition(4)
            .orderBy(org.apache.spark.sql.functions.rand(7));
    in.write()
        .format("arraymorph")
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "8,8")
        .option("write_buffer_bytes", "1100")
        .option("driver_merge_bytes", "1")
        .save(uri);
    try (io.arraymorph.api.ArrayStore store = io.arraymorph.api.ArrayStore.open(uri)) {
      double[] got = store.dataset("v").read().toDoubleArray();
      assertEquals(37 * 29, got.length);
      for (int i = 0; i < 37; i++) {
        for (int j = 0; j < 29; j++) {
          assertEquals(i * 1000 + j + 0.25, got[i * 29 + j], "cell (" + i + ", " + j + ")");
        }
      }
    }
    // Nothing staged is left behind.
    assertTrue(
        !java.nio.file.Files.exists(dir.resolve("order-free.zarr").resolve(".arraymorph-staging"))
            || dir.resolve("order-free.zarr").resolve(".arraymorph-staging").toFile().list().length
                == 0,
        "staging left");

    // The rows layout in any order, and a sample written by two tasks is refused.
    String rows = dir.resolve("order-free-rows.zarr").toAbsolutePath().toString();
    spark
        .sql(
            "SELECT id AS sample, transform(sequence(0, 3), r -> transform(sequence(0, 2), c"
                + " -> CAST((id * 12 + r * 3 + c) % 256 AS SHORT))) AS image FROM range(0, 53, 1, 4)")
        .repartition(3)
        .write()
        .format("arraymorph")
        .option("layout", "rows")
        .option("dataset", "images")
        .option("dims", "sample")
        .option("dtype", "uint8")
        .option("chunks", "10,4,3")
        .save(rows);
    try (io.arraymorph.api.ArrayStore store = io.arraymorph.api.ArrayStore.open(rows)) {
      long[] got = store.dataset("images").read().toLongArray();
      for (int k = 0; k < 53 * 12; k++) {
        assertEquals(k % 256, got[k], "element " + k);
      }
    }
    String dup = dir.resolve("order-free-dup.zarr").toAbsolutePath().toString();
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class,
            () ->
                spark
                    .sql(
                        "SELECT id % 20 AS i, 0L AS j, CAST(id AS DOUBLE) AS v FROM range(0, 40, 1, 2)")
                    .write()
                    .format("arraymorph")
                    .option("dataset", "v")
                    .option("dims", "i,j")
                    .option("chunks", "8,1")
                    .save(dup));
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.append(t.getMessage()).append(" | ");
    }
    assertTrue(chain.toString().contains("Duplicate coordinates"), chain.toString());
    try (io.arraymorph.api.ArrayStore store = io.arraymorph.api.ArrayStore.open(dup)) {
      assertTrue(!store.exists("v"), "a refused write leaves no dataset");
    }
  }
}
