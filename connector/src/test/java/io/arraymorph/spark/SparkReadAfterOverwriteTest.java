package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DataFrame keeps the dataset metadata it opened for its schema between the queries made from it
 * (no metadata request when it is queried again); a write in between must never leave those queries
 * reading the old metadata against new chunks: they read what the store holds now, value by value.
 * (A query object already run keeps Spark's physical plan; run again after a write, its tasks'
 * version check refuses it.)
 */
class SparkReadAfterOverwriteTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static void write(String uri, int n, int offset, String mode) {
    spark
        .sql(
            "SELECT i, j, CAST(i * 100 + j + "
                + offset
                + " AS INT) AS v FROM range("
                + n
                + ") a(i) CROSS JOIN range("
                + n
                + ") b(j)")
        .write()
        .format("arraymorph")
        .mode(mode)
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "4,4")
        .save(uri);
  }

  private static Dataset<Row> read(String uri) {
    return spark.read().format("arraymorph").option("dataset", "v").load(uri);
  }

  /** Every row of {@code df} holds {@code i * 100 + j + offset}, and there are n x n of them. */
  private static void assertValues(Dataset<Row> df, int n, int offset) {
    List<Row> rows = df.select("*").collectAsList(); // a new query from the DataFrame
    assertEquals((long) n * n, rows.size());
    for (Row r : rows) {
      assertEquals(r.getLong(0) * 100 + r.getLong(1) + offset, r.getInt(2), r.toString());
    }
    long sum = 0;
    for (long i = 0; i < n; i++) {
      for (long j = 0; j < n; j++) {
        sum += i * 100 + j + offset;
      }
    }
    assertEquals(sum, df.selectExpr("sum(v)").first().getLong(0), "pushed sum");
    assertEquals(
        n * 100L + (n - 1) + offset - 100,
        df.where("i = " + (n - 1) + " AND j = " + (n - 1)).first().getInt(2),
        "filtered read of the last element");
  }

  @Test
  void aDataFrameQueriedAgainAfterAnOverwriteReadsTheNewValues() {
    String uri = dir.resolve("same-shape.zarr").toString();
    write(uri, 10, 1, "overwrite");
    Dataset<Row> df = read(uri);
    assertValues(df, 10, 1);
    write(uri, 10, 5000, "overwrite");
    assertValues(read(uri), 10, 5000);
    assertValues(df, 10, 5000);
  }

  @Test
  void aDataFrameQueriedAgainAfterAnOverwriteWithAnotherShapeReadsTheNewShape() {
    String uri = dir.resolve("new-shape.zarr").toString();
    write(uri, 10, 1, "overwrite");
    Dataset<Row> df = read(uri);
    assertValues(df, 10, 1);
    write(uri, 6, 70, "overwrite");
    assertValues(read(uri), 6, 70);
    assertValues(df, 6, 70);
    write(uri, 13, 9, "overwrite");
    assertValues(df, 13, 9);
  }

  @Test
  void aDataFrameWhoseColumnTypeWasOverwrittenIsRefusedWithAClearError() {
    String uri = dir.resolve("new-type.zarr").toString();
    write(uri, 5, 1, "overwrite");
    Dataset<Row> df = read(uri);
    assertValues(df, 5, 1);
    spark
        .sql("SELECT i, j, CAST(i + j AS DOUBLE) AS v FROM range(5) a(i) CROSS JOIN range(5) b(j)")
        .write()
        .format("arraymorph")
        .mode("overwrite")
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "4,4")
        .save(uri);
    Exception e = assertThrows(Exception.class, () -> df.selectExpr("sum(v)").first());
    assertTrue(e.getMessage().contains("load it again"), e.getMessage());
    assertEquals(
        5 * 5 * 4.0, read(uri).selectExpr("sum(v)").first().getDouble(0), "a new load reads it");
  }

  @Test
  void aDataFrameQueriedAgainAfterAnAppendReadsTheAppendedValues() {
    String uri = dir.resolve("append.zarr").toString();
    write(uri, 8, 3, "overwrite");
    Dataset<Row> df = read(uri);
    assertValues(df, 8, 3);
    write(uri, 8, 40, "append");
    assertValues(df, 8, 40);
  }
}
