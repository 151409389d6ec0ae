package io.arraymorph.spark;

import io.arraymorph.testing.FaultProxy;
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

  /**
   * A query's rows and what it cost, as a recording proxy saw it: the requests since the proxy was
   * last drained until the query was planned (the driver's), then those of running it (the
   * executors').
   */
  record Counted(
      List<Row> rows,
      int tasks,
      List<FaultProxy.Request> driver,
      List<FaultProxy.Request> executors) {
    /** The executors' requests of {@code method} (GET, HEAD). */
    long executors(String method) {
      return executors.stream().filter(r -> r.method().equals(method)).count();
    }
  }

  /**
   * Plans and runs {@code df} through {@code proxy}; prints the counts as REQUESTS {@code what}.
   */
  static Counted counted(String what, Dataset<Row> df, FaultProxy proxy) {
    int tasks = scans(df.queryExecution().executedPlan()).get(0).inputPartitions().size();
    List<FaultProxy.Request> driver = proxy.drainRecorded();
    List<Row> rows = df.collectAsList();
    Counted c = new Counted(rows, tasks, driver, proxy.drainRecorded());
    System.out.println(
        "REQUESTS "
            + what
            + ": driver "
            + driver.size()
            + "; tasks "
            + tasks
            + ", executors "
            + c.executors().size()
            + " ("
            + c.executors("GET")
            + " GET, "
            + c.executors("HEAD")
            + " HEAD)");
    return c;
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
