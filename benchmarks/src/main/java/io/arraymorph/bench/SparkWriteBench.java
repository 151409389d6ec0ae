package io.arraymorph.bench;

import static io.arraymorph.bench.Report.f;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Workload 3, writes: Parquet through S3A vs {@code format("arraymorph")} on the same S3Proxy, side
 * by side, for rows in index order, the same rows in random order, and an ML array in the rows
 * layout; with the peak memory of a write task (arraymorph's chunk buffers, and Spark's execution
 * memory, which holds the shuffle of the random-order input).
 */
final class SparkWriteBench {
  static final String PARQUET = "s3a://bench/parquet/field";
  static final String AM_S3 = "s3://bench/spark/field.zarr";

  /** The description of arraymorph's per-task peak buffer metric (SparkWriteMetrics). */
  private static final String PEAK_BUFFERS = "peak chunk buffer bytes per task";

  private final SparkSession spark;
  private final Report report;
  private final Timing timing;
  private final String rows;
  private final AtomicLong peakBuffers = new AtomicLong();
  private final AtomicLong peakExecution = new AtomicLong();

  /**
   * Runs of the new-dataset rows-layout row so far, per writer: each run writes a path of its own.
   */
  private final AtomicInteger newParquet = new AtomicInteger();

  private final AtomicInteger newArrays = new AtomicInteger();

  /** The ML array: 60000 samples of 28 x 28 uint8, one row per sample. */
  static final String IMAGES =
      "SELECT id AS sample, transform(sequence(0, 27), r -> transform(sequence(0, 27), c ->"
          + " CAST((id * 7 + r * 28 + c) % 256 AS SHORT))) AS image FROM range(0, "
          + BenchData.SAMPLES
          + ", 1, 16)";

  SparkWriteBench(SparkSession spark, Report report, Timing timing, String rows) {
    this.spark = spark;
    this.report = report;
    this.timing = timing;
    this.rows = rows;
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                  peakExecution.accumulateAndGet(
                      end.taskMetrics().peakExecutionMemory(), Math::max);
                }
                for (AccumulableInfo a :
                    CollectionConverters.asJava(end.taskInfo().accumulables())) {
                  if (a.name().isDefined()
                      && PEAK_BUFFERS.equals(a.name().get())
                      && a.update().isDefined()) {
                    long v = ((Number) a.update().get()).longValue();
                    peakBuffers.accumulateAndGet(v, Math::max);
                  }
                }
              }
            });
  }

  /** One write, timed, with the peaks its tasks reached (the largest over its runs). */
  private final class Measured implements Timing.Op {
    final Timing.Op op;
    long buffers;
    long execution;

    Measured(Timing.Op op) {
      this.op = op;
    }

    @Override
    public void run() throws Exception {
      peakBuffers.set(0);
      peakExecution.set(0);
      op.run();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      buffers = Math.max(buffers, peakBuffers.get());
      execution = Math.max(execution, peakExecution.get());
    }
  }

  /**
   * One write row: the same input written as Parquet and with arraymorph, and, where {@code noop}
   * is set, to Spark's {@code noop} sink as well (what evaluating the input costs any sink: the
   * floor under both writers' times), all interleaved.
   */
  private record Case(
      String name, double target, Timing.Op parquet, Timing.Op arraymorph, Timing.Op noop) {}

  /** The input written to Spark's noop sink: evaluated, nothing stored. */
  private static Timing.Op noop(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df) {
    return () -> df.write().format("noop").mode("overwrite").save();
  }

  /**
   * Writes the arrays the read queries use (the ordered rows, Parquet and arraymorph) once,
   * untimed: what {@code --skip spark-writes} runs instead of {@link #run()}.
   */
  void prepareReads() {
    spark.sql(rows).write().mode("overwrite").parquet(PARQUET);
    amWrite(spark.sql(rows), AM_S3);
  }

  /** Runs the three writes; the ordered one leaves the arrays the read queries use. */
  double[] run() throws Exception {
    List<Case> cases =
        List.of(
            new Case(
                "write 8192x8192, rows in index order",
                1.5,
                () -> spark.sql(rows).write().mode("overwrite").parquet(PARQUET),
                () -> amWrite(spark.sql(rows), AM_S3),
                noop(spark.sql(rows))),
            new Case(
                "write 8192x8192, rows in random order (repartition(16))",
                1.0,
                () ->
                    spark
                        .sql(rows)
                        .repartition(16)
                        .write()
                        .mode("overwrite")
                        .parquet("s3a://bench/parquet/field-random"),
                () ->
                    amWrite(spark.sql(rows).repartition(16), "s3://bench/spark/field-random.zarr"),
                // Its floor (about 85% of our CPU) is measured by RandomWriteProbe: here a third
                // 40 s write would cost the row a repetition within its budget.
                null),
            new Case(
                "write 60000x28x28 uint8, rows layout (one row per sample)",
                2.0,
                () ->
                    spark
                        .sql(IMAGES)
                        .write()
                        .mode("overwrite")
                        .parquet("s3a://bench/parquet/images"),
                () -> amWriteImages(spark.sql(IMAGES)),
                noop(spark.sql(IMAGES))),
            // The same rows written where nothing exists yet, as a training set is first written:
            // no old version to replace on either side (no delete for Parquet, no staging and
            // copies for arraymorph; Parquet's committer still renames its files).
            new Case(
                "write 60000x28x28 uint8, rows layout, a new dataset each run",
                2.0,
                () ->
                    spark
                        .sql(IMAGES)
                        .write()
                        .mode("errorifexists")
                        .parquet("s3a://bench/parquet/images-new/" + newParquet.incrementAndGet()),
                () ->
                    amWriteImages(
                        spark.sql(IMAGES),
                        "s3://bench/spark/images-new/" + newArrays.incrementAndGet() + ".zarr",
                        "errorifexists"),
                noop(spark.sql(IMAGES))));
    Report.Table t =
        report.table(
            "write",
            "Parquet/S3A median s",
            "arraymorph/S3 median s",
            "ratio Parquet / arraymorph",
            "target",
            "Spark noop sink median s (floor)",
            "result",
            "peak arraymorph chunk buffers / task MiB",
            "peak Spark execution memory / task MiB (Parquet; arraymorph)",
            "reps");
    Timing writes = new Timing(0, Math.min(3, timing.reps()));
    double[] ordered = null;
    for (Case c : cases) {
      Measured p = new Measured(c.parquet());
      Measured a = new Measured(c.arraymorph());
      String[] names = {"spark " + c.name() + " parquet", "spark " + c.name() + " arraymorph"};
      Timing.Op[] ops = {p, a};
      if (c.noop() != null) {
        names = new String[] {names[0], names[1], "spark " + c.name() + " noop sink"};
        ops = new Timing.Op[] {p, a, c.noop()};
      }
      List<Timing.Sample> s = writes.measureInterleaved(240, names, ops);
      double ratio = s.get(0).median() / s.get(1).median();
      if (ordered == null) {
        ordered = new double[] {s.get(0).median(), s.get(1).median()};
      }
      t.row(
          c.name(),
          f(s.get(0).median(), 1),
          f(s.get(1).median(), 1),
          f(ratio, 2),
          ">= " + f(c.target(), 1),
          s.size() > 2 ? f(s.get(2).median(), 1) : "not measured",
          Report.target(ratio >= c.target()),
          f(a.buffers / 1048576.0, 0),
          f(p.execution / 1048576.0, 0) + "; " + f(a.execution / 1048576.0, 0),
          s.get(0).count());
      report.summary(
          "3. Spark " + c.name() + ": Parquet time / arraymorph time (S3)",
          f(ratio, 2) + " (" + f(s.get(0).median(), 1) + " vs " + f(s.get(1).median(), 1) + " s)",
          ">= " + f(c.target(), 1),
          ratio >= c.target());
    }
    t.done();
    report.text(
        "Writes run interleaved without warm-up (each is a full job), at most "
            + writes.reps()
            + " times within a 240 s budget per row. Random order: the same rows after"
            + " `repartition(16)` (a round-robin shuffle both sides pay). Rows layout: 60,000 rows"
            + " (sample long, image array<array<short>>) written as uint8 in chunks of 1000 x 28"
            + " x 28. arraymorph asks Spark for no distribution or ordering; each task holds at"
            + " most `write_buffer_bytes` (default 128 MiB) of chunk buffers, staging partial"
            + " chunks as fragments merged at commit. The rows-layout rows overwrite one dataset (its"
            + " publication copies the staged chunks to their keys) and, in the second, write a new"
            + " dataset at a path of its own each run (both writers: no old version to replace). The noop column is the same input written to"
            + " Spark's `noop` sink in the same interleaving: what evaluating the rows costs any"
            + " sink, a floor under both writers (not measured for the random order, whose floor"
            + " `RandomWriteProbe` measures).");
    return ordered;
  }

  /** Overwrites the benchmark's images dataset with the {@link #IMAGES} rows (rows layout). */
  static void amWriteImages(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> images) {
    amWriteImages(images, "s3://bench/spark/images.zarr", "overwrite");
  }

  /** Writes the {@link #IMAGES} rows in the rows layout, chunks of whole samples, at {@code to}. */
  static void amWriteImages(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> images, String to, String mode) {
    images
        .write()
        .format("arraymorph")
        .mode(mode)
        .option("layout", "rows")
        .option("dataset", "images")
        .option("dims", "sample")
        .option("dtype", "uint8")
        .option("chunks", BenchData.SAMPLES_PER_CHUNK + ",28,28")
        .save(to);
  }

  static void amWrite(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df, String to) {
    df.write()
        .format("arraymorph")
        .mode("overwrite")
        .option("dataset", "value")
        .option("dims", "i,j")
        .option("shape", BenchData.N + "," + BenchData.N)
        .option("chunks", BenchData.CHUNK + "," + BenchData.CHUNK)
        .save(to);
  }
}
