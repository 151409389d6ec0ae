package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.spark.metrics.SparkReadMetrics;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkReadFeaturesTest {
  static SparkSession spark;
  @TempDir static Path dir;
  static String uri;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session();
    uri = dir.resolve("grid.zarr").toString();
    spark
        .sql(
            "SELECT i, j, CAST(i * 100 + j AS INT) AS temp, CAST(i - j AS DOUBLE) AS diff"
                + " FROM range(100) a(i) CROSS JOIN range(100) b(j)")
        .write()
        .format("arraymorph")
        .option("datasets", "temp,diff")
        .option("dims", "i,j")
        .option("chunks", "10,10")
        .save(uri);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Dataset<Row> read() {
    return spark.read().format("arraymorph").option("datasets", "temp,diff").load(uri);
  }

  @Test
  void severalDatasetsReadAsSeveralValueColumns() {
    Dataset<Row> df = read();
    assertEquals("i long, j long, temp int, diff double", SparkReadWriteTest.ddl(df));
    assertEquals(0, df.where("temp != i * 100 + j OR diff != i - j").count());
  }

  @Test
  void orAndInFiltersPlanOnlyOverlappingChunksAndReturnExactRows() {
    Dataset<Row> df = read().where("(i IN (1, 2, 55) AND j < 10) OR (i = 99 AND j >= 95)");
    List<Row> rows = df.collectAsList();
    assertEquals(35, rows.size());
    for (Row r : rows) {
      assertEquals(r.getLong(0) * 100 + r.getLong(1), r.getInt(2));
    }
    // chunks (0,0), (5,0), (9,9) for each of two datasets
    assertEquals(6, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  @Test
  void predicatesOnValuesAreLeftToSpark() {
    // i = 0: all 100 (temp = j); i = 1: j < 50.
    Dataset<Row> df = read().where("temp < 150 AND i < 5");
    assertEquals(150, df.collectAsList().size());
    assertEquals(10, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED) / 2);
  }

  @Test
  void pruningAllDatasetsFetchesNoChunk() {
    Dataset<Row> df = read().select("i", "j").where("i < 20");
    assertEquals(2000, df.collectAsList().size());
    assertEquals(0, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  @Test
  void pruningOneDatasetSkipsItsChunks() {
    Dataset<Row> df = read().select("i", "j", "diff").where("i < 10 AND j < 10");
    assertEquals(100, df.collectAsList().size());
    assertEquals(1, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  /** The columns the scan hands to Spark, as DDL. */
  private static String scanColumns(Dataset<Row> df) {
    return SparkTestSupport.scans(df.queryExecution().executedPlan())
        .get(0)
        .scan()
        .readSchema()
        .toDDL();
  }

  @Test
  void aggregateOfValuesWithPushedFiltersFillsNoIndexColumn() {
    long want = 0;
    for (long i = 10; i < 30; i++) {
      for (long j = 0; j < 50; j++) {
        want += i * 100 + j;
      }
    }
    // Aggregated by Spark (push_aggregates=false): the scan hands it the value column only.
    Dataset<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .option("datasets", "temp,diff")
            .option("push_aggregates", "false")
            .load(uri)
            .where("i >= 10 AND i < 30 AND j < 50")
            .selectExpr("sum(temp)", "count(*)");
    assertEquals("temp INT NOT NULL", scanColumns(rows));
    // Aggregated by the tasks (default): the scan hands Spark one partial row per task.
    Dataset<Row> pushed =
        read().where("i >= 10 AND i < 30 AND j < 50").selectExpr("sum(temp)", "count(*)");
    assertEquals("agg0_sum_temp BIGINT,agg1_count_star BIGINT", scanColumns(pushed));
    for (Dataset<Row> df : List.of(rows, pushed)) {
      Row r = df.first();
      assertEquals(want, r.getLong(0));
      assertEquals(20 * 50, r.getLong(1));
    }
  }

  @Test
  void onlyTheIndexColumnsAQueryReadsAreFilled() {
    Dataset<Row> df = read().where("i = 7").select("j", "diff");
    assertEquals("j BIGINT NOT NULL,diff DOUBLE NOT NULL", scanColumns(df));
    List<Row> rows = df.orderBy("j").collectAsList();
    assertEquals(100, rows.size());
    for (int k = 0; k < rows.size(); k++) {
      assertEquals(k, rows.get(k).getLong(0));
      assertEquals(7.0 - k, rows.get(k).getDouble(1));
    }
    Dataset<Row> lastOnly = read().where("j = 3").select("i");
    assertEquals("i BIGINT NOT NULL", scanColumns(lastOnly));
    List<Long> is = lastOnly.orderBy("i").as(org.apache.spark.sql.Encoders.LONG()).collectAsList();
    assertEquals(100, is.size());
    for (int k = 0; k < is.size(); k++) {
      assertEquals(k, is.get(k));
    }
  }

  @Test
  void countOfEveryRowStillCountsEveryElement() {
    Dataset<Row> df = read().where("i < 15 AND j >= 5").groupBy().count();
    assertEquals(
        1,
        SparkTestSupport.scans(df.queryExecution().executedPlan())
            .get(0)
            .scan()
            .readSchema()
            .size());
    assertEquals(15 * 95, df.first().getLong(0));
    assertEquals(10_000, read().count());
  }

  @Test
  void limitIsPushedIntoPlanning() {
    Dataset<Row> df = read().limit(5);
    assertEquals(5, df.collectAsList().size());
    long fetched = SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED);
    assertTrue(fetched <= 2, "fetched " + fetched);
  }

  @Test
  void partitionsGroupWholeChunksToTheTargetSize() {
    // 100 chunks of 10x10 (400 B int + 800 B double = 1200 B decoded): 12000 B per partition -> 10.
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .option("datasets", "temp,diff")
            .option("partition_bytes", "12000")
            .load(uri);
    assertEquals(10, df.rdd().getNumPartitions());
    Dataset<Row> one = read();
    assertEquals(1, one.rdd().getNumPartitions());
  }

  @Test
  void statisticsReportRowsAndSize() {
    Dataset<Row> df = read().where("i < 10");
    df.collectAsList();
    BatchScanExec scan = SparkTestSupport.scans(df.queryExecution().executedPlan()).get(0);
    Statistics stats = ((SupportsReportStatistics) scan.scan()).estimateStatistics();
    assertEquals(1000, stats.numRows().getAsLong());
    assertEquals(1000L * (8 + 8 + 4 + 8), stats.sizeInBytes().getAsLong());
    assertTrue(SparkTestSupport.metric(df, SparkReadMetrics.BYTES_FETCHED) > 0);
    assertTrue(SparkTestSupport.metric(df, SparkReadMetrics.REQUESTS) >= 20);
  }

  @Test
  void listDatasetsShowsShapesTypesAndChunks() {
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .option("list", "datasets")
            .load(uri)
            .orderBy("path")
            .collectAsList();
    Row temp = rows.stream().filter(r -> r.getString(0).equals("temp")).findFirst().orElseThrow();
    assertEquals("dataset", temp.getString(1));
    assertEquals(List.of(100L, 100L), temp.getList(2));
    assertEquals("int32", temp.getString(3));
    assertEquals(List.of(10, 10), temp.getList(4));
    assertTrue(rows.stream().anyMatch(r -> r.getString(1).equals("group")));
  }

  @Test
  void listChunksShowsOneRowPerStoredChunk() {
    Dataset<Row> chunks =
        spark
            .read()
            .format("arraymorph")
            .option("list", "chunks")
            .option("dataset", "temp")
            .load(uri);
    assertEquals(100, chunks.count());
    Row first = chunks.orderBy("key").first();
    assertEquals("temp", first.getString(0));
    assertTrue(first.getString(2).startsWith("temp/c/"));
    assertTrue(first.getLong(3) > 0);
  }

  @Test
  void sessionConfigurationSetsOptions() {
    spark.conf().set("spark.datasource.arraymorph.datasets", "diff");
    try {
      Dataset<Row> df = spark.read().format("arraymorph").load(uri);
      assertEquals("i long, j long, diff double", SparkReadWriteTest.ddl(df));
    } finally {
      spark.conf().unset("spark.datasource.arraymorph.datasets");
    }
  }

  @Test
  void sqlTablesUsingArraymorphCanBeQueried() {
    spark.sql("CREATE TABLE temps USING arraymorph OPTIONS (path '" + uri + "', dataset 'temp')");
    try {
      List<Row> rows =
          spark
              .sql("SELECT i, j, temp FROM temps WHERE i = 3 AND j BETWEEN 4 AND 6 ORDER BY j")
              .collectAsList();
      assertEquals(3, rows.size());
      assertEquals(304, rows.get(0).getInt(2));
    } finally {
      spark.sql("DROP TABLE temps");
    }
  }

  @Test
  void secretsNeverAppearInExplainOutput() {
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "temp")
            .option("secret_key", "TOPSECRETVALUE123")
            .load(uri)
            .where("i < 3");
    String explained =
        df.queryExecution().toString()
            + df.queryExecution()
                .explainString(org.apache.spark.sql.execution.ExtendedMode$.MODULE$);
    assertFalse(explained.contains("TOPSECRETVALUE123"), explained);
    assertEquals(300, df.count());
  }

  @Test
  void rowsLayoutReturnsOneRowPerFirstIndexWithNestedArrays() {
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "temp")
            .option("layout", "rows")
            .load(uri)
            .where("i BETWEEN 10 AND 12");
    assertEquals("i long, temp array<int>", SparkReadWriteTest.ddl(df));
    List<Row> rows = df.orderBy("i").collectAsList();
    assertEquals(3, rows.size());
    List<Integer> row11 = rows.get(1).getList(1);
    assertEquals(100, row11.size());
    assertEquals(1105, row11.get(5));
  }
}
