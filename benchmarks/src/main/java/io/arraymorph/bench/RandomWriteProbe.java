package io.arraymorph.bench;

import io.arraymorph.testing.S3ProxyServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The benchmark's random-order write (issue 15) beside what any sink pays for the same rows: the
 * rows after {@code repartition(16)} written to Spark's {@code noop} sink (the floor: generating
 * and shuffling them), as Parquet through S3A, and with {@code format("arraymorph")}, interleaved,
 * as wall time, this JVM's CPU time and S3Proxy's CPU time, with the JVM's peak heap during each
 * write. Log {@code io.arraymorph.spark.write.SparkFragmentMerge} at INFO to see the merge stage's
 * time.
 *
 * <p>{@code java ... io.arraymorph.bench.RandomWriteProbe [REPS] [cold]}: starts its own S3Proxy
 * (filesystem backend in a temporary directory) and Spark local[2], all on 127.0.0.1. To compare
 * two builds under the same load, run it alternately with each build's core and connector jars.
 */
public final class RandomWriteProbe {
  private RandomWriteProbe() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    boolean warm = !(args.length > 1 && args[1].equals("cold"));
    Path dir = Files.createTempDirectory("random-write-probe");
    S3ProxyServer server = S3ProxyServer.startFilesystem(dir);
    server.createBucket("bench");
    Map<String, String> s3 = server.settings("bench");
    SparkSession spark =
        BenchSessions.start(
            BenchSessions.withArrayMorphS3(
                BenchSessions.withS3A(
                    BenchSessions.local("arraymorph-random-write-probe")
                        .config("spark.sql.shuffle.partitions", "16"),
                    s3),
                s3,
                s3.get("endpoint")));

    Map<String, Runnable> ops = new LinkedHashMap<>();
    ops.put("noop sink", () -> rows(spark).write().format("noop").mode("overwrite").save());
    ops.put(
        "parquet (S3A)",
        () -> rows(spark).write().mode("overwrite").parquet("s3a://bench/parquet/field-random"));
    ops.put(
        "arraymorph (S3)",
        () -> SparkWriteBench.amWrite(rows(spark), "s3://bench/spark/field-random.zarr"));
    // One untimed run each: the timed arraymorph and Parquet writes are overwrites, as in the
    // suite (with "cold", the first timed writes create their outputs instead).
    for (Runnable op : warm ? ops.values() : List.<Runnable>of()) {
      op.run();
    }
    Map<String, List<double[]>> samples = new LinkedHashMap<>();
    for (int r = 0; r < reps; r++) {
      for (Map.Entry<String, Runnable> op : ops.entrySet()) {
        System.gc();
        resetPeaks();
        SparkQueryProbe.Clock c = SparkQueryProbe.Clock.start();
        op.getValue().run();
        c.record(samples, op.getKey());
        System.out.printf(
            "rep %d %-20s wall %.1f s, peak heap %d MiB%n",
            r, op.getKey(), samples.get(op.getKey()).get(r)[0] / 1e3, peakHeap() >> 20);
      }
    }
    SparkQueryProbe.print(samples, reps);
    spark.stop();
    System.exit(0);
  }

  private static Dataset<Row> rows(SparkSession spark) {
    return spark.sql(SparkBench.ROWS).repartition(16);
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
  }

  /** The sum of the heap pools' peaks since {@link #resetPeaks} (an upper bound of the peak). */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
