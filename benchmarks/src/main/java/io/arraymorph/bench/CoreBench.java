package io.arraymorph.bench;

import static io.arraymorph.bench.Report.f;
import static io.arraymorph.bench.Report.target;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.BoundedPipeline;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.StoreStats;
import io.arraymorph.zarr.ZarrDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Workloads of the core engine without Spark: full scan vs raw GETs, bytes and requests on the wire
 * for selections, random ML samples, and whole-array writes, on S3Proxy and the local store.
 */
final class CoreBench {
  static final String RAW = "f32";
  static final String ZSTD = "f32zstd";
  static final String ML = "ml";
  static final int MAX_IN_FLIGHT = 16;
  static final double MIB = 1024.0 * 1024.0;

  /** The selections of issue #6 on the 8192 x 8192 array. */
  static final long SQUARE_START = 4000;

  static final int SQUARE = 819;
  static final long ROW = 4000;
  static final long COLUMN = 17;

  private final Timing timing;
  private final Report report;
  private final ArrayStore s3;
  private final ArrayStore s3Relay;
  private final ArrayStore local;
  private final CountingRelay relay;
  private final NdArray field;

  CoreBench(
      Timing timing,
      Report report,
      ArrayStore s3,
      ArrayStore s3Relay,
      ArrayStore local,
      CountingRelay relay,
      NdArray field) {
    this.timing = timing;
    this.report = report;
    this.s3 = s3;
    this.s3Relay = s3Relay;
    this.local = local;
    this.relay = relay;
    this.field = field;
  }

  static Hyperslab square() {
    return Hyperslab.box(new long[] {SQUARE_START, SQUARE_START}, new long[] {SQUARE, SQUARE});
  }

  static Hyperslab row() {
    return Hyperslab.box(new long[] {ROW, 0}, new long[] {1, BenchData.N});
  }

  static Hyperslab column() {
    return Hyperslab.box(new long[] {0, COLUMN}, new long[] {BenchData.N, 1});
  }

  static ArraySpec fieldSpec(boolean zstd) {
    ArraySpec spec =
        ArraySpec.of(DataType.FLOAT32, BenchData.N, BenchData.N)
            .chunks(BenchData.CHUNK, BenchData.CHUNK)
            .dimensionNames("i", "j");
    return zstd ? spec.compression(ArraySpec.Compression.ZSTD) : spec;
  }

  /** Creates (or re-creates) the datasets on a store. */
  static void createAll(ArrayStore store, NdArray field, NdArray images) {
    for (String p : List.of(RAW, ZSTD, ML)) {
      if (store.exists(p)) {
        store.delete(p);
      }
    }
    store.createDataset(RAW, fieldSpec(false)).write(new long[] {0, 0}, field);
    store.createDataset(ZSTD, fieldSpec(true)).write(new long[] {0, 0}, field);
    store
        .createDataset(
            ML,
            ArraySpec.of(
                    DataType.UINT8, BenchData.SAMPLES, BenchData.SAMPLE_SIDE, BenchData.SAMPLE_SIDE)
                .chunks(BenchData.SAMPLES_PER_CHUNK, BenchData.SAMPLE_SIDE, BenchData.SAMPLE_SIDE)
                .dimensionNames("sample", "y", "x"))
        .write(new long[] {0, 0, 0}, images);
  }

  private static List<String> chunkKeys(ZarrDataset ds) {
    List<String> keys = new ArrayList<>();
    ds.grid().forEachChunk(c -> keys.add(ds.chunkKey(c)));
    return keys;
  }

  /** Raw parallel GETs of every chunk object, no decode, at the engine's concurrency. */
  private static long rawGets(ObjectStore store, List<String> keys) {
    AtomicLong bytes = new AtomicLong();
    BoundedPipeline.run(
            keys.iterator(),
            MAX_IN_FLIGHT,
            k -> store.get(k).thenAccept(b -> bytes.addAndGet(b.length)))
        .join();
    return bytes.get();
  }

  /** Raw parallel PUTs of prepared chunk objects at the engine's concurrency. */
  private static void rawPuts(ObjectStore store, List<String> keys, List<byte[]> objects) {
    List<Integer> idx = new ArrayList<>();
    for (int k = 0; k < keys.size(); k++) {
      idx.add(k);
    }
    BoundedPipeline.run(idx.iterator(), MAX_IN_FLIGHT, k -> store.put(keys.get(k), objects.get(k)))
        .join();
  }

  private static void checkField(NdArray out, long i0, long j0) {
    long[] shape = out.shape();
    long[][] probes = {{0, 0}, {shape[0] - 1, shape[1] - 1}, {shape[0] / 2, shape[1] / 3}};
    for (long[] p : probes) {
      double got = out.getDouble(p[0], p[1]);
      double want = BenchData.value(i0 + p[0], j0 + p[1]);
      if (got != (float) want) {
        throw new IllegalStateException(
            "Wrong value at " + (i0 + p[0]) + "," + (j0 + p[1]) + ": " + got + " != " + want);
      }
    }
  }

  /** Workload 1: core full scan into a buffer vs raw GETs of the same objects. */
  void fullScan() throws Exception {
    report.heading("1. Core engine full scan vs raw parallel GETs (no Spark)");
    report.text(
        "The whole 8192 x 8192 float32 array (256 MiB, 256 uncompressed chunk objects of 1 MiB)"
            + " read into one buffer by `Dataset.read()` (fetch, decode, copy into place), vs raw"
            + " `ObjectStore.get` of the same 256 objects through the same store object (on S3:"
            + " the same CRT S3 client), "
            + MAX_IN_FLIGHT
            + " requests in flight in both, no decode or copy. Runs interleaved, "
            + 3 * timing.reps()
            + " repetitions each (three times the suite's: the scans are short). Targets (issue"
            + " 15): core >= 85% of raw throughput on S3Proxy, >= 70% on the local store.");
    Report.Table t =
        report.table(
            "store",
            "core median s",
            "core MiB/s",
            "raw median s",
            "raw MiB/s",
            "core/raw",
            "target",
            "zstd core MiB/s (info)");
    for (var e :
        List.of(new Object[] {"S3Proxy (fs)", s3, 0.85}, new Object[] {"local", local, 0.70})) {
      String name = (String) e[0];
      ArrayStore store = (ArrayStore) e[1];
      double goal = (Double) e[2];
      ZarrDataset ds = (ZarrDataset) store.dataset(RAW);
      Dataset zstd = store.dataset(ZSTD);
      List<String> keys = chunkKeys(ds);
      double mib = BenchData.N * (double) BenchData.N * 4 / MIB;
      checkField(ds.read(), 0, 0);
      System.out.println("full scan on " + name);
      // Two warm-ups: the first scans also warm the JIT for the S3 client's code paths. Three
      // times the usual repetitions: a scan takes 0.05 s locally and 0.4 s on S3Proxy, so five
      // gave medians that moved by 0.2 in the ratio between consecutive quiet runs.
      List<Timing.Sample> s =
          new Timing(2, 3 * timing.reps())
              .measureInterleaved(
                  60,
                  new String[] {"core scan " + name, "raw GETs " + name},
                  new Timing.Op[] {ds::read, () -> rawGets(store.objectStore(), keys)});
      Timing.Sample z = timing.measure("core scan zstd " + name, 25, zstd::read);
      double core = mib / s.get(0).median();
      double raw = mib / s.get(1).median();
      report.summary(
          "1. core full scan / raw GETs, " + name,
          f(core / raw, 2) + " (" + f(core, 0) + " vs " + f(raw, 0) + " MiB/s)",
          ">= " + f(goal, 2),
          core / raw >= goal);
      t.row(
          name,
          f(s.get(0).median(), 3),
          f(core, 0),
          f(s.get(1).median(), 3),
          f(raw, 0),
          f(core / raw, 2),
          ">= " + f(goal, 2) + ": " + target(core / raw >= goal),
          f(mib / z.median(), 0));
    }
    t.done();
  }

  /** Workload 2: bytes and requests on the wire vs the minimum a selection needs. */
  void transfer() throws Exception {
    report.heading("2. Minimal transfer: bytes and requests on the wire");
    report.text(
        "Counted by a TCP relay on 127.0.0.1 between the S3 client and S3Proxy, which parses the"
            + " HTTP/1.1 streams: requests, response bodies, and all bytes received (headers"
            + " included). Minimal bytes = selected elements x 4; overlapping chunks = chunks"
            + " holding at least one selected element. Dataset metadata is opened before counting."
            + " The cost model is the default remote one (20 ms per request, 100 MB/s), which"
            + " merges ranges closer than 2 MB and takes a whole chunk unless ranges save >= 10%."
            + " Targets: body bytes <= 1.1 x minimal when chunks allow ranges (uncompressed),"
            + " requests <= overlapping chunks + 1 version check for a dataset that records a"
            + " version (one GET of its zarr.json per read, which issue 12 allows), + 0 for one"
            + " that does not.");
    Report.Table t =
        report.table(
            "selection",
            "codec",
            "minimal bytes",
            "body bytes",
            "all bytes down",
            "body / minimal",
            "requests",
            "overlapping chunks",
            "version checks allowed",
            "requests / (chunks + checks)",
            "targets (bytes; requests)");
    record Sel(String name, Hyperslab slab) {}
    List<Sel> sels =
        List.of(
            new Sel("1% square 819x819 at (4000,4000)", square()),
            new Sel("row i = 4000", row()),
            new Sel("column j = 17", column()));
    for (String codec : List.of(RAW, ZSTD)) {
      Dataset ds = s3Relay.dataset(codec);
      for (Sel sel : sels) {
        long chunks = ds.grid().plan(sel.slab()).chunkCount();
        long minimal = sel.slab().size() * 4;
        relay.reset();
        s3Relay.stats().reset();
        NdArray out = ds.read(sel.slab());
        checkField(out, sel.slab().start(0), sel.slab().start(1));
        CountingRelay.Counts c = relay.counts();
        StoreStats st = s3Relay.stats();
        if (st.requests() != c.requests()) {
          System.out.println(
              "  note: the store counted " + st.requests() + " requests, the wire " + c.requests());
        }
        double bytesRatio = c.responseBodyBytes() / (double) minimal;
        // A versioned dataset's read makes one version check (GET of its zarr.json) besides chunks.
        long checks = ds.generation() >= 0 ? 1 : 0;
        double reqRatio = c.requests() / (double) (chunks + checks);
        boolean rangesApply = codec.equals(RAW);
        String what = "2. " + sel.name() + ", " + (rangesApply ? "uncompressed" : "zstd");
        report.summary(
            what + ": body bytes / minimal",
            f(bytesRatio, 2) + "x (" + c.responseBodyBytes() + " / " + minimal + ")",
            rangesApply ? "<= 1.1x" : "none (compressed: whole chunks)",
            rangesApply ? bytesRatio <= 1.1 : null);
        report.summary(
            what + ": requests / (overlapping chunks + version checks)",
            c.requests() + " / (" + chunks + " + " + checks + ")",
            "<= 1",
            reqRatio <= 1.0);
        t.row(
            sel.name(),
            codec.equals(RAW) ? "none (ranges apply)" : "zstd (whole chunks)",
            minimal,
            c.responseBodyBytes(),
            c.bytesDown(),
            f(bytesRatio, 2),
            c.requests(),
            chunks,
            checks,
            f(reqRatio, 2),
            (rangesApply ? target(bytesRatio <= 1.1) : "n/a (compressed)")
                + "; "
                + target(reqRatio <= 1.0));
      }
    }
    t.done();
    report.text(
        "The column j = 17 touches 4 bytes in each of a chunk's 512 rows, 2 KiB apart: 512 tiny"
            + " ranges per chunk, which the cost model rightly merges into (nearly) the whole"
            + " chunk, so 512x512 chunks do not allow ranged reads for a column; the 1.1x bytes"
            + " target applies to the row (one contiguous 2 KiB range per chunk) and to the"
            + " square's interior rows.");
  }

  /** Timing of the selections (used by the Spark comparison as well). */
  void selections() throws Exception {
    report.heading("Core selection reads (no Spark)");
    Report.Table t = report.table("selection", "store", "codec", "median s", "reps");
    record Sel(String name, Hyperslab slab) {}
    List<Sel> sels =
        List.of(
            new Sel("1% square", square()),
            new Sel("row i = 4000", row()),
            new Sel("column j = 17", column()));
    for (var e : List.of(new Object[] {"S3Proxy (fs)", s3}, new Object[] {"local", local})) {
      ArrayStore store = (ArrayStore) e[1];
      for (String codec : List.of(RAW, ZSTD)) {
        Dataset ds = store.dataset(codec);
        for (Sel sel : sels) {
          Timing.Sample s =
              timing.measure(sel.name() + " " + e[0] + " " + codec, 15, () -> ds.read(sel.slab()));
          t.row(sel.name(), e[0], codec, f(s.median(), 4), s.count());
        }
      }
    }
    t.done();
  }

  /** Random samples of the ML array: one selection per sample, 16 in flight. */
  void mlSamples() throws Exception {
    report.heading("Random samples of the ML array (60000, 28, 28) uint8");
    report.text(
        "256 random sample indices (fixed seed), each read as its own (1, 28, 28) selection"
            + " (784 contiguous bytes of a 784,000-byte chunk of 1000 samples), 16 selections in"
            + " flight.");
    long[] idx = new Random(42).longs(256, 0, BenchData.SAMPLES).toArray();
    Report.Table t =
        report.table(
            "store",
            "median s",
            "samples/s",
            "requests on wire",
            "body bytes",
            "minimal bytes",
            "body / minimal");
    relay.reset();
    readSamples(s3Relay.dataset(ML), idx);
    CountingRelay.Counts c = relay.counts();
    long minimal = 256L * 784;
    for (var e : List.of(new Object[] {"S3Proxy (fs)", s3}, new Object[] {"local", local})) {
      Dataset ds = ((ArrayStore) e[1]).dataset(ML);
      Timing.Sample s = timing.measure("ml samples " + e[0], 20, () -> readSamples(ds, idx));
      boolean remote = e[0].toString().startsWith("S3");
      t.row(
          e[0],
          f(s.median(), 4),
          f(256 / s.median(), 0),
          remote ? c.requests() : "-",
          remote ? c.responseBodyBytes() : "-",
          minimal,
          remote ? f(c.responseBodyBytes() / (double) minimal, 2) : "-");
    }
    t.done();
  }

  private static void readSamples(Dataset ds, long[] idx) {
    List<Long> list = new ArrayList<>();
    for (long i : idx) {
      list.add(i);
    }
    BoundedPipeline.run(
            list.iterator(),
            MAX_IN_FLIGHT,
            i ->
                ds.readAsync(
                        Hyperslab.box(
                            new long[] {i, 0, 0},
                            new long[] {1, BenchData.SAMPLE_SIDE, BenchData.SAMPLE_SIDE}))
                    .thenAccept(
                        a -> {
                          int want = (int) ((i * 7 + 14 * 14 + 14 * 14) & 0xFF);
                          if ((a.getInt(0, 0, 0) & 0xFF) != want) {
                            throw new IllegalStateException("Wrong sample " + i);
                          }
                        }))
        .join();
  }

  /** Workload: write the whole 2-D array, vs raw PUTs of the same encoded objects. */
  void writes() throws Exception {
    report.heading("Write of the whole 2-D array (core, no Spark)");
    report.text(
        "`Dataset.write` of the 256 MiB array into an existing uncompressed dataset (every chunk"
            + " fully covered, so no read-modify-write), vs raw parallel PUTs of the same 256"
            + " encoded chunk objects through the same store, 16 in flight; zstd write for"
            + " information.");
    Report.Table t =
        report.table(
            "store",
            "core write median s",
            "core MiB/s",
            "raw PUT median s",
            "raw MiB/s",
            "core/raw",
            "zstd write median s");
    double mib = BenchData.N * (double) BenchData.N * 4 / MIB;
    for (var e : List.of(new Object[] {"S3Proxy (fs)", s3}, new Object[] {"local", local})) {
      ArrayStore store = (ArrayStore) e[1];
      String path = "f32write";
      String zpath = "f32zstdwrite";
      for (String p : List.of(path, zpath)) {
        if (store.exists(p)) {
          store.delete(p);
        }
      }
      ZarrDataset ds = (ZarrDataset) store.createDataset(path, fieldSpec(false));
      Dataset zs = store.createDataset(zpath, fieldSpec(true));
      // Raw PUTs store the very objects the core wrote for RAW on this store, under other keys.
      ZarrDataset src = (ZarrDataset) store.dataset(RAW);
      List<String> keys = new ArrayList<>();
      List<byte[]> stored = new ArrayList<>();
      src.grid()
          .forEachChunk(
              c -> {
                keys.add("raw" + ds.chunkKey(c));
                stored.add(store.objectStore().get(src.chunkKey(c)).join());
              });
      System.out.println("writes on " + e[0]);
      List<Timing.Sample> s =
          timing.measureInterleaved(
              60,
              new String[] {"core write " + e[0], "raw PUTs " + e[0]},
              new Timing.Op[] {
                () -> ds.write(new long[] {0, 0}, field),
                () -> rawPuts(store.objectStore(), keys, stored)
              });
      Timing.Sample z =
          timing.measure("core zstd write " + e[0], 30, () -> zs.write(new long[] {0, 0}, field));
      double core = mib / s.get(0).median();
      double raw = mib / s.get(1).median();
      t.row(
          e[0],
          f(s.get(0).median(), 3),
          f(core, 0),
          f(s.get(1).median(), 3),
          f(raw, 0),
          f(core / raw, 2),
          f(z.median(), 3));
      store.delete("raw" + path);
      store.delete(path);
      store.delete(zpath);
    }
    t.done();
  }

  /**
   * The publish step of a Spark append/overwrite commit: staged chunks copied to their final keys,
   * 64 in flight as SparkBatchWrite does, by server-side copy vs GET + PUT through the driver.
   */
  void publishCopies() throws Exception {
    report.heading("Publishing staged chunks at commit (server-side copy vs GET + PUT)");
    report.text(
        "The 256 chunk objects (1 MiB each) of the 2-D array copied to other keys, 64 in flight as"
            + " a Spark append/overwrite commit does: `ObjectStore.copy` (S3 CopyObject, a hard"
            + " link locally) vs the earlier GET + PUT through the driver. Interleaved, medians.");
    Report.Table t =
        report.table("store", "copy median s", "GET+PUT median s", "GET+PUT / copy", "reps");
    for (var e : List.of(new Object[] {"S3Proxy (fs)", s3}, new Object[] {"local", local})) {
      ArrayStore store = (ArrayStore) e[1];
      ObjectStore os = store.objectStore();
      ZarrDataset src = (ZarrDataset) store.dataset(RAW);
      List<String> from = new ArrayList<>();
      src.grid().forEachChunk(c -> from.add(src.chunkKey(c)));
      System.out.println("publish copies on " + e[0]);
      List<Timing.Sample> s =
          timing.measureInterleaved(
              60,
              new String[] {"copy " + e[0], "get+put " + e[0]},
              new Timing.Op[] {
                () -> copyAll(from, k -> os.copy(k, "publish-copy/" + k)),
                () ->
                    copyAll(
                        from, k -> os.get(k).thenCompose(b -> os.put("publish-get-put/" + k, b)))
              });
      t.row(
          e[0],
          f(s.get(0).median(), 3),
          f(s.get(1).median(), 3),
          f(s.get(1).median() / s.get(0).median(), 1),
          s.get(0).count());
      for (String prefix : List.of("publish-copy/", "publish-get-put/")) {
        for (var o : os.list(prefix).join()) {
          os.delete(o.key()).join();
        }
      }
    }
    t.done();
  }

  private static void copyAll(
      List<String> keys,
      java.util.function.Function<String, java.util.concurrent.CompletableFuture<?>> copy) {
    BoundedPipeline.run(keys.iterator(), 64, copy).join();
  }
}
