package io.arraymorph.bench;

import static io.arraymorph.bench.Report.f;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Workload 3: the same 8192 x 8192 array as Parquet rows (i, j, value) sorted by i then j, through
 * S3A, vs {@code format("arraymorph")} on S3 and local, with the same queries; the write of the
 * whole array both ways. Also the Spark partition planning part of workload 5.
 */
public final class SparkBench {
  private static final long N = BenchData.N;
  private static final String PARQUET = SparkWriteBench.PARQUET;
  private static final String AM_S3 = SparkWriteBench.AM_S3;

  /** Generates the array as rows; the value expression is {@link BenchData#value} in Spark SQL. */
  static final String ROWS =
      "SELECT i, j, CAST(100 * sin(i * 0.001D) * cos(j * 0.002D) AS FLOAT)"
          + " + CAST(((i ^ j) & 7) AS FLOAT) * CAST(0.125 AS FLOAT) AS value FROM"
          + " (SELECT id DIV "
          + N
          + " AS i, id % "
          + N
          + " AS j FROM range(0, "
          + (N * N)
          + ", 1, 16))";

  private final BenchContext ctx;

  public SparkBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  private SparkSession session() {
    Map<String, String> s3 = ctx.s3Settings();
    SparkSession.Builder b =
        BenchSessions.withS3A(
            BenchSessions.local("arraymorph-benchmarks")
                .config("spark.sql.shuffle.partitions", "16")
                .config("spark.local.dir", ctx.work().resolve("spark-local").toString())
                .config("spark.hadoop.hadoop.tmp.dir", ctx.work().resolve("hadoop-tmp").toString()),
            s3);
    return BenchSessions.start(BenchSessions.withArrayMorphS3(b, s3, s3.get("endpoint")));
  }

  public void run() throws Exception {
    Report report = ctx.report();
    Timing timing = ctx.timing();
    report.heading("3. Spark: Parquet rows through S3A vs format(\"arraymorph\")");
    SparkSession spark = session();
    try {
      // --- writes (the ordered one leaves the arrays the reads query)
      SparkWriteBench writes = new SparkWriteBench(spark, report, timing, ROWS);
      if (ctx.skip().contains("spark-writes")) {
        writes.prepareReads();
      } else {
        writes.run();
      }
      if (ctx.skip().contains("spark-reads")) {
        return;
      }

      // --- reads
      record Query(String name, String where, double target) {}
      long e = CoreBench.SQUARE_START + CoreBench.SQUARE - 1;
      List<Query> queries =
          List.of(
              new Query("full scan sum(value)", null, 1.5),
              new Query(
                  "1% square",
                  "i BETWEEN "
                      + CoreBench.SQUARE_START
                      + " AND "
                      + e
                      + " AND j BETWEEN "
                      + CoreBench.SQUARE_START
                      + " AND "
                      + e,
                  5.0),
              new Query("column j = 17", "j = 17", 10.0),
              new Query("row i = 4000", "i = 4000", 2.0));
      Dataset<Row> parquet = spark.read().parquet(PARQUET);
      Dataset<Row> amS3 = spark.read().format("arraymorph").option("dataset", "value").load(AM_S3);
      Dataset<Row> amLocal =
          spark
              .read()
              .format("arraymorph")
              .option("dataset", CoreBench.RAW)
              .load(ctx.work().resolve("local").toString())
              .withColumnRenamed(CoreBench.RAW, "value");
      Report.Table t =
          report.table(
              "query",
              "Parquet/S3A median s",
              "arraymorph/S3 median s",
              "arraymorph/local median s",
              "ratio Parquet / arraymorph S3",
              "target",
              "result",
              "sums agree");
      for (Query q : queries) {
        double[] sums = new double[3];
        Dataset<Row>[] dfs = new Dataset[] {parquet, amS3, amLocal};
        Timing.Op[] ops = new Timing.Op[3];
        for (int k = 0; k < 3; k++) {
          Dataset<Row> d = q.where() == null ? dfs[k] : dfs[k].where(q.where());
          int kk = k;
          ops[k] = () -> sums[kk] = d.selectExpr("sum(value)").first().getDouble(0);
        }
        List<Timing.Sample> s =
            (q.where() == null ? new Timing(0, timing.reps()) : timing)
                .measureInterleaved(
                    q.where() == null ? 45 : 40,
                    new String[] {
                      "spark " + q.name() + " parquet",
                      "spark " + q.name() + " arraymorph s3",
                      "spark " + q.name() + " arraymorph local"
                    },
                    ops);
        double ratio = s.get(0).median() / s.get(1).median();
        boolean agree =
            Math.abs(sums[0] - sums[1]) <= 1e-6 * Math.max(1, Math.abs(sums[0]))
                && Math.abs(sums[0] - sums[2]) <= 1e-6 * Math.max(1, Math.abs(sums[0]));
        t.row(
            q.name(),
            f(s.get(0).median(), 3),
            f(s.get(1).median(), 3),
            f(s.get(2).median(), 3),
            f(ratio, 2),
            ">= " + f(q.target(), 1),
            Report.target(ratio >= q.target()),
            agree ? "yes" : "**no** (" + sums[0] + " / " + sums[1] + " / " + sums[2] + ")");
        report.summary(
            "3. Spark " + q.name() + ": Parquet time / arraymorph time (S3)",
            f(ratio, 2) + " (" + f(s.get(0).median(), 3) + " vs " + f(s.get(1).median(), 3) + " s)",
            ">= " + f(q.target(), 1),
            ratio >= q.target());
      }
      // Spark's own floor per query: a one-row job in the same session, no data source.
      Timing.Sample floor =
          timing.measure(
              "spark floor range(1)", 20, () -> spark.range(1).selectExpr("sum(id)").first());
      report.summary(
          "3. Spark's own floor: spark.range(1) sum(id), same session",
          f(floor.median(), 3) + " s",
          "none (what any source pays per query)",
          null);
      report.text(
          "Spark's own fixed cost per query (a one-row `spark.range(1)` sum in the same session,"
              + " no data source): "
              + f(floor.median(), 3)
              + " s median, the part of each query time above that no source can cut.");
      report.text(
          "Spark "
              + spark.version()
              + ", local[2], spark.ui.enabled=false, bound to 127.0.0.1. Parquet: 67,108,864 rows"
              + " (i long, j long, value float) generated in (i, j) order by `range` in 16"
              + " partitions and written with S3A (hadoop-aws, default snappy, row-group"
              + " statistics) to the same S3Proxy; queries are `sum(value)` with the filter pushed"
              + " to Parquet. arraymorph: the same rows written with `format(\"arraymorph\")`"
              + " (512 x 512 chunks, uncompressed) to S3, and read with the same filters pushed down"
              + " as a hyperslab, each task computing its partial `sum(value)` as it decodes its"
              + " chunks (aggregate pushdown, option `push_aggregates`; Spark's Parquet source"
              + " pushes no sum); local is the core-written copy in a directory.");
      t.done();
      planning(spark);
    } finally {
      spark.stop();
    }
  }

  /** Workload 5, Spark part: partition planning on metadata-only arrays of many chunks. */
  private void planning(SparkSession spark) throws Exception {
    Report report = ctx.report();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Report.Table t =
        report.table(
            "chunks in array",
            "selection",
            "input partitions",
            "planned chunks",
            "median ms (query + partition planning)",
            "driver bytes allocated",
            "serialized bytes / partition");
    String loc = ctx.work().resolve("planning").toString();
    try (ArrayStore store = ArrayStore.open(loc)) {
      for (long[] g : PlanningBench.GRIDS) {
        long[] shape = PlanningBench.arrayShape(g);
        String name = "grid" + g[0] + "x" + g[1];
        store.createDataset(
            name,
            ArraySpec.of(DataType.FLOAT32, shape)
                .chunks(BenchData.CHUNK, BenchData.CHUNK)
                .dimensionNames("i", "j"));
        long chunks = g[0] * g[1];
        for (String which : new String[] {"full scan", "1%"}) {
          var slab = PlanningBench.onePercent(shape);
          String where =
              which.equals("1%")
                  ? "i BETWEEN "
                      + slab.start(0)
                      + " AND "
                      + (slab.start(0) + slab.count(0) - 1)
                      + " AND j BETWEEN "
                      + slab.start(1)
                      + " AND "
                      + (slab.start(1) + slab.count(1) - 1)
                  : null;
          long planned =
              which.equals("1%")
                  ? new io.arraymorph.array.ChunkGrid(
                          shape, new int[] {BenchData.CHUNK, BenchData.CHUNK})
                      .plan(slab)
                      .chunkCount()
                  : chunks;
          long[] alloc = {0};
          int[] parts = {0};
          long[] serialized = {0};
          Timing.Sample s =
              ctx.timing()
                  .measure(
                      "spark plan " + which + " of " + chunks + " chunks",
                      30,
                      () -> {
                        long id = Thread.currentThread().getId();
                        long a0 = threads.getThreadAllocatedBytes(id);
                        Dataset<Row> df =
                            spark.read().format("arraymorph").option("dataset", name).load(loc);
                        if (where != null) {
                          df = df.where(where);
                        }
                        BatchScanExec scan = batchScan(df.queryExecution().executedPlan());
                        InputPartition[] p = scan.batch().planInputPartitions();
                        alloc[0] = threads.getThreadAllocatedBytes(id) - a0;
                        parts[0] = p.length;
                        serialized[0] = serializedSize(p);
                      });
          t.row(
              chunks,
              which,
              parts[0],
              planned,
              f(s.median() * 1e3, 1),
              alloc[0],
              parts[0] == 0 ? "-" : f(serialized[0] / (double) parts[0], 0));
        }
      }
    }
    report.text(
        "Spark planning on the driver: building the DataFrame, `executedPlan()` and"
            + " `Batch.planInputPartitions()` of the arraymorph scan (time and driver-thread"
            + " allocation, metadata read included), and the Java-serialized size of one input"
            + " partition, i.e. what each task carries; arrays whose zarr.json exists but whose"
            + " chunks were never written:");
    t.done();
  }

  /** The Java-serialized size of input partitions: what the tasks carry. */
  static long serializedSize(InputPartition[] parts) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      for (InputPartition p : parts) {
        out.writeObject(p);
        out.reset();
      }
    }
    return bytes.size();
  }

  private static BatchScanExec batchScan(SparkPlan plan) {
    List<BatchScanExec> found = new ArrayList<>();
    collect(plan, found);
    if (found.isEmpty()) {
      throw new IllegalStateException("No BatchScanExec in " + plan);
    }
    return found.get(0);
  }

  private static void collect(SparkPlan plan, List<BatchScanExec> out) {
    if (plan instanceof BatchScanExec b) {
      out.add(b);
    }
    if (plan instanceof org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec a) {
      collect(a.executedPlan(), out);
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      collect(child, out);
    }
  }
}
