package io.arraymorph.bench;

import io.arraymorph.codec.BloscFrame;
import io.arraymorph.codec.GzipCodec;
import io.arraymorph.codec.ZstdCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Decode throughput of one 4 MiB float32 chunk (1,048,576 values of a smooth field with noise) per
 * codec, single-threaded, in MiB of decoded data per second (median of the timed repetitions):
 * Blosc frames written by numcodecs (lz4 + byte shuffle, zarr-python 2's default; zstd + bit
 * shuffle), next to the Zarr v3 codecs zstd and gzip of the same chunk. No I/O.
 *
 * <p>Usage: {@code FilterDecodeBench [reps] [warmups]} (needs Debian's /usr/bin/python3 with
 * numcodecs to write the Blosc frames).
 */
public final class FilterDecodeBench {
  private static final int VALUES = 1 << 20;

  private FilterDecodeBench() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 21;
    int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path dir = Files.createTempDirectory("blosc-bench");
    byte[] raw = chunk();
    Files.write(dir.resolve("raw.bin"), raw);
    writeFrames(dir);
    int max = raw.length;
    List<String[]> rows = new ArrayList<>();
    for (String name : new String[] {"blosc_lz4_shuffle", "blosc_zstd_bitshuffle"}) {
      byte[] frame = Files.readAllBytes(dir.resolve(name + ".blosc"));
      rows.add(measure(name, frame, raw, () -> BloscFrame.decode(frame, max), reps, warmups));
    }
    ZstdCodec zstd = new ZstdCodec(3, false);
    byte[] z = zstd.encode(raw);
    rows.add(measure("zstd (Zarr v3, level 3)", z, raw, () -> zstd.decode(z, max), reps, warmups));
    GzipCodec gzip = new GzipCodec(5);
    byte[] g = gzip.encode(raw);
    rows.add(measure("gzip (Zarr v3, level 5)", g, raw, () -> gzip.decode(g, max), reps, warmups));
    System.out.println("| codec | stored bytes | ratio | median decode ms | MiB/s |");
    System.out.println("|---|---|---|---|---|");
    for (String[] r : rows) {
      System.out.println("| " + String.join(" | ", r) + " |");
    }
  }

  private interface Decode {
    byte[] run();
  }

  private static String[] measure(
      String name, byte[] stored, byte[] expected, Decode decode, int reps, int warmups) {
    if (!java.util.Arrays.equals(expected, decode.run())) {
      throw new IllegalStateException(name + " decodes to other values");
    }
    for (int i = 0; i < warmups; i++) {
      decode.run();
    }
    double[] seconds = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t = System.nanoTime();
      decode.run();
      seconds[i] = (System.nanoTime() - t) / 1e9;
    }
    double median = new Timing.Sample(name, seconds).median();
    double mib = expected.length / 1048576.0;
    return new String[] {
      name,
      String.valueOf(stored.length),
      String.format(Locale.ROOT, "%.2f", (double) expected.length / stored.length),
      String.format(Locale.ROOT, "%.2f", median * 1000),
      String.format(Locale.ROOT, "%.0f", mib / median)
    };
  }

  /** A smooth float32 field with noise in its low bits, little-endian. */
  private static byte[] chunk() {
    ByteBuffer b = ByteBuffer.allocate(VALUES * 4).order(ByteOrder.LITTLE_ENDIAN);
    java.util.Random random = new java.util.Random(6);
    for (int i = 0; i < VALUES; i++) {
      b.putFloat((float) (Math.sin(i / 500.0) * 280 + (i % 1024) * 0.01 + random.nextGaussian()));
    }
    return b.array();
  }

  private static void writeFrames(Path dir) throws IOException, InterruptedException {
    String script =
        "import sys, numcodecs\n"
            + "d = sys.argv[1]\n"
            + "raw = open(d + '/raw.bin', 'rb').read()\n"
            + "import numpy as np\n"
            + "a = np.frombuffer(raw, dtype='<f4')\n"
            + "for name, c in [('blosc_lz4_shuffle', numcodecs.Blosc('lz4', 5, 1)),"
            + " ('blosc_zstd_bitshuffle', numcodecs.Blosc('zstd', 5, 2))]:\n"
            + "    open(d + '/' + name + '.blosc', 'wb').write(c.encode(a))\n";
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", script, dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("numcodecs could not write the Blosc frames: " + out);
    }
  }
}
