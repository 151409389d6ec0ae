package io.arraymorph.bench;

import static io.arraymorph.bench.Report.f;
import static io.arraymorph.bench.Report.target;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.BoundedPipeline;
import io.arraymorph.rechunk.LocalRechunk;
import io.arraymorph.rechunk.RechunkJob;
import io.arraymorph.rechunk.RechunkRequest;
import io.arraymorph.rechunk.RechunkResult;
import io.arraymorph.spark.rechunk.ArrayMorphRechunk;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.zarr.ZarrDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * Rechunk throughput (issue 16): a time-step-chunked float32 cube, {@code T x N x N} with chunks
 * {@code 1 x N x N} (zstd), rechunked into long series of small tiles {@code T x 16 x 16} (zstd),
 * vs reading the source objects plus writing the result's objects with raw requests (the same
 * store, 16 in flight, no decode or encode). Rechunks: core on local threads with the whole cube in
 * one task's memory (no blocks move), core with a quarter of it (blocks spilled to disk), and the
 * Spark job ({@link ArrayMorphRechunk}, local[2]) shuffling blocks. Target: at least half the raw
 * throughput.
 *
 * <p>Callable on its own: {@code java -cp ... io.arraymorph.bench.RechunkBench [T] [N]} (small
 * scale by default). Another harness (the granule-collection benchmark) rechunks through the same
 * doors: {@link ArrayMorphRechunk#run} in a Spark session, or {@link RechunkJob#run} with a {@link
 * LocalRechunk} runner without Spark, as {@link #core} and {@link #spark} do here.
 */
public final class RechunkBench {
  static final String SOURCE = "cube";
  static final int TILE = 16;
  static final int THREADS = 2;

  private final BenchContext ctx;

  public RechunkBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  /** Runs the workload at the suite's scale (256 x 256 x 256, 64 MiB) on S3Proxy and local. */
  public void run() throws Exception {
    report(ctx.timing(), ctx.report(), 256, 256, stores(ctx));
  }

  private static List<Object[]> stores(BenchContext ctx) {
    return List.of(
        new Object[] {"S3Proxy (fs)", "s3://bench/rechunk", ctx.s3Settings()},
        new Object[] {"local", ctx.work().resolve("rechunk").toString(), Map.of()});
  }

  /** Writes the source cube: value {@code t * 1e-3 + i + j * 1e-2}, float32. */
  static void createSource(ArrayStore store, int t, int n) {
    if (store.exists(SOURCE)) {
      store.delete(SOURCE);
    }
    Dataset ds =
        store.createDataset(
            SOURCE,
            ArraySpec.of(DataType.FLOAT32, t, n, n)
                .chunks(1, n, n)
                .compression(ArraySpec.Compression.ZSTD)
                .dimensionNames("time", "y", "x"));
    float[] step = new float[n * n];
    for (int k = 0; k < t; k++) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          step[i * n + j] = k * 1e-3f + i + j * 1e-2f;
        }
      }
      ds.write(new long[] {k, 0, 0}, NdArray.of(step, 1, n, n));
    }
  }

  /** One measured rechunk way: its name and how it runs into {@code target}. */
  interface Way {
    RechunkResult rechunk(String location, Map<String, String> settings, String target)
        throws Exception;
  }

  static RechunkRequest request(String location, String target, int t, long memory) {
    return new RechunkRequest(
        location,
        SOURCE,
        location,
        target,
        new int[] {t, TILE, TILE},
        null,
        ArraySpec.Compression.ZSTD,
        -1,
        true,
        memory,
        Duration.ofHours(1));
  }

  static Way core(int t, long memory) {
    return (location, settings, target) -> {
      try (ArrayStore store = ArrayStore.open(location, StoreSettings.of(settings))) {
        return RechunkJob.run(
            store,
            store,
            request(location, target, t, memory),
            "bench-" + UUID.randomUUID(),
            new LocalRechunk(store, store, THREADS, 16));
      }
    };
  }

  static Way spark(SparkSession spark, int t, long memory) {
    return (location, settings, target) -> {
      Map<String, String> opts = new HashMap<>(settings);
      opts.put("chunks", t + "," + TILE + "," + TILE);
      opts.put("codec", "zstd");
      opts.put("rechunk_memory", Long.toString(memory));
      return ArrayMorphRechunk.run(spark, location, SOURCE, location, target, true, opts);
    };
  }

  /** GETs every object under {@code prefix}, 16 in flight; returns their keys and bytes. */
  static List<byte[]> rawGets(ObjectStore os, List<String> keys) {
    byte[][] out = new byte[keys.size()][];
    List<Integer> idx = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      idx.add(k);
    }
    BoundedPipeline.run(idx.iterator(), 16, k -> os.get(keys.get(k)).thenAccept(b -> out[k] = b))
        .join();
    return List.of(out);
  }

  static void rawPuts(ObjectStore os, List<String> keys, List<byte[]> objects) {
    List<Integer> idx = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      idx.add(k);
    }
    BoundedPipeline.run(idx.iterator(), 16, k -> os.put(keys.get(k), objects.get(k))).join();
  }

  static List<String> chunkKeys(ObjectStore os, String dataset) {
    List<String> keys = new ArrayList<>();
    for (ObjectInfo o : os.list(dataset + "/c/").join()) {
      keys.add(o.key());
    }
    return keys;
  }

  /** Measures every way on every store and adds the table to the report. */
  static void report(Timing timing, Report report, int t, int n, List<Object[]> stores)
      throws Exception {
    double mib = (double) t * n * n * 4 / (1 << 20);
    long whole = (long) t * n * n * 4;
    report.heading("Rechunk throughput vs raw read + raw write (issue 16)");
    report.text(
        "A "
            + t
            + " x "
            + n
            + " x "
            + n
            + " float32 cube ("
            + f(mib, 0)
            + " MiB decoded) chunked one time step per chunk (zstd), rechunked into "
            + t
            + " x "
            + TILE
            + " x "
            + TILE
            + " tiles (zstd), vs raw GETs of the source's chunk objects plus raw PUTs of the"
            + " result's chunk objects (same store, 16 in flight, no decode or encode). `direct`:"
            + " `rechunk_memory` holds the whole cube, reads write their own tiles, no blocks move; `blocks`: `rechunk_memory` is a"
            + " quarter of the cube, so reads are cut into blocks (spilled to disk on local"
            + " threads, shuffled by Spark local[2]). Target: rechunk >= 0.5 x raw throughput.");
    Report.Table table =
        report.table(
            "store",
            "way",
            "rechunk median s",
            "rechunk MiB/s",
            "raw read+write s",
            "raw MiB/s",
            "rechunk/raw",
            "target >= 0.5");
    SparkSession spark = BenchSessions.local("arraymorph-rechunk-bench").getOrCreate();
    List<Object[]> ways =
        List.of(
            new Object[] {"core direct", core(t, 2 * whole + 1)},
            new Object[] {"core blocks", core(t, whole / 4)},
            new Object[] {"Spark blocks", spark(spark, t, whole / 4)});
    for (Object[] s : stores) {
      String name = (String) s[0];
      String location = (String) s[1];
      @SuppressWarnings("unchecked")
      Map<String, String> settings = (Map<String, String>) s[2];
      try (ArrayStore store = ArrayStore.open(location, StoreSettings.of(settings))) {
        System.out.println("rechunk source on " + name);
        createSource(store, t, n);
        ObjectStore os = store.objectStore();
        List<String> sourceKeys = chunkKeys(os, SOURCE);
        for (Object[] w : ways) {
          String way = (String) w[0];
          Way run = (Way) w[1];
          String target = "tiles-" + way.replace(' ', '-');
          run.rechunk(location, settings, target); // also the objects raw PUTs write
          check(store, target, t, n);
          List<String> targetKeys = chunkKeys(os, target);
          List<byte[]> objects = rawGets(os, targetKeys);
          List<String> rawKeys = new ArrayList<>();
          for (String k : targetKeys) {
            rawKeys.add("raw-" + k);
          }
          // Every timed rechunk creates a new target (an overwrite would add its publish copies).
          int[] runs = {0};
          List<String> made = new ArrayList<>();
          List<Timing.Sample> samples =
              timing.measureInterleaved(
                  120,
                  new String[] {"rechunk " + way + " " + name, "raw read+write " + name},
                  new Timing.Op[] {
                    () -> {
                      String fresh = target + "-" + runs[0]++;
                      made.add(fresh);
                      run.rechunk(location, settings, fresh);
                    },
                    () -> {
                      rawGets(os, sourceKeys);
                      rawPuts(os, rawKeys, objects);
                    }
                  });
          double r = mib / samples.get(0).median();
          double raw = mib / samples.get(1).median();
          report.summary(
              "Rechunk / raw read+write, " + way + ", " + name,
              f(r / raw, 2) + " (" + f(r, 1) + " vs " + f(raw, 1) + " MiB/s)",
              ">= 0.5",
              r / raw >= 0.5);
          table.row(
              name,
              way,
              f(samples.get(0).median(), 3),
              f(r, 1),
              f(samples.get(1).median(), 3),
              f(raw, 1),
              f(r / raw, 2),
              target(r / raw >= 0.5));
          store.delete(target);
          for (String m : made) {
            store.delete(m);
          }
          for (String k : rawKeys) {
            os.delete(k).join();
          }
        }
        store.delete(SOURCE);
      }
    }
    table.done();
  }

  /** Probes values of the result against the formula the source was written with. */
  private static void check(ArrayStore store, String target, int t, int n) {
    ZarrDataset ds = (ZarrDataset) store.dataset(target);
    if (ds.metadata().chunkShape()[0] != t || ds.metadata().chunkShape()[1] != TILE) {
      throw new IllegalStateException("Unexpected chunks of " + target + ": " + ds.metadata());
    }
    NdArray all = ds.read();
    long[][] probes = {{0, 0, 0}, {t - 1, n - 1, n - 1}, {t / 2, n / 3, n / 5}};
    for (long[] p : probes) {
      float want = p[0] * 1e-3f + p[1] + p[2] * 1e-2f;
      if (all.getDouble(p) != want) {
        throw new IllegalStateException(
            "Wrong rechunked value at " + java.util.Arrays.toString(p) + " in " + target);
      }
    }
  }

  /** Runs the workload alone: {@code [T] [N] [--out FILE]} (default 64 x 128, 4 MiB). */
  public static void main(String[] args) throws Exception {
    int t = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    Path work = Path.of("benchmarks/target/bench-rechunk").toAbsolutePath();
    BenchmarkSuite.deleteTree(work);
    Files.createDirectories(work);
    S3ProxyServer server = S3ProxyServer.startFilesystem(work.resolve("s3proxy"));
    server.createBucket("bench");
    Report report = new Report();
    List<Object[]> stores =
        List.of(
            new Object[] {"S3Proxy (fs)", "s3://bench/rechunk", server.settings("bench")},
            new Object[] {"local", work.resolve("local").toString(), Map.of()});
    report(new Timing(1, 3), report, t, n, stores);
    System.out.println(report);
    System.exit(0);
  }
}
