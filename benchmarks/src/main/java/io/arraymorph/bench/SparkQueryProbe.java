package io.arraymorph.bench;

import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.S3ProxyServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Where the time of one small Spark query goes (issue 15's fixed cost): the benchmark's 1% square
 * {@code sum(value)} against Spark's own floor ({@code spark.range(1)}) in one session, split into
 * driver phases (DataFrame build and analysis, optimization with pushdown and physical planning,
 * partition planning), the executor's work run directly (the scan's readers, no Spark task), the
 * serialized task size, and the requests of each phase counted at a recording proxy.
 *
 * <p>{@code java ... io.arraymorph.bench.SparkQueryProbe S3PROXY_DIR [REPS] [full|square]}:
 * S3PROXY_DIR holds bucket {@code bench} with {@code spark/field.zarr} as the benchmark writes it
 * (a copy of {@code benchmarks/target/bench/s3proxy} will do). With {@code full} or {@code square},
 * only that query's {@code sum(value)} and the floor are timed, interleaved (to compare builds run
 * one after the other).
 */
public final class SparkQueryProbe {
  private static final String WHERE =
      "i BETWEEN 4000 AND 4818 AND j BETWEEN 4000 AND 4818"; // CoreBench's 1% square

  private SparkQueryProbe() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    S3ProxyServer server = S3ProxyServer.startFilesystem(dir);
    Map<String, String> s3 = server.settings("bench");
    FaultProxy proxy = FaultProxy.start(server.endpoint(), FaultProxy.Flavor.S3, 1).recordOnly();
    SparkSession spark =
        BenchSessions.start(
            BenchSessions.withArrayMorphS3(
                BenchSessions.local("arraymorph-probe"), s3, proxy.endpoint()));
    String location = "s3://bench/spark/field.zarr";
    Dataset<Row> am = spark.read().format("arraymorph").option("dataset", "value").load(location);
    // The same query with the cost model of a loopback server (1 ms per request): fewer bytes.
    Dataset<Row> nearby =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "value")
            .option("request_latency_ms", "1")
            .load(location);
    // The same query split into tasks of about one chunk each (9 tasks instead of 1).
    Dataset<Row> split =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "value")
            .option("partition_bytes", String.valueOf(1L << 20))
            .load(location);
    System.out.println("load: requests " + proxy.drainRecorded());
    if (args.length > 2) {
      // "full": the full scan alone; "square": the square alone (same timing, no breakdown).
      Dataset<Row> scanned = args[2].equals("square") ? am.where(WHERE) : am;
      oneQuery(spark, scanned, args[2], reps);
      spark.stop();
      proxy.close();
      System.exit(0);
    }

    // Warm up both.
    for (int w = 0; w < 5; w++) {
      am.where(WHERE).selectExpr("sum(value)").first();
      spark.range(1).selectExpr("sum(id)").first();
      split.where(WHERE).selectExpr("sum(value)").first();
      nearby.where(WHERE).selectExpr("sum(value)").first();
    }
    proxy.drainRecorded();

    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    List<String> requests = new ArrayList<>();
    long taskBytes = 0;
    int tasks = 0;
    for (int r = 0; r < reps; r++) {
      Clock c = Clock.start();
      am.where(WHERE).selectExpr("sum(value)").first();
      c.record(samples, "square query (DataFrame reused)");

      c = Clock.start();
      spark.range(1).selectExpr("sum(id)").first();
      c.record(samples, "spark.range(1) floor");

      c = Clock.start();
      split.where(WHERE).selectExpr("sum(value)").first();
      c.record(samples, "square query, one task per chunk");

      c = Clock.start();
      nearby.where(WHERE).selectExpr("sum(value)").first();
      c.record(samples, "square query, request_latency_ms=1");

      proxy.drainRecorded();
      c = Clock.start();
      spark
          .read()
          .format("arraymorph")
          .option("dataset", "value")
          .load(location)
          .where(WHERE)
          .selectExpr("sum(value)")
          .first();
      c.record(samples, "square query, fresh DataFrame (load included)");
      List<FaultProxy.Request> freshRequests = proxy.drainRecorded();

      c = Clock.start();
      Dataset<Row> q = am.where(WHERE).selectExpr("sum(value)");
      q.queryExecution().analyzed();
      c.record(samples, "  build + analyze");
      c = Clock.start();
      SparkPlan p = q.queryExecution().executedPlan();
      c.record(samples, "  optimize + physical plan (pushdown, partitions)");
      List<FaultProxy.Request> planRequests = proxy.drainRecorded();
      BatchScanExec scan = batchScan(p);
      List<InputPartition> ps = CollectionConverters.asJava(scan.inputPartitions());
      c = Clock.start();
      q.collectAsList();
      c.record(samples, "  execute (job)");
      List<FaultProxy.Request> execRequests = proxy.drainRecorded();

      c = Clock.start();
      for (InputPartition part : ps) {
        try (PartitionReader<InternalRow> reader = scan.readerFactory().createReader(part)) {
          while (reader.next()) {
            reader.get();
          }
          if (r == 0) {
            for (var m : reader.currentMetricsValues()) {
              requests.add("reader metric " + m.name() + " = " + m.value());
            }
          }
        }
      }
      c.record(samples, "  the task's reader run directly (no Spark)");
      List<FaultProxy.Request> directRequests = proxy.drainRecorded();

      c = Clock.start();
      Dataset<Row> fq = spark.range(1).selectExpr("sum(id)");
      fq.queryExecution().analyzed();
      c.record(samples, "floor build + analyze");
      c = Clock.start();
      fq.queryExecution().executedPlan();
      c.record(samples, "floor optimize + physical plan");
      if (r == 0) {
        tasks = ps.size();
        taskBytes = SparkBench.serializedSize(ps.toArray(new InputPartition[0]));
        requests.add("fresh DataFrame query: " + freshRequests.size() + " " + freshRequests);
        requests.add("planning a query: " + planRequests.size() + " " + planRequests);
        requests.add("running it: " + execRequests.size() + " " + execRequests);
        requests.add("readers run directly: " + directRequests.size() + " " + directRequests);
      }
    }
    requests.forEach(System.out::println);
    System.out.println("tasks " + tasks + ", serialized " + taskBytes + " bytes");
    print(samples, reps);
    System.out.printf(
        "ours above the floor: %.1f ms wall, %.1f ms Spark JVM cpu, %.1f ms S3Proxy cpu%n",
        median(samples.get("square query (DataFrame reused)"), 0)
            - median(samples.get("spark.range(1) floor"), 0),
        median(samples.get("square query (DataFrame reused)"), 1)
            - median(samples.get("spark.range(1) floor"), 1),
        median(samples.get("square query (DataFrame reused)"), 2)
            - median(samples.get("spark.range(1) floor"), 2));
    spark.stop();
    proxy.close();
    System.exit(0);
  }

  /** Times {@code sum(value)} of {@code am} against the floor, interleaved, after 3 warm-ups. */
  private static void oneQuery(SparkSession spark, Dataset<Row> am, String name, int reps) {
    Object expected = null;
    for (int w = 0; w < 3; w++) {
      expected = am.selectExpr("sum(value)").first().get(0);
      spark.range(1).selectExpr("sum(id)").first();
    }
    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    for (int r = 0; r < reps; r++) {
      Clock c = Clock.start();
      Object sum = am.selectExpr("sum(value)").first().get(0);
      c.record(samples, name + " sum(value)");
      if (!sum.equals(expected)) {
        throw new IllegalStateException("sums differ: " + sum + " and " + expected);
      }
      c = Clock.start();
      spark.range(1).selectExpr("sum(id)").first();
      c.record(samples, "spark.range(1) floor");
    }
    System.out.printf(
        "%-30s %10s %10s %10s %12s %12s%n",
        "median of " + reps + " (ms)",
        "wall",
        "wall min",
        "wall max",
        "Spark JVM cpu",
        "S3Proxy cpu");
    samples.forEach(
        (label, v) ->
            System.out.printf(
                "%-30s %10.1f %10.1f %10.1f %12.1f %12.1f%n",
                label,
                median(v, 0),
                v.stream().mapToDouble(x -> x[0]).min().orElse(0),
                v.stream().mapToDouble(x -> x[0]).max().orElse(0),
                median(v, 1),
                median(v, 2)));
  }

  /**
   * Wall time, this JVM's CPU time (driver and local executor threads), S3Proxy's CPU time (a child
   * process) and the calling thread's CPU time since {@link #start()}: CPU times are what a loaded
   * machine does not inflate much, unlike wall time.
   */
  record Clock(long wall, long jvm, long proxy, long thread) {
    static Clock start() {
      return new Clock(System.nanoTime(), jvmCpu(), proxyCpu(), threadCpu());
    }

    void record(Map<String, List<double[]>> samples, String name) {
      Clock now = start();
      samples
          .computeIfAbsent(name, k -> new ArrayList<>())
          .add(
              new double[] {
                (now.wall - wall) / 1e6,
                (now.jvm - jvm) / 1e6,
                (now.proxy - proxy) / 1e6,
                (now.thread - thread) / 1e6
              });
    }

    private static long jvmCpu() {
      return ((com.sun.management.OperatingSystemMXBean)
              ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }

    private static long threadCpu() {
      return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long proxyCpu() {
      return ProcessHandle.current()
          .descendants()
          .mapToLong(h -> h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
          .sum();
    }
  }

  /** Prints the medians of {@code samples} (wall, JVM CPU, S3Proxy CPU, thread CPU; ms). */
  static void print(Map<String, List<double[]>> samples, int reps) {
    System.out.printf(
        "%-50s %10s %10s %12s %12s %12s%n",
        "median of " + reps + " (ms)",
        "wall",
        "wall min",
        "Spark JVM cpu",
        "S3Proxy cpu",
        "thread cpu");
    samples.forEach(
        (name, v) ->
            System.out.printf(
                "%-50s %10.1f %10.1f %12.1f %12.1f %12.1f%n",
                name,
                median(v, 0),
                v.stream().mapToDouble(x -> x[0]).min().orElse(0),
                median(v, 1),
                median(v, 2),
                median(v, 3)));
  }

  private static double median(List<double[]> v, int column) {
    double[] s = v.stream().mapToDouble(x -> x[column]).sorted().toArray();
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  private static BatchScanExec batchScan(SparkPlan plan) {
    if (plan instanceof BatchScanExec b) {
      return b;
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      BatchScanExec found = batchScan(child);
      if (found != null) {
        return found;
      }
    }
    if (plan instanceof org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec a) {
      return batchScan(a.executedPlan());
    }
    return null;
  }
}
