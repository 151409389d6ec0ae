package io.arraymorph.bench;

import static io.arraymorph.bench.Report.f;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.store.StoreSettings;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Workload 4: the 1% square of an HDF5 file (made by h5py, 512 x 512 chunks) on S3Proxy, read in
 * place by ArrayMorph (range requests through jhdf's metadata parser and ArrayMorph's chunk engine)
 * vs jhdf after downloading the whole file.
 */
public final class Hdf5Bench {
  private static final String KEY = "hdf/field.h5";
  private final BenchContext ctx;

  public Hdf5Bench(BenchContext ctx) {
    this.ctx = ctx;
  }

  public void run() throws Exception {
    Report report = ctx.report();
    report.heading("4. HDF5 on S3: read the 1% square in place vs download + jhdf");
    Path dir = ctx.work().resolve("hdf5");
    Files.createDirectories(dir);
    Path bin = dir.resolve("field.bin");
    Path h5 = dir.resolve("field.h5");
    Files.write(bin, ctx.field().bytes());
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                "import sys, numpy as np, h5py\n"
                    + "a = np.fromfile(sys.argv[1], dtype='<f4').reshape(8192, 8192)\n"
                    + "with h5py.File(sys.argv[2], 'w') as f:\n"
                    + "    f.create_dataset('values', data=a, chunks=(512, 512))\n",
                bin.toString(),
                h5.toString())
            .inheritIO()
            .start();
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      report.text("_Skipped: h5py could not write the HDF5 file (is python3-h5py installed?)._");
      return;
    }
    Files.delete(bin);
    byte[] file = Files.readAllBytes(h5);
    ctx.s3().objectStore().put(KEY, file).join();
    long fileBytes = file.length;
    file = null;

    String location = "s3://bench/data/" + KEY;
    StoreSettings relayed =
        StoreSettings.of(BenchmarkSuite.relaySettings(ctx.s3Settings(), ctx.relay()));
    StoreSettings direct = StoreSettings.of(ctx.s3Settings());
    long[] start = {CoreBench.SQUARE_START, CoreBench.SQUARE_START};
    int[] shape = {CoreBench.SQUARE, CoreBench.SQUARE};
    Path download = dir.resolve("download.h5");

    Timing.Op inPlace =
        () -> {
          try (ArrayStore store = ArrayStore.open(location, direct)) {
            Dataset ds = store.dataset("values");
            check(ds.read(CoreBench.square()).toFloatArray());
          }
        };
    Timing.Op downloadThenJhdf =
        () -> {
          try (ArrayStore store = ArrayStore.open("s3://bench/data", direct)) {
            Files.write(download, store.objectStore().get(KEY).join());
          }
          try (HdfFile hdf = new HdfFile(download)) {
            float[][] data = (float[][]) hdf.getDatasetByPath("values").getData(start, shape);
            float[] flat = new float[shape[0] * shape[1]];
            for (int r = 0; r < shape[0]; r++) {
              System.arraycopy(data[r], 0, flat, r * shape[1], shape[1]);
            }
            check(flat);
          }
        };

    // Bytes and requests on the wire, once each through the relay.
    ctx.relay().reset();
    try (ArrayStore store = ArrayStore.open(location, relayed)) {
      check(store.dataset("values").read(CoreBench.square()).toFloatArray());
    }
    CountingRelay.Counts inPlaceWire = ctx.relay().counts();

    List<Timing.Sample> s =
        ctx.timing()
            .measureInterleaved(
                90,
                new String[] {"hdf5 in place (ArrayMorph)", "hdf5 download + jhdf"},
                new Timing.Op[] {inPlace, downloadThenJhdf});
    double ratio = s.get(1).median() / s.get(0).median();
    ctx.report()
        .summary(
            "4. HDF5 1% square: download+jhdf time / ArrayMorph in place",
            f(ratio, 1)
                + "x ("
                + f(s.get(1).median(), 3)
                + " vs "
                + f(s.get(0).median(), 3)
                + " s)",
            "> 1 (info)",
            null);
    report.text(
        "`values`: 8192 x 8192 float32, 512 x 512 chunks, no filters, written by h5py "
            + "(libhdf5) into a "
            + fileBytes
            + "-byte file uploaded to S3Proxy. In place: `ArrayStore.open(\"s3://.../field.h5\")`"
            + " (metadata through jhdf over a block-cached range channel) then"
            + " `read(1% square)`; the timing includes opening. Download: one GET of the whole"
            + " object to local disk, then jhdf `getData(offset, shape)`.");
    report
        .table(
            "method",
            "median s",
            "reps",
            "requests on wire",
            "bytes received",
            "time ratio (download / in place)")
        .row(
            "ArrayMorph in place",
            f(s.get(0).median(), 3),
            s.get(0).count(),
            inPlaceWire.requests(),
            inPlaceWire.bytesDown(),
            "")
        .row(
            "download + jhdf",
            f(s.get(1).median(), 3),
            s.get(1).count(),
            "1 GET (file)",
            ">= " + fileBytes,
            f(ratio, 2))
        .done();
  }

  private static void check(float[] square) {
    int n = CoreBench.SQUARE;
    long s0 = CoreBench.SQUARE_START;
    int[][] probes = {{0, 0}, {n - 1, n - 1}, {n / 2, 7}};
    for (int[] pr : probes) {
      float want = BenchData.value(s0 + pr[0], s0 + pr[1]);
      float got = square[pr[0] * n + pr[1]];
      if (got != want) {
        throw new IllegalStateException("HDF5 value " + got + " != " + want);
      }
    }
  }
}
