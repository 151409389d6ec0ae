package io.arraymorph.bench;

import io.arraymorph.manifest.ManifestWriter;
import io.arraymorph.spark.SparkGranuleManifest;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Where the CPU of the granule benchmark's point time series over the manifest goes: {@code
 * GranulePointProbe <collection dir> <runs>}, e.g. {@code benchmarks/target/granules/2000 7}. Runs
 * the benchmark's query ({@code where lat = 45.0 and lon = 1.0}, {@code time} and {@code tas}
 * collected) over {@code <dir>.manifest} (indexed first when absent) {@code runs + 1} times in one
 * JVM and prints, around each run, the wall time, the process CPU time, the garbage collectors'
 * time and collections ({@code GarbageCollectorMXBean}), the bytes the live threads allocated
 * ({@code com.sun.management.ThreadMXBean}; threads that ended are missed) and the CPU time of each
 * group of threads: Java threads by name and the JVM's own (JIT compilers, GC) from {@code
 * /proc/self/task}. On a busy machine the CPU times are the figures to compare. {@code
 * -Dprobe.options=k=v,...} adds read options (e.g. {@code partition_bytes}) to the query.
 */
public final class GranulePointProbe {
  private GranulePointProbe() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    SparkSession spark = BenchSessions.start(BenchSessions.local("arraymorph-point-probe"));
    GranuleStores.Collection c = new GranuleStores(dir.getParent()).collection("local", dir);
    if (!Files.exists(Path.of(c.manifest(), "zarr.json"))) {
      SparkGranuleManifest.index(
          spark,
          List.of(c.files() + "g_*.nc"),
          c.manifest(),
          ManifestWriter.Options.DEFAULT,
          c.options());
    }
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, String> extra = new TreeMap<>();
    for (String kv : System.getProperty("probe.options", "").split(",", -1)) {
      if (!kv.isBlank()) {
        extra.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      }
    }
    TaskTimes tasks = new TaskTimes();
    spark.sparkContext().addSparkListener(tasks);
    try {
      for (int i = 0; i <= runs; i++) {
        tasks.clear();
        Map<String, Long> before = threadGroups();
        long[] gcBefore = gc();
        long allocatedBefore = allocated();
        long cpu = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        List<Row> rows =
            spark
                .read()
                .format("arraymorph")
                .option("dataset", "tas")
                .option("coordinate_values", "true")
                .options(extra)
                .load(c.manifest())
                .where("lat = 45.0 and lon = 1.0")
                .select("time", "tas")
                .collectAsList();
        double wall = (System.nanoTime() - t0) / 1e9;
        long end = System.currentTimeMillis();
        long start = end - Math.round(wall * 1e3);
        double process = (os.getProcessCpuTime() - cpu) / 1e9;
        long allocatedMb = (allocated() - allocatedBefore) >> 20;
        long[] gcAfter = gc();
        Map<String, Long> after = threadGroups();
        double sum = 0;
        for (Row r : rows) {
          sum += r.getFloat(1);
        }
        StringBuilder groups = new StringBuilder();
        for (Map.Entry<String, Long> e : after.entrySet()) {
          long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
          if (d >= 10_000_000L) {
            groups.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(), d / 1e9));
          }
        }
        System.out.printf(
            Locale.ROOT,
            "%s: wall %.3f s, process CPU %.3f s, GC %.3f s (%d collections), allocated %d MB,"
                + " %d rows (sum %.6g); %s;%s%n",
            i == 0 ? "warm-up" : "run " + i,
            wall,
            process,
            (gcAfter[0] - gcBefore[0]) / 1e3,
            gcAfter[1] - gcBefore[1],
            allocatedMb,
            rows.size(),
            sum,
            tasks.summary(start, end),
            groups);
      }
    } finally {
      spark.stop();
    }
  }

  /**
   * The tasks of a run as Spark reports them: how many, their run times, and the wall before the
   * first task started and after the last one ended (driver work: planning, collecting).
   */
  private static final class TaskTimes extends SparkListener {
    private final List<long[]> times = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile long jobStart;

    void clear() {
      times.clear();
      jobStart = 0;
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
      if (jobStart == 0) {
        jobStart = start.time();
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
      times.add(
          new long[] {
            end.taskInfo().launchTime(),
            end.taskInfo().finishTime(),
            end.taskMetrics().executorRunTime(),
            end.taskMetrics().executorCpuTime() / 1_000_000L
          });
    }

    String summary(long start, long end) {
      if (times.isEmpty()) {
        return "no task";
      }
      long first = Long.MAX_VALUE;
      long last = 0;
      long run = 0;
      long cpu = 0;
      StringBuilder each = new StringBuilder();
      for (long[] t : times) {
        first = Math.min(first, t[0]);
        last = Math.max(last, t[1]);
        run += t[2];
        cpu += t[3];
        each.append(each.length() == 0 ? "" : ",").append(t[2]);
      }
      return String.format(
          Locale.ROOT,
          "%d tasks (run ms %s; sum %d ms, task-thread CPU %d ms), %d ms before the job, %d ms"
              + " more before the first task, %d ms after the last",
          times.size(),
          each,
          run,
          cpu,
          jobStart - start,
          first - jobStart,
          end - last);
    }
  }

  /** The collectors' accumulated time (ms) and collection count. */
  private static long[] gc() {
    long[] out = new long[2];
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      out[0] += Math.max(0, b.getCollectionTime());
      out[1] += Math.max(0, b.getCollectionCount());
    }
    return out;
  }

  /** Bytes allocated so far by the threads alive now. */
  private static long allocated() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(0, b);
    }
    return sum;
  }

  /**
   * CPU nanoseconds of every thread of this process so far, summed by group: the thread's name with
   * digits dropped (from {@code /proc/self/task/<tid>/stat}: user + system ticks), so the JVM's
   * compiler and GC threads count too. Threads that ended are lost (a few short-lived ones).
   */
  private static Map<String, Long> threadGroups() throws IOException {
    long tick = 10_000_000L; // USER_HZ 100 on Linux
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(t.resolve("stat"));
        } catch (IOException gone) {
          continue;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String name = stat.substring(open + 1, close).replaceAll("[0-9]+", "#").trim();
        String[] f = stat.substring(close + 2).split(" ", -1);
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        out.merge(name, ticks * tick, Long::sum);
      }
    }
    return out;
  }
}
