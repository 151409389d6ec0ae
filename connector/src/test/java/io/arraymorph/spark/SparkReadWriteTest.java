package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.spark.metrics.SparkReadMetrics;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkReadWriteTest {
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

  private Dataset<Row> grid100() {
    return spark.sql(
        "SELECT i, j, CAST(i * 100 + j AS INT) AS values FROM range(100) a(i) CROSS JOIN range(100) b(j)");
  }

  @Test
  void writesA2dArrayAndReadsItBackExactly() {
    String uri = dir.resolve("a.zarr").toString();
    grid100()
        .write()
        .format("arraymorph")
        .option("dataset", "values")
        .option("dims", "i,j")
        .option("chunks", "10,10")
        .save(uri);
    Dataset<Row> back = spark.read().format("arraymorph").option("dataset", "values").load(uri);
    assertEquals("i long, j long, values int", ddl(back));
    List<Row> rows = back.orderBy("i", "j").collectAsList();
    assertEquals(10000, rows.size());
    for (Row r : rows) {
      assertEquals(r.getLong(0) * 100 + r.getLong(1), r.getInt(2));
    }
  }

  @Test
  void filteredReadFetchesOnlyTheFourOverlappingChunks() {
    String uri = dir.resolve("f.zarr").toString();
    grid100()
        .write()
        .format("arraymorph")
        .option("dataset", "values")
        .option("dims", "i,j")
        .option("chunks", "10,10")
        .save(uri);
    Dataset<Row> slice =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "values")
            .load(uri)
            .where("i BETWEEN 5 AND 14 AND j BETWEEN 5 AND 14");
    List<Row> rows = slice.collectAsList();
    assertEquals(100, rows.size());
    for (Row r : rows) {
      assertEquals(r.getLong(0) * 100 + r.getLong(1), r.getInt(2));
    }
    assertEquals(4, SparkTestSupport.metric(slice, SparkReadMetrics.CHUNKS_FETCHED));
  }

  static String ddl(Dataset<Row> df) {
    StringBuilder sb = new StringBuilder();
    for (var f : df.schema().fields()) {
      sb.append(sb.length() == 0 ? "" : ", ")
          .append(f.name())
          .append(' ')
          .append(f.dataType().simpleString());
    }
    return sb.toString().replace("bigint", "long");
  }
}
