package io.arraymorph.bench;

import io.arraymorph.rechunk.RechunkResult;
import io.arraymorph.spark.rechunk.ArrayMorphRechunk;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Times the granule benchmark's rechunk of {@code tas} alone, warm, with the process CPU time
 * around each run (on a busy machine CPU time, not wall time, is the figure to compare): {@code
 * GranuleRechunkProbe <collection dir> <runs> [tile]}, e.g. {@code benchmarks/target/granules/2000
 * 3}. Writes {@code <dir>.probe.zarr}, deleted after.
 */
public final class GranuleRechunkProbe {
  private GranuleRechunkProbe() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    int tile = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    SparkSession spark = BenchSessions.start(BenchSessions.local("arraymorph-rechunk-probe"));
    GranuleStores.Collection c = new GranuleStores(dir.getParent()).collection("local", dir);
    String target = c.rechunked().replace(".rechunked.zarr", ".probe.zarr");
    GranuleStores.Collection probe =
        new GranuleStores.Collection(c.files(), c.manifest(), target, c.options());
    int steps = 8 * Integer.parseInt(dir.getFileName().toString());
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try {
      for (int i = 0; i <= runs; i++) {
        c.delete(target);
        long cpu = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        RechunkResult r =
            ArrayMorphRechunk.run(
                spark,
                c.manifest(),
                "tas",
                target,
                c.with("chunks", steps + "," + tile + "," + tile));
        System.out.printf(
            Locale.ROOT,
            "%s: wall %.3f s, process CPU %.3f s, %d reads (direct %s), %d objects%n",
            i == 0 ? "warm-up" : "run " + i,
            (System.nanoTime() - t0) / 1e9,
            (os.getProcessCpuTime() - cpu) / 1e9,
            r.readTasks(),
            r.direct(),
            r.chunksWritten());
      }
      long cpu = os.getProcessCpuTime();
      GranuleBench.RawCopy raw = new GranuleBench(spark, runs).rawCopy(probe);
      System.out.printf(
          Locale.ROOT,
          "raw read + write: best wall %.3f s (%.1f MB read, %.1f MB written), process CPU of"
              + " all %d runs %.3f s%n",
          raw.seconds(),
          raw.bytesRead() / 1e6,
          raw.bytesWritten() / 1e6,
          runs,
          (os.getProcessCpuTime() - cpu) / 1e9);
    } finally {
      c.delete(target);
      spark.stop();
    }
  }
}
