package io.arraymorph.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.manifest.ManifestWriter;
import io.arraymorph.spark.SparkGranuleManifest;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import io.arraymorph.spark.rechunk.ArrayMorphRechunk;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Issue 16's granule collection benchmark, JVM side: the workloads of {@code
 * scripts/granule_bench.py} (open, point time series, box mean by time step, one month of the full
 * field) through {@code format("arraymorph")} over collections of CF NetCDF4 granules, with
 * coordinate pushdown ({@code coordinate_values=true}: the point is {@code lat = 45 and lon = 1},
 * the box and month are coordinate ranges), against xarray's results for the same files. Writes a
 * Markdown table with one column group per access path: the granule files, a manifest of them built
 * by {@link SparkGranuleManifest#index} (timed: the "index" row) and a store rechunked from the
 * manifest by {@link ArrayMorphRechunk} into chunks (all times, 15, 15) (timed: the "rechunk" row).
 *
 * <p>Usage: {@code GranuleBench --out FILE --reps N [--stores local,s3] DIR=XARRAY_JSON ...} (one
 * pair per collection; each store named runs the three access paths, see {@link GranuleStores}).
 */
public final class GranuleBench {
  private static final String[] WORKLOADS = {"open", "point", "box", "month"};

  /** Time steps in each generated granule ({@code scripts/granule_bench.py}). */
  private static final int STEPS_PER_GRANULE = 8;

  /**
   * The rechunked store's spatial tile: chunks of all time steps of {@code TILE} x {@code TILE}
   * points of the 90 x 180 grid. 5 x 5 (a 1.6 MB chunk at 2,000 granules) keeps a point series to
   * one GET of a ninth of what 15 x 15 fetched, while a month of the full field still reads only
   * its time steps of each (uncompressed) chunk with ranged GETs. Shards (T, 15, 15) of inner
   * chunks (T, 1, 1) fetched 64 KB for the point, but read every inner chunk whole for the month (1
   * GB against 16 MB; the reader now fetches only byte ranges of uncompressed inner chunks, merged
   * across them where the cost model says) and rechunked far slower. {@code -Dgranules.tile=N}
   * measures another.
   */
  private static final int TILE = Integer.getInteger("granules.tile", 5);

  /**
   * When positive, the rechunked store is sharded: shards of all time steps of {@code SHARD} x
   * {@code SHARD} points, inner chunks of {@link #TILE} x {@link #TILE} ({@code -Dgranules.tile=1
   * -Dgranules.shard=15} is the sharded layout measured on 7 December). 0 (the default): unsharded.
   */
  private static final int SHARD = Integer.getInteger("granules.shard", 0);

  /**
   * The rechunk's {@code rechunk_memory}: 1 GiB, so that all of the 2,000-granule {@code tas}'s
   * target chunks (1.04 GB) fit one task and the planner takes one stage with one region, which
   * inflates each granule field once (its fetching threads decode and copy on both cores), rather
   * than two regions that each inflate every field (640 MiB, the ninth session's setting) or a
   * shuffle of the array ({@code -Dgranules.rechunkMemory=268435456} for the default budget). The
   * task holds the 1.04 GB of target chunks plus two 4 MiB slices in the benchmark's 4 GB heap.
   */
  static final long RECHUNK_MEMORY = Long.getLong("granules.rechunkMemory", 1L << 30);

  /** Wall time after which a workload is not repeated again (of its {@code --reps} runs). */
  private static final double REPEAT_BUDGET_SECONDS = 15;

  /** The generated grid's coordinate lengths. */
  private static final Map<String, Integer> LENGTHS = Map.of("lat", 90, "lon", 180);

  /** One measured workload on one access path. */
  record Result(double seconds, long requests, long bytes, Object answer) {}

  private final SparkSession spark;
  private final int reps;
  private boolean warm;

  GranuleBench(SparkSession spark, int reps) {
    this.spark = spark;
    this.reps = reps;
  }

  public static void main(String[] args) throws Exception {
    String out = "benchmarks/target/granules.md";
    int reps = 3;
    List<String> storeNames = List.of("local");
    List<String[]> collections = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = args[++i];
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--stores" -> storeNames = List.of(args[++i].split(","));
        default -> collections.add(args[i].split("=", 2));
      }
    }
    SparkSession spark =
        BenchSessions.start(
            BenchSessions.local("arraymorph-granule-benchmark")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.session.timeZone", "UTC"));
    StringBuilder md = new StringBuilder();
    md.append("| files | store | workload | xarray open_mfdataset (best mode, local files)")
        .append(" | ArrayMorph over the files | over the manifest | over the rechunked store")
        .append(" | answers agree |\n")
        .append("|---:|---|---|---|---|---|---|---|\n");
    boolean allAgree = true;
    try {
      GranuleBench bench = new GranuleBench(spark, reps);
      GranuleStores stores = new GranuleStores(Paths.get("benchmarks/target/granules"));
      for (String[] c : collections) {
        JsonNode xr = new ObjectMapper().readTree(Paths.get(c[1]).toFile());
        String dir = c[0].endsWith("/") ? c[0].substring(0, c[0].length() - 1) : c[0];
        int files = xr.get("files").asInt();
        for (String storeName : storeNames) {
          GranuleStores.Collection at = stores.collection(storeName, Paths.get(dir));
          // A collection xarray measured on "open" only (--open-only) gets the open workload over
          // the files and the manifest: no rechunk, whose cost grows with the data, not the files.
          boolean openOnly = !xr.get("best").has("point");
          List<String> workloads = openOnly ? List.of("open") : List.of(WORKLOADS);
          Map<String, Result> am = bench.run(at.files(), at.options(), xr.get("month"), workloads);
          double index = bench.index(at);
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %d | %s | index (build the manifest) | | | %.3f s | | |\n",
                  files,
                  storeName,
                  index));
          Map<String, Result> overManifest =
              bench.run(at.manifest(), at.options(), xr.get("month"), workloads);
          Map<String, Result> overRechunked = Map.of();
          if (!openOnly) {
            int steps = files * STEPS_PER_GRANULE;
            Rechunked rechunk = bench.rechunk(at, steps);
            overRechunked = bench.run(at.rechunked(), at.options(), xr.get("month"), workloads);
            md.append(
                String.format(
                    Locale.ROOT,
                    "| %d | %s | rechunk (manifest to chunks (%d, %d, %d)%s, inflating %d shuffled"
                        + " zlib fields; `tas` alone %.3f s, `rechunk_memory` %d MiB: %s) | | | |"
                        + " %.3f s | |\n",
                    files,
                    storeName,
                    steps,
                    TILE,
                    TILE,
                    SHARD > 0 ? " in shards (" + steps + ", " + SHARD + ", " + SHARD + ")" : "",
                    steps,
                    rechunk.tasSeconds(),
                    RECHUNK_MEMORY >> 20,
                    rechunk.plan().replaceAll(";.*", ""),
                    rechunk.seconds()));
            RawCopy raw = bench.rawCopy(at);
            md.append(
                String.format(
                    Locale.ROOT,
                    "| %d | %s | raw read + write (GET every granule, PUT the rechunked `tas`'s"
                        + " objects, nothing decoded: %s read, %s written, 16 requests in flight)"
                        + " | | | | %.3f s"
                        + " (rechunk / raw throughput: %.2f) | |\n",
                    files,
                    storeName,
                    mb(raw.bytesRead()),
                    mb(raw.bytesWritten()),
                    raw.seconds(),
                    raw.seconds() / rechunk.tasSeconds()));
          }
          for (String w : workloads) {
            JsonNode x = xr.get("best").get(w);
            Result r = am.get(w);
            Result m = overManifest.get(w);
            Result z = overRechunked.get(w);
            boolean agree =
                agrees(w, x.get("answer"), r.answer())
                    && agrees(w, x.get("answer"), m.answer())
                    && (z == null || agrees(w, x.get("answer"), z.answer()));
            allAgree &= agree;
            md.append(
                String.format(
                    Locale.ROOT,
                    "| %d | %s | %s | %.3f s, %s read (%s) | %s | %s | %s | %s |\n",
                    files,
                    storeName,
                    w,
                    x.get("seconds").asDouble(),
                    mb(x.get("bytes").asLong()),
                    x.get("mode").asText(),
                    cell(r),
                    cell(m),
                    z == null ? "not run (--open-only)" : cell(z),
                    agree ? "yes" : "NO"));
          }
        }
      }
    } finally {
      spark.stop();
    }
    Files.writeString(Paths.get(out), md.toString());
    System.out.print(md);
    if (!allAgree) {
      System.err.println("Some answers differ from xarray's: see the table");
      System.exit(1);
    }
  }

  private static String cell(Result r) {
    return String.format(
        Locale.ROOT, "%.3f s, %d requests, %s", r.seconds(), r.requests(), mb(r.bytes()));
  }

  /** Indexes the granules of {@code dir} into a fresh manifest; returns the wall time. */
  double index(GranuleStores.Collection c) {
    c.delete(c.manifest());
    long t0 = System.nanoTime();
    SparkGranuleManifest.index(
        spark,
        List.of(c.files() + "g_*.nc"),
        c.manifest(),
        ManifestWriter.Options.DEFAULT,
        c.options());
    return (System.nanoTime() - t0) / 1e9;
  }

  /** A timed rechunk: all four arrays, {@code tas} alone, and the plan of {@code tas}. */
  record Rechunked(double seconds, double tasSeconds, String plan) {}

  /**
   * Rechunks the manifest's {@code tas} into long series of {@link #TILE} x {@link #TILE} tiles
   * within {@link #RECHUNK_MEMORY}, and copies its coordinate arrays beside it (so coordinate
   * filters resolve on the result).
   */
  Rechunked rechunk(GranuleStores.Collection c, int steps) {
    String manifest = c.manifest();
    String target = c.rechunked();
    c.delete(target);
    long t0 = System.nanoTime();
    Map<String, String> options = c.with("chunks", steps + "," + TILE + "," + TILE);
    options.put("rechunk_memory", String.valueOf(RECHUNK_MEMORY));
    if (SHARD > 0) {
      options.put("shards", steps + "," + SHARD + "," + SHARD);
    }
    String plan = ArrayMorphRechunk.run(spark, manifest, "tas", target, options).plan();
    double tasSeconds = (System.nanoTime() - t0) / 1e9;
    for (String coordinate : new String[] {"time", "lat", "lon"}) {
      // One chunk each: the whole coordinate (a rechunk needs one extent per dimension).
      int length = coordinate.equals("time") ? steps : LENGTHS.get(coordinate);
      ArrayMorphRechunk.run(
          spark, manifest, coordinate, target, c.with("chunks", String.valueOf(length)));
    }
    return new Rechunked((System.nanoTime() - t0) / 1e9, tasSeconds, plan);
  }

  /** The raw baseline of a rechunk: its wall time and the bytes it moved. */
  record RawCopy(double seconds, long bytesRead, long bytesWritten) {}

  /**
   * What the rechunk of {@code tas} moves, with raw requests (the main suite's {@link RechunkBench}
   * baseline, reused): GETs of every granule (the rechunk reads each one's chunks of {@code tas},
   * nearly all its bytes) and PUTs of the rechunked {@code tas}'s objects under a scratch location,
   * deleted after; the best of {@code reps} runs.
   */
  RawCopy rawCopy(GranuleStores.Collection c) {
    String scratch = c.rechunked() + ".raw";
    try (ObjectStore granules = ObjectStores.open(c.files(), StoreSettings.of(c.options()));
        ObjectStore rechunked = ObjectStores.open(c.rechunked(), StoreSettings.of(c.options()));
        ObjectStore out = ObjectStores.open(scratch, StoreSettings.of(c.options()))) {
      List<String> granuleKeys = new ArrayList<>();
      for (ObjectInfo o : Futures.join(granules.list(""))) {
        if (o.key().endsWith(".nc")) {
          granuleKeys.add(o.key());
        }
      }
      List<String> keys = RechunkBench.chunkKeys(rechunked, "tas");
      List<byte[]> objects = RechunkBench.rawGets(rechunked, keys);
      long written = objects.stream().mapToLong(b -> b.length).sum();
      double best = Double.MAX_VALUE;
      long read = 0;
      for (int i = 0; i < reps; i++) {
        long t0 = System.nanoTime();
        read = RechunkBench.rawGets(granules, granuleKeys).stream().mapToLong(b -> b.length).sum();
        RechunkBench.rawPuts(out, keys, objects);
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      }
      return new RawCopy(best, read, written);
    } finally {
      c.delete(scratch);
    }
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  /** A read of {@code tas}: a directory (ending in "/") of granules, a manifest or a store. */
  private Dataset<Row> load(String location, Map<String, String> options) {
    return spark
        .read()
        .format("arraymorph")
        .options(options)
        .option("dataset", "tas")
        .option("coordinate_values", "true")
        .load(location);
  }

  /**
   * Each workload's fastest of {@code reps} runs, or of fewer once they took {@link
   * #REPEAT_BUDGET_SECONDS} (the first call after one unmeasured warm-up pass of the JVM).
   */
  Map<String, Result> run(
      String location, Map<String, String> options, JsonNode month, List<String> workloads) {
    Map<String, Supplier<Result>> work = new LinkedHashMap<>();
    work.put(
        "open",
        () ->
            measure(
                () -> {
                  // Open every granule and plan; the time steps counted at one grid point (no
                  // value column: no chunk is fetched) are xarray's time length.
                  Dataset<Row> df =
                      load(location, options).where("lat = 89.0 and lon = -179.0").select("time");
                  return new Object[] {df, df.count()};
                }));
    work.put(
        "point",
        () ->
            measure(
                () -> {
                  // Ordered on the driver: orderBy would sample the scan's output to place its
                  // range partitions, which runs the whole scan a second time.
                  Dataset<Row> df =
                      load(location, options)
                          .where("lat = 45.0 and lon = 1.0")
                          .select("time", "tas");
                  List<Row> rows = new ArrayList<>(df.collectAsList());
                  rows.sort(java.util.Comparator.comparing(r -> r.getTimestamp(0)));
                  List<Double> v = new ArrayList<>();
                  for (Row r : rows) {
                    v.add((double) r.getFloat(1));
                  }
                  return new Object[] {df, v};
                }));
    work.put(
        "box",
        () ->
            measure(
                () -> {
                  // lat indices 20..39 are 49 .. 11, lon indices 60..99 are -59 .. 19.
                  Dataset<Row> df =
                      load(location, options)
                          .where("lat between 11 and 49 and lon between -59 and 19")
                          .groupBy("time")
                          .avg("tas")
                          .orderBy("time");
                  List<Double> v = new ArrayList<>();
                  for (Row r : df.collectAsList()) {
                    v.add(r.getDouble(1));
                  }
                  return new Object[] {df, v};
                }));
    work.put(
        "month",
        () ->
            measure(
                () -> {
                  Dataset<Row> df =
                      load(location, options)
                          .where(
                              "time between timestamp'"
                                  + month.get(0).asText()
                                  + "' and timestamp'"
                                  + month.get(1).asText()
                                  + "'")
                          .selectExpr("count(*)", "sum(cast(tas as double))");
                  Row r = df.collectAsList().get(0);
                  return new Object[] {df, Map.of("count", r.getLong(0), "sum", r.getDouble(1))};
                }));
    work.keySet().retainAll(workloads);
    Map<String, Result> out = new LinkedHashMap<>();
    if (!warm) {
      // The first queries in a fresh JVM are much slower; one pass warms it for every path.
      for (Supplier<Result> w : work.values()) {
        System.out.printf(Locale.ROOT, "warm-up %.3f s%n", w.get().seconds());
      }
      warm = true;
    }
    for (Map.Entry<String, Supplier<Result>> e : work.entrySet()) {
      Result best = null;
      double spent = 0;
      // Slow workloads (large collections) stop repeating once past the budget: keeps a
      // 500 + 2,000 run within minutes, and their run-to-run spread is small beside their time.
      for (int i = 0; i < reps && (i == 0 || spent < REPEAT_BUDGET_SECONDS); i++) {
        Result r = e.getValue().get();
        spent += r.seconds();
        best = best == null || r.seconds() < best.seconds() ? r : best;
      }
      out.put(e.getKey(), best);
    }
    return out;
  }

  /** Runs a workload (returning its DataFrame and answer), with the scan's requests and bytes. */
  private static Result measure(Supplier<Object[]> workload) {
    long t0 = System.nanoTime();
    Object[] dfAndAnswer = workload.get();
    double seconds = (System.nanoTime() - t0) / 1e9;
    Dataset<?> df = (Dataset<?>) dfAndAnswer[0];
    long requests = 0;
    long bytes = 0;
    for (BatchScanExec s : scans(df.queryExecution().executedPlan())) {
      Map<String, SQLMetric> m = CollectionConverters.asJava(s.metrics());
      requests +=
          m.containsKey(SparkReadMetrics.REQUESTS) ? m.get(SparkReadMetrics.REQUESTS).value() : 0;
      bytes +=
          m.containsKey(SparkReadMetrics.BYTES_FETCHED)
              ? m.get(SparkReadMetrics.BYTES_FETCHED).value()
              : 0;
    }
    return new Result(seconds, requests, bytes, dfAndAnswer[1]);
  }

  private static List<BatchScanExec> scans(SparkPlan plan) {
    List<BatchScanExec> out = new ArrayList<>();
    if (plan instanceof AdaptiveSparkPlanExec a) {
      return scans(a.executedPlan());
    }
    if (plan instanceof QueryStageExec q) {
      return scans(q.plan());
    }
    if (plan instanceof BatchScanExec b) {
      out.add(b);
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      out.addAll(scans(child));
    }
    return out;
  }

  /** Whether ArrayMorph's answer equals xarray's (sums and means to a relative 1e-9). */
  static boolean agrees(String workload, JsonNode xarray, Object ours) {
    switch (workload) {
      case "open":
        return xarray.asLong() == ((Number) ours).longValue();
      case "point":
      case "box":
        {
          @SuppressWarnings("unchecked")
          List<Double> v = (List<Double>) ours;
          if (v.size() != xarray.size()) {
            return false;
          }
          for (int i = 0; i < v.size(); i++) {
            if (!close(xarray.get(i).asDouble(), v.get(i))) {
              return false;
            }
          }
          return true;
        }
      default:
        {
          @SuppressWarnings("unchecked")
          Map<String, Object> m = (Map<String, Object>) ours;
          return xarray.get("count").asLong() == (Long) m.get("count")
              && close(xarray.get("sum").asDouble(), (Double) m.get("sum"));
        }
    }
  }

  private static boolean close(double a, double b) {
    return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
  }
}
