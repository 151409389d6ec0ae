package io.arraymorph.bench;

import io.arraymorph.rechunk.RechunkResult;
import io.arraymorph.spark.rechunk.ArrayMorphRechunk;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Times the granule benchmark's rechunk of {@code tas} alone, warm, with the process CPU time
 * around each run (on a busy machine CPU time, not wall time, is the figure to compare): {@code
 * GranuleRechunkProbe <collection dir> <runs> [tile] [rechunk_memory ...]}, e.g. {@code
 * benchmarks/target/granules/2000 3 5 268435456 671088640}: with several {@code rechunk_memory}
 * values the runs alternate between them (one warm-up each, then run by run in turn), so that plans
 * are compared under the same load. Indexes the manifest ({@code <dir>.manifest}) first when it is
 * missing. Writes {@code <dir>.probe.zarr}, deleted after.
 */
public final class GranuleRechunkProbe {
  private GranuleRechunkProbe() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    int tile = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    List<String> memories =
        args.length > 3 ? List.of(args).subList(3, args.length) : List.of("default");
    SparkSession spark = BenchSessions.start(BenchSessions.local("arraymorph-rechunk-probe"));
    GranuleStores.Collection c = new GranuleStores(dir.getParent()).collection("local", dir);
    String target = c.rechunked().replace(".rechunked.zarr", ".probe.zarr");
    GranuleStores.Collection probe =
        new GranuleStores.Collection(c.files(), c.manifest(), target, c.options());
    int steps = 8 * Integer.parseInt(dir.getFileName().toString());
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try {
      if (!Files.exists(Path.of(c.manifest()))) {
        System.out.printf(
            Locale.ROOT, "indexed the manifest in %.3f s%n", new GranuleBench(spark, 1).index(c));
      }
      Map<String, List<double[]>> times = new LinkedHashMap<>();
      for (int i = 0; i <= runs; i++) {
        for (String memory : memories) {
          c.delete(target);
          Map<String, String> options = c.with("chunks", steps + "," + tile + "," + tile);
          if (!memory.equals("default")) {
            String[] setting = memory.split(":", -1);
            options.put("rechunk_memory", setting[0]);
            if (setting.length > 1) {
              options.put("rechunk_plan", setting[1]);
            }
          }
          long cpu = os.getProcessCpuTime();
          double[] kernel = kernelSeconds();
          long t0 = System.nanoTime();
          RechunkResult r = ArrayMorphRechunk.run(spark, c.manifest(), "tas", target, options);
          double wall = (System.nanoTime() - t0) / 1e9;
          double used = (os.getProcessCpuTime() - cpu) / 1e9;
          double[] after = kernelSeconds();
          if (i > 0) {
            times.computeIfAbsent(memory, m -> new ArrayList<>()).add(new double[] {wall, used});
          }
          System.out.printf(
              Locale.ROOT,
              "%s, %s: wall %.3f s, process CPU %.3f s (user %.2f s, system %.2f s), plan %s, %d"
                  + " objects%n",
              memory,
              i == 0 ? "warm-up" : "run " + i,
              wall,
              used,
              after[0] - kernel[0],
              after[1] - kernel[1],
              r.plan(),
              r.chunksWritten());
        }
      }
      times.forEach(
          (memory, t) ->
              System.out.printf(
                  Locale.ROOT,
                  "%s: median wall %.3f s, median process CPU %.3f s over %d runs%n",
                  memory,
                  median(t, 0),
                  median(t, 1),
                  t.size()));
      long cpu = os.getProcessCpuTime();
      double[] kernel = kernelSeconds();
      GranuleBench.RawCopy raw = new GranuleBench(spark, runs).rawCopy(probe);
      double[] after = kernelSeconds();
      System.out.printf(
          Locale.ROOT,
          "raw read + write: best wall %.3f s (%.1f MB read, %.1f MB written), process CPU of"
              + " all %d runs %.3f s (user %.2f s, system %.2f s)%n",
          raw.seconds(),
          raw.bytesRead() / 1e6,
          raw.bytesWritten() / 1e6,
          runs,
          (os.getProcessCpuTime() - cpu) / 1e9,
          after[0] - kernel[0],
          after[1] - kernel[1]);
    } finally {
      c.delete(target);
      spark.stop();
    }
  }

  /**
   * The process's user and system CPU seconds so far, from {@code /proc/self/stat} (fields 14 and
   * 15, in clock ticks of 1/100 s on Linux), or zeros where it cannot be read: the system share is
   * the kernel's file I/O (and page faults), which the raw read + write pays too.
   */
  private static double[] kernelSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      // After the command name, field 3 is f[0]: utime (14) is f[11], stime (15) is f[12].
      return new double[] {Long.parseLong(f[11]) / 100.0, Long.parseLong(f[12]) / 100.0};
    } catch (java.io.IOException | RuntimeException e) {
      return new double[2];
    }
  }

  private static double median(List<double[]> runs, int field) {
    double[] v = runs.stream().mapToDouble(r -> r[field]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
