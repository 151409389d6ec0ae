package io.arraymorph.bench;

import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where the time of the benchmark's Spark writes goes (issue 15), on a loaded machine: each write
 * of {@link SparkWriteBench} (rows layout as an overwrite and as a new dataset, and optionally rows
 * in random order) against the same input written to Spark's {@code noop} sink (what evaluating the
 * input costs any sink), as wall time, this JVM's CPU time and S3Proxy's CPU time (CPU times are
 * what a loaded machine inflates least), with every request of one write counted by method and kind
 * of key at a recording proxy.
 *
 * <p>{@code java ... io.arraymorph.bench.SparkWriteProbe [REPS] [random]}: starts its own S3Proxy
 * (filesystem backend in a temporary directory) and Spark local[2], all on 127.0.0.1.
 */
public final class SparkWriteProbe {
  private SparkWriteProbe() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    boolean random = args.length > 1 && args[1].equals("random");
    Path dir = Files.createTempDirectory("write-probe");
    S3ProxyServer server = S3ProxyServer.startFilesystem(dir);
    server.createBucket("bench");
    Map<String, String> s3 = server.settings("bench");
    FaultProxy proxy = FaultProxy.start(server.endpoint(), FaultProxy.Flavor.S3, 1).recordOnly();
    SparkSession spark =
        BenchSessions.start(
            BenchSessions.withArrayMorphS3(
                BenchSessions.local("arraymorph-write-probe"), s3, proxy.endpoint()));

    Map<String, Runnable> ops = new LinkedHashMap<>();
    ops.put(
        "rows layout: noop sink",
        () -> images(spark).write().format("noop").mode("overwrite").save());
    ops.put("rows layout: arraymorph", () -> SparkWriteBench.amWriteImages(images(spark)));
    java.util.concurrent.atomic.AtomicInteger created =
        new java.util.concurrent.atomic.AtomicInteger();
    ops.put(
        "rows layout: arraymorph, new dataset",
        () ->
            SparkWriteBench.amWriteImages(
                images(spark),
                "s3://bench/spark/images-new/" + created.incrementAndGet() + ".zarr",
                "errorifexists"));
    if (random) {
      ops.put(
          "random order: noop sink",
          () ->
              spark
                  .sql(SparkBench.ROWS)
                  .repartition(16)
                  .write()
                  .format("noop")
                  .mode("overwrite")
                  .save());
      ops.put(
          "random order: arraymorph",
          () ->
              SparkWriteBench.amWrite(
                  spark.sql(SparkBench.ROWS).repartition(16),
                  "s3://bench/spark/field-random.zarr"));
    }
    // One untimed run each (creates the datasets, so timed runs are overwrites as in the suite).
    for (Runnable op : ops.values()) {
      op.run();
    }
    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    Map<String, String> requests = new LinkedHashMap<>();
    for (int r = 0; r < reps; r++) {
      for (Map.Entry<String, Runnable> op : ops.entrySet()) {
        proxy.drainRecorded();
        SparkQueryProbe.Clock c = SparkQueryProbe.Clock.start();
        op.getValue().run();
        c.record(samples, op.getKey());
        if (r == 0) {
          requests.put(op.getKey(), summarize(proxy.drainRecorded()));
        }
      }
    }
    requests.forEach((k, v) -> System.out.println(k + ": " + v));
    SparkQueryProbe.print(samples, reps);
    spark.stop();
    proxy.close();
    System.exit(0);
  }

  private static Dataset<Row> images(SparkSession spark) {
    return spark.sql(SparkWriteBench.IMAGES);
  }

  /** Requests by method and kind of key (chunk, fragment pack, journal, lock, metadata, other). */
  private static String summarize(List<FaultProxy.Request> requests) {
    Map<String, Integer> counts = new TreeMap<>();
    for (FaultProxy.Request r : requests) {
      String p = r.decodedPath();
      String kind =
          p.contains("/packs/")
              ? "fragment"
              : p.contains(".publications")
                  ? "journal"
                  : p.contains("lock")
                      ? "lock"
                      : p.contains("staging")
                          ? "staged"
                          : p.endsWith("zarr.json")
                              ? "metadata"
                              : p.contains("/c/") ? "chunk" : "other";
      if ((r.method().equals("GET") && p.contains("list-type"))
          || p.endsWith("/")
          || p.contains("prefix=")) {
        kind = "list";
      }
      counts.merge(r.method() + " " + kind, 1, Integer::sum);
    }
    return requests.size() + " " + counts;
  }
}
