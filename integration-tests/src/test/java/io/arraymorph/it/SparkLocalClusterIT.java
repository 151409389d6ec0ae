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
}
