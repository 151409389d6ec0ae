package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.jdk.javaapi.CollectionConverters;

/** Spark scenarios shared by the per-store suites and the cluster suite. */
final class Scenarios {
  private Scenarios() {}

  /**
   * Every data type: {column, dtype, SQL expression of i and j, Spark type read back}. The first
   * seven follow their column's type; the others need the {@code dtype} option.
   */
  static final String[][] TYPES = {
    {"b", "bool", "(i + j) % 2 = 0", "boolean"},
    {"i8", "int8", "CAST(i * 5 + j - 60 AS TINYINT)", "tinyint"},
    {"i16", "int16", "CAST(i * 1000 - j AS SMALLINT)", "smallint"},
    {"i32", "int32", "CAST(i * 100000 + j AS INT)", "int"},
    {"i64", "int64", "i * 10000000000 + j", "bigint"},
    {"f32", "float32", "CAST(i + j / 3.0 AS FLOAT)", "float"},
    {"f64", "float64", "CAST(i + j / 7.0 AS DOUBLE)", "double"},
    {"u8", "uint8", "CAST(i * 12 + j AS INT)", "smallint"},
    {"u16", "uint16", "CAST(i * 3000 + j AS INT)", "int"},
    {"u32", "uint32", "i * 200000000 + j", "bigint"},
    {
      "u64",
      "uint64",
      "CAST(CAST(i AS DECIMAL(20,0)) * 900000000000000000 + j AS DECIMAL(20,0))",
      "decimal(20,0)"
    },
    {"f16", "float16", "CAST(i + j / 4.0 AS FLOAT)", "float"},
  };

  static final int NATURAL_TYPES = 7;
  static final String GRID = " FROM range(20) a(i) CROSS JOIN range(15) b(j)";

  /**
   * Writes every data type into one location with Spark (several value columns in one write, then
   * one write per type that needs {@code dtype}), reads them back as twelve value columns with a
   * filter on the dimensions and checks exact values and that only the overlapping chunks were
   * fetched.
   */
  static void allTypesWriteThenFilteredRead(
      SparkSession spark, String location, Map<String, String> options) {
    StringBuilder natural = new StringBuilder("SELECT i, j");
    for (int t = 0; t < NATURAL_TYPES; t++) {
      natural.append(", ").append(TYPES[t][2]).append(" AS ").append(TYPES[t][0]);
    }
    spark
        .sql(natural + GRID)
        .write()
        .format("arraymorph")
        .options(options)
        .option("dims", "i,j")
        .option("chunks", "4,5")
        .save(location);
    for (int t = NATURAL_TYPES; t < TYPES.length; t++) {
      spark
          .sql("SELECT i, j, " + TYPES[t][2] + " AS " + TYPES[t][0] + GRID)
          .write()
          .format("arraymorph")
          .options(options)
          .option("dataset", TYPES[t][0])
          .option("dtype", TYPES[t][1])
          .option("dims", "i,j")
          .option("chunks", "4,5")
          .option("codec", t % 2 == 0 ? "zstd" : "gzip")
          .save(location);
    }
    List<String> names = new ArrayList<>();
    StringBuilder expected = new StringBuilder("SELECT i, j");
    for (String[] type : TYPES) {
      names.add(type[0]);
      expected.append(", CAST(").append(type[2]).append(" AS ").append(type[3]);
      expected.append(") AS ").append(type[0]);
    }
    String where = "i BETWEEN 4 AND 11 AND j >= 10";
    Dataset<Row> back =
        spark
            .read()
            .format("arraymorph")
            .options(options)
            .option("datasets", String.join(",", names))
            .load(location);
    for (int t = 0; t < TYPES.length; t++) {
      assertEquals(
          TYPES[t][3],
          back.schema().fields()[2 + t].dataType().simpleString(),
          "type of " + TYPES[t][0]);
    }
    // No ORDER BY in the measured query: a global sort samples its input (a second scan).
    Dataset<Row> filtered = back.where(where);
    List<Row> actual = sorted(filtered.collectAsList());
    List<Row> want =
        spark.sql(expected + GRID + " WHERE " + where + " ORDER BY i, j").collectAsList();
    assertEquals(40, want.size());
    assertEquals(want, actual);
    // 2 of the 15 chunks of each of the 12 datasets overlap the filter (chunks 4x5 on 20x15).
    assertEquals(2L * TYPES.length, metric(filtered, "chunksFetched"), "chunks fetched");
    // And everything else reads back too.
    assertEquals(
        0, back.exceptAll(spark.sql(expected + GRID)).count(), "whole arrays read back exactly");
  }

  /**
   * A combined scenario for a cluster: write two value columns with the store options, read with a
   * filter, check exact values and chunk pruning.
   */
  static Dataset<Row> twoColumnWriteThenFilteredRead(
      SparkSession spark, String location, Map<String, String> options) {
    String grid = " FROM range(30) a(i) CROSS JOIN range(20) b(j)";
    Dataset<Row> in =
        spark.sql(
            "SELECT i, j, CAST(i * 1000 + j AS INT) AS t, CAST(i + j / 8.0 AS DOUBLE) AS u" + grid);
    in.write()
        .format("arraymorph")
        .options(options)
        .option("dims", "i,j")
        .option("chunks", "8,8")
        .option("codec", "zstd")
        .save(location);
    Dataset<Row> back =
        spark
            .read()
            .format("arraymorph")
            .options(options)
            .option("datasets", "t,u")
            .option("partition_bytes", "2048")
            .load(location);
    Dataset<Row> slice = back.where("i BETWEEN 8 AND 15 AND j < 8");
    List<Row> actual = sorted(slice.collectAsList());
    List<Row> want = in.where("i BETWEEN 8 AND 15 AND j < 8").orderBy("i", "j").collectAsList();
    assertEquals(64, want.size());
    assertEquals(want, actual);
    assertEquals(2, metric(slice, "chunksFetched"), "one chunk of each of the two datasets");
    assertEquals(0, back.exceptAll(in).count());
    assertEquals(600, back.count());
    return back;
  }

  /** Rows sorted by their first two (index) columns. */
  static List<Row> sorted(List<Row> rows) {
    List<Row> out = new ArrayList<>(rows);
    out.sort(
        java.util.Comparator.<Row>comparingLong(r -> r.getLong(0))
            .thenComparingLong(r -> r.getLong(1)));
    return out;
  }

  /** Sum of a custom metric over the arraymorph scans of an executed query. */
  static long metric(Dataset<Row> df, String name) {
    long total = 0;
    for (BatchScanExec scan : scans(df.queryExecution().executedPlan(), new ArrayList<>())) {
      SQLMetric m = CollectionConverters.asJava(scan.metrics()).get(name);
      if (m != null) {
        total += m.value();
      }
    }
    return total;
  }

  private static List<BatchScanExec> scans(SparkPlan plan, List<BatchScanExec> out) {
    if (plan instanceof AdaptiveSparkPlanExec a) {
      return scans(a.executedPlan(), out);
    }
    if (plan instanceof QueryStageExec q) {
      return scans(q.plan(), out);
    }
    if (plan instanceof BatchScanExec b) {
      out.add(b);
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      scans(child, out);
    }
    return out;
  }

  /** A throwable's full text: messages, causes, suppressed and stack traces. */
  static String fullText(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /** Asserts no secret shows in a text. */
  static void assertNoSecret(String text, List<String> secrets, String what) {
    for (String s : secrets) {
      assertFalse(text.contains(s), what + " shows a secret");
    }
  }

  /** Every form of a query's plan: queryExecution's text and explain(true)'s output. */
  static String plans(Dataset<Row> df) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    scala.Console.withOut(
        out,
        new scala.runtime.AbstractFunction0<Object>() {
          @Override
          public Object apply() {
            df.explain(true);
            return null;
          }
        });
    String explained = out.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(explained.contains("BatchScan"), "explain output captured: " + explained);
    return df.queryExecution().toString() + "\n" + explained;
  }
}
