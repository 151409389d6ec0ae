package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.StoreSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Aggregates pushed into the scan ({@code push_aggregates}) give what Spark computes from the rows:
 * every aggregate of every numeric type over random data with NaN, -0.0, fill values and chunks
 * never written, whole and filtered, compared with the same query with the option off; one chunk
 * per task, so Spark merges many partial rows, or one task, whose row is the answer. A subclass
 * gives the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkAggregatePushdownContract {
  private static final long ROWS = 23;
  private static final long COLS = 19;
  private static final List<DataType> TYPES =
      List.of(
          DataType.FLOAT32,
          DataType.FLOAT64,
          DataType.INT8,
          DataType.UINT8,
          DataType.INT16,
          DataType.UINT16,
          DataType.INT32,
          DataType.UINT32,
          DataType.INT64);
  private static final String QUERY =
      "SELECT count(*), count(v), sum(v), min(v), max(v), avg(v) FROM t";
  private static final List<String> WHERE =
      List.of(
          "",
          " WHERE dim_0 BETWEEN 3 AND 17 AND dim_1 < 11",
          " WHERE dim_0 = 12",
          " WHERE dim_0 > 1000");

  private SparkSession spark;
  private String uri;

  /** A directory on the store, such as {@code s3://bucket/aggregates}. */
  protected abstract String root();

  /** The options (endpoint, credentials) that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  @BeforeAll
  void start() {
    spark = SparkTestSupport.session();
    uri = root() + "/agg-" + UUID.randomUUID().toString().substring(0, 8) + ".zarr";
    Random rnd = new Random(15);
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(options()))) {
      for (DataType type : TYPES) {
        Dataset ds =
            store.createDataset(
                type.zarrName(),
                ArraySpec.of(type, ROWS, COLS)
                    .chunks(5, 4)
                    .fillValue(type.isFloatingPoint() ? -7.5 : 3));
        // Chunk rows 0-1 and 3-4 are written; chunk row 2 (rows 10-14) is never written, so it
        // reads as the fill value.
        ds.write(new long[] {0, 0}, random(type, 10, rnd));
        ds.write(new long[] {15, 0}, random(type, ROWS - 15, rnd));
      }
      Dataset big = store.createDataset("big", ArraySpec.of(DataType.INT64, 4, 4).chunks(2, 2));
      long[] huge = new long[16];
      java.util.Arrays.fill(huge, Long.MAX_VALUE / 4);
      big.write(new long[] {0, 0}, NdArray.of(huge, 4, 4));
    }
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  /** {@code rows} x COLS random elements; floats hold NaN and -0.0 among them. */
  private static NdArray random(DataType type, long rows, Random rnd) {
    int n = (int) (rows * COLS);
    ByteBuffer b = ByteBuffer.allocate(n * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < n; k++) {
      double f = rnd.nextDouble();
      double x = f < 0.04 ? Double.NaN : f < 0.08 ? -0.0 : rnd.nextGaussian() * 1e3;
      switch (type) {
        case FLOAT32 -> b.putFloat((float) x);
        case FLOAT64 -> b.putDouble(x);
        case INT8, UINT8 -> b.put((byte) rnd.nextInt());
        case INT16, UINT16 -> b.putShort((short) rnd.nextInt());
        case INT32, UINT32 -> b.putInt(rnd.nextInt());
        case INT64 -> b.putLong(rnd.nextLong() >> 20);
        default -> throw new IllegalArgumentException(type.zarrName());
      }
    }
    return NdArray.wrap(type, new long[] {rows, COLS}, b.array());
  }

  private org.apache.spark.sql.Dataset<Row> table(String dataset, boolean push) {
    return table(dataset, push, 1);
  }

  private org.apache.spark.sql.Dataset<Row> table(
      String dataset, boolean push, long partitionBytes) {
    return spark
        .read()
        .format("arraymorph")
        .options(options())
        .option("dataset", dataset)
        .option("partition_bytes", String.valueOf(partitionBytes))
        .option("push_aggregates", String.valueOf(push))
        .load(uri)
        .withColumnRenamed(dataset, "v");
  }

  private org.apache.spark.sql.Dataset<Row> query(String dataset, boolean push, String sql) {
    table(dataset, push).createOrReplaceTempView("t");
    return spark.sql(sql);
  }

  private static String plan(org.apache.spark.sql.Dataset<Row> df) {
    return df.queryExecution().executedPlan().toString();
  }

  @Test
  void everyAggregateOfEveryTypeEqualsSparksOwn() {
    for (DataType type : TYPES) {
      for (String where : WHERE) {
        String what = type.zarrName() + where;
        org.apache.spark.sql.Dataset<Row> pushed = query(type.zarrName(), true, QUERY + where);
        assertTrue(
            plan(pushed).contains("pushedAggregates=[COUNT(*), SUM(" + type.zarrName() + ")"),
            what + ": " + plan(pushed));
        Row got = pushed.collectAsList().get(0);
        org.apache.spark.sql.Dataset<Row> unpushed = query(type.zarrName(), false, QUERY + where);
        assertFalse(plan(unpushed).contains("pushedAggregates"), what);
        Row want = unpushed.collectAsList().get(0);
        assertEquals(want.getLong(0), got.getLong(0), what + " count(*)");
        assertEquals(want.getLong(1), got.getLong(1), what + " count(v)");
        for (int c = 2; c < 6; c++) {
          assertSame(want.get(c), got.get(c), what + " column " + c);
        }
      }
    }
  }

  @Test
  void aScanOfOneTaskAnswersTheAggregatesItselfWithSparksValues() {
    for (DataType type : TYPES) {
      for (String where : WHERE) {
        String what = type.zarrName() + where;
        // The default partition size puts the whole array in one task.
        table(type.zarrName(), true, 128L << 20).createOrReplaceTempView("t");
        org.apache.spark.sql.Dataset<Row> pushed = spark.sql(QUERY + where);
        String plan = plan(pushed);
        assertTrue(plan.contains("pushedAggregates=[COUNT(*), SUM("), what + ": " + plan);
        assertFalse(
            plan.contains("HashAggregate")
                || plan.contains("SortAggregate")
                || plan.contains("Exchange"),
            what + ": " + plan);
        Row got = pushed.collectAsList().get(0);
        Row want = query(type.zarrName(), false, QUERY + where).collectAsList().get(0);
        assertEquals(want.getLong(0), got.getLong(0), what + " count(*)");
        assertEquals(want.getLong(1), got.getLong(1), what + " count(v)");
        for (int c = 2; c < 6; c++) {
          assertSame(want.get(c), got.get(c), what + " column " + c);
        }
        // A limit above the aggregate limits its one row, not the elements aggregated.
        Row limited = spark.sql("SELECT sum(v), count(*) FROM t" + where + " LIMIT 1").first();
        assertSame(want.get(2), limited.get(0), what + " sum under a limit");
        assertEquals(want.getLong(0), limited.getLong(1), what + " count under a limit");
      }
    }
    // Several tasks: Spark adds up their partial rows.
    table("int32", true, 1).createOrReplaceTempView("t");
    assertTrue(plan(spark.sql("SELECT sum(v) FROM t")).contains("HashAggregate"));
  }

  @Test
  void countsAndIntegerSumsMatchTheJavaApiValues() {
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(options()))) {
      long[] v = store.dataset("int32").read().toLongArray();
      long sum = 0;
      for (long x : v) {
        sum += x;
      }
      Row r = query("int32", true, "SELECT count(*), sum(v) FROM t").first();
      assertEquals(ROWS * COLS, r.getLong(0));
      assertEquals(sum, r.getLong(1));
    }
  }

  @Test
  void anIntegerSumLeavingTheLongRangeIsRefusedNotWrapped() {
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .read()
                    .format("arraymorph")
                    .options(options())
                    .option("dataset", "big")
                    .option("partition_bytes", "1000000")
                    .load(uri)
                    .selectExpr("sum(big)")
                    .collectAsList());
    Throwable root = e;
    boolean named = false;
    while (root != null) {
      named |= String.valueOf(root.getMessage()).contains("push_aggregates=false");
      root = root.getCause();
    }
    assertTrue(named, "the error names the option that turns pushdown off: " + e);
  }

  @Test
  void groupedAndDistinctAggregatesAreLeftToSpark() {
    org.apache.spark.sql.Dataset<Row> grouped =
        query("int32", true, "SELECT dim_0, sum(v) FROM t GROUP BY dim_0");
    assertFalse(plan(grouped).contains("pushedAggregates"));
    org.apache.spark.sql.Dataset<Row> distinct =
        query("int32", true, "SELECT count(DISTINCT v) FROM t");
    assertFalse(plan(distinct).contains("pushedAggregates"));
    assertEquals(
        query("int32", false, "SELECT count(DISTINCT v) FROM t").first().getLong(0),
        distinct.first().getLong(0));
  }

  /** Equal values: NaN equals NaN, -0.0 equals 0.0, floating sums within rounding of the order. */
  private static void assertSame(Object want, Object got, String what) {
    if (want == null || got == null) {
      assertEquals(want, got, what);
      return;
    }
    assertEquals(want.getClass(), got.getClass(), what);
    if (want instanceof Double || want instanceof Float) {
      double w = ((Number) want).doubleValue();
      double g = ((Number) got).doubleValue();
      if (Double.isNaN(w) || Double.isNaN(g)) {
        assertTrue(Double.isNaN(w) && Double.isNaN(g), what + ": " + want + " vs " + got);
      } else {
        // Spark adds the partial rows in the order their tasks finish: sums may differ in the
        // last bits between two runs of the same query, pushed or not.
        assertEquals(w, g, Math.abs(w) * 1e-12, what);
      }
      return;
    }
    assertEquals(want, got, what);
  }
}
