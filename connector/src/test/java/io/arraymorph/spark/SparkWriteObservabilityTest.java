package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.arraymorph.spark.metrics.SparkWriteMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ExtendedMode$;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.metric.SQLMetric;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

class SparkWriteObservabilityTest {
  static SparkSession spark;
  static final List<QueryExecution> executions = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session();
    spark
        .listenerManager()
        .register(
            new QueryExecutionListener() {
              @Override
              public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
                synchronized (executions) {
                  executions.add(qe);
                }
              }

              @Override
              public void onFailure(String funcName, QueryExecution qe, Exception exception) {}
            });
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static long sum(SparkPlan plan, String metric) {
    long total = 0;
    SQLMetric m = CollectionConverters.asJava(plan.metrics()).get(metric);
    if (m != null) {
      total += m.value();
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      total += sum(child, metric);
    }
    return total;
  }

  @Test
  void writesReportChunksWrittenAndNeverShowSecrets() throws Exception {
    String uri = dir.resolve("w.zarr").toString();
    synchronized (executions) {
      executions.clear();
    }
    spark
        .sql("SELECT i, j, CAST(i + j AS INT) AS v FROM range(20) a(i) CROSS JOIN range(20) b(j)")
        // One task given the rows in index order writes every chunk whole.
        .coalesce(1)
        .write()
        .format("arraymorph")
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "5,5")
        .option("secret_key", "TOPSECRETVALUE123")
        .option("session_token", "ANOTHERSECRET456")
        .save(uri);
    spark.sparkContext().listenerBus().waitUntilEmpty();
    QueryExecution write;
    synchronized (executions) {
      write =
          executions.stream()
              .filter(q -> q.toString().contains("arraymorph"))
              .findFirst()
              .orElse(null);
    }
    assertNotNull(write);
    String text =
        write.toString()
            + write.explainString(ExtendedMode$.MODULE$)
            + write.executedPlan().treeString();
    for (QueryExecution q : executions) {
      text += q.toString() + q.executedPlan().treeString();
    }
    // No required distribution or ordering: no exchange or sort on chunk_index.
    assertFalse(text.contains("chunk_index"), text);
    assertFalse(text.contains("TOPSECRETVALUE123"), text);
    assertFalse(text.contains("ANOTHERSECRET456"), text);
    long chunks = 0;
    long fragments = 0;
    for (QueryExecution q : executions) {
      chunks += sum(q.executedPlan(), SparkWriteMetrics.CHUNKS_WRITTEN);
      fragments += sum(q.executedPlan(), SparkWriteMetrics.FRAGMENTS_STAGED);
    }
    assertEquals(16, chunks);
    assertEquals(0, fragments);
  }
}
