package io.arraymorph.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.jdk.javaapi.CollectionConverters;

/** A local Spark session for tests and helpers to read SQL metrics of executed queries. */
final class SparkTestSupport {
  private SparkTestSupport() {}

  static SparkSession session() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("arraymorph-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  /** Collects the rows and returns the sum of a custom metric over the query's arraymorph scans. */
  static long metric(Dataset<Row> df, String name) {
    long total = 0;
    for (BatchScanExec scan : scans(df.queryExecution().executedPlan())) {
      SQLMetric m = CollectionConverters.asJava(scan.metrics()).get(name);
      if (m != null) {
        total += m.value();
      }
    }
    return total;
  }

  static List<BatchScanExec> scans(SparkPlan plan) {
    List<BatchScanExec> out = new ArrayList<>();
    walk(plan, out);
    return out;
  }

  private static void walk(SparkPlan plan, List<BatchScanExec> out) {
    if (plan instanceof AdaptiveSparkPlanExec a) {
      walk(a.executedPlan(), out);
      return;
    }
    if (plan instanceof QueryStageExec q) {
      walk(q.plan(), out);
      return;
    }
    if (plan instanceof BatchScanExec b) {
      out.add(b);
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      walk(child, out);
    }
  }
}
