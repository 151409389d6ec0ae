package io.arraymorph.examples;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Writes a 100x100 array from a DataFrame to a local directory, reads a 10x10 slice back with a
 * filter, shows it and prints how many chunks the read fetched.
 *
 * <pre>mvn -Prun -pl examples -am package -Dexample.main=io.arraymorph.examples.SparkQuickStart
 * </pre>
 */
public final class SparkQuickStart {
  private SparkQuickStart() {}

  public static void main(String[] args) {
    String location = args.length > 0 ? args[0] : "target/spark-quickstart.zarr";
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("arraymorph-quickstart")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      // One row per element: index columns i, j and a value column.
      Dataset<Row> grid =
          spark.sql(
              "SELECT i, j, CAST(i * 100 + j AS FLOAT) AS temperature"
                  + " FROM range(100) a(i) CROSS JOIN range(100) b(j)");
      grid.write()
          .format("arraymorph")
          .mode("overwrite")
          .option("dataset", "temperature")
          .option("dims", "i,j")
          .option("chunks", "10,10")
          .option("codec", "zstd")
          .save(location);
      System.out.println("Wrote a 100x100 array in 10x10 chunks to " + location);

      Dataset<Row> slice =
          spark
              .read()
              .format("arraymorph")
              .option("dataset", "temperature")
              .load(location)
              .where("i BETWEEN 5 AND 14 AND j BETWEEN 5 AND 14");
      slice.orderBy("i", "j").show(12);
      System.out.println("Rows in the slice: " + slice.collectAsList().size());
      long fetched = 0;
      for (BatchScanExec scan : scans(slice.queryExecution().executedPlan())) {
        fetched += CollectionConverters.asJava(scan.metrics()).get("chunksFetched").value();
      }
      System.out.println("Chunks fetched for the 10x10 slice: " + fetched + " of 100");
      spark.read().format("arraymorph").option("list", "datasets").load(location).show(false);
    } finally {
      spark.stop();
    }
  }

  private static java.util.List<BatchScanExec> scans(SparkPlan plan) {
    java.util.List<BatchScanExec> out = new java.util.ArrayList<>();
    if (plan instanceof org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec a) {
      return scans(a.executedPlan());
    }
    if (plan instanceof BatchScanExec b) {
      out.add(b);
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      out.addAll(scans(child));
    }
    return out;
  }
}
