package io.arraymorph.bench;

import com.fulcrumgenomics.jlibdeflate.LibdeflateDecompressor;
import io.arraymorph.codec.ZlibDecoder;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The floor under the manifest point series: how long the decoders alone take on the same stored
 * chunks, no Spark. {@code InflateFloorProbe <chunk list> <threads> <reps> <element index>}, where
 * the list has one line per chunk, {@code <file> <offset> <length> <filter mask>} (h5py's {@code
 * get_chunk_info}), e.g. for the benchmark's collection, {@code tas}'s 16,000 shuffled zlib fields
 * of 16,200 float32, the point (lat 45, lon 1) being element 4050.
 *
 * <p>Every chunk's stored bytes are first read into memory; then, on {@code threads} threads, each
 * way of decoding runs over all chunks {@code reps} times, printing the best wall time and the
 * process CPU of that pass: libdeflate into a reused buffer (arrays, and direct buffers), the
 * project's {@link ZlibDecoder#inflatePart} for the one element, the JDK's {@link Inflater} whole,
 * and the JDK's inflater stopped after the element's last shuffled byte (no Adler-32 check, so not
 * a reading the product may do: it shows what skipping the tail would save). Last, reading the
 * chunks from their files (one open a granule, one positional read a chunk, as the local store
 * does) into a heap array, as the local store does, or into a direct buffer, then libdeflate.
 * Threads take 8 chunks (a granule's) at a time.
 */
public final class InflateFloorProbe {
  private static final int FIELD = 90 * 180 * 4;

  private InflateFloorProbe() {}

  private record Ref(String file, long offset, int length) {}

  /** One way of decoding chunk {@code i}, returning a value that depends on its output. */
  private interface Decode {
    int run(int i, Scratch s) throws Exception;
  }

  /** Per thread buffers, reused across chunks. */
  private static final class Scratch {
    final byte[] out = new byte[FIELD + 1];
    final ByteBuffer directIn = ByteBuffer.allocateDirect(1 << 20);
    final ByteBuffer directOut = ByteBuffer.allocateDirect(FIELD + 1);
    final byte[] read = new byte[1 << 20];
    final LibdeflateDecompressor libdeflate = new LibdeflateDecompressor();
    final Inflater inflater = new Inflater();
    String file;
    FileChannel channel;

    /** The open file, reopened only when the chunk is in another granule than the last one. */
    FileChannel channel(String name) throws IOException {
      if (!name.equals(file)) {
        if (channel != null) {
          channel.close();
        }
        channel = FileChannel.open(Path.of(name), StandardOpenOption.READ);
        file = name;
      }
      return channel;
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long offset) throws IOException {
    long at = offset;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, at);
      if (n < 0) {
        throw new IOException("short read");
      }
      at += n;
    }
  }

  public static void main(String[] args) throws Exception {
    List<Ref> refs = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      String[] f = line.trim().split(" ", -1);
      refs.add(new Ref(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2])));
    }
    int threads = Integer.parseInt(args[1]);
    int reps = Integer.parseInt(args[2]);
    int element = Integer.parseInt(args[3]);
    int elements = FIELD / 4;
    int lastNeeded = 3 * elements + element + 1;
    byte[][] stored = new byte[refs.size()][];
    long storedBytes = 0;
    for (int i = 0; i < refs.size(); i++) {
      Ref r = refs.get(i);
      try (RandomAccessFile f = new RandomAccessFile(r.file(), "r")) {
        stored[i] = new byte[r.length()];
        f.seek(r.offset());
        f.readFully(stored[i]);
      }
      storedBytes += r.length();
    }
    System.out.printf(
        Locale.ROOT,
        "%d chunks, %.1f MB stored, %.1f MB decoded, %d threads, libdeflate loads: %s%n",
        refs.size(),
        storedBytes / 1e6,
        (double) refs.size() * FIELD / 1e6,
        threads,
        ZlibDecoder.usesLibdeflate());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Passes passes =
        new Passes(pool, threads, reps, refs.size(), ThreadLocal.withInitial(Scratch::new));
    try {
      passes.time(
          "libdeflate, arrays, whole",
          (i, s) ->
              s.libdeflate
                  .zlibDecompressEx(stored[i], 0, stored[i].length, s.out, 0, s.out.length)
                  .outputBytesProduced());
      passes.time(
          "libdeflate, direct buffers, whole",
          (i, s) -> {
            s.directIn.clear();
            s.directIn.put(stored[i]).flip();
            s.directOut.clear();
            return s.libdeflate.zlibDecompressEx(s.directIn, s.directOut).outputBytesProduced();
          });
      passes.time(
          "ZlibDecoder.inflatePart, one element",
          (i, s) ->
              ZlibDecoder.inflatePart(
                  stored[i], stored[i].length, FIELD, FIELD, 4, 4 * element, 4 * element + 4)[0]);
      passes.time("JDK Inflater, whole", (i, s) -> inflate(s.inflater, stored[i], s.out, FIELD));
      passes.time(
          "JDK Inflater, stopped after byte " + lastNeeded + " (no checksum)",
          (i, s) -> inflate(s.inflater, stored[i], s.out, lastNeeded));
      passes.time(
          "pread (heap array, one open a granule) + libdeflate",
          (i, s) -> {
            Ref r = refs.get(i);
            ByteBuffer in = ByteBuffer.wrap(s.read, 0, r.length());
            readFully(s.channel(r.file()), in, r.offset());
            return s.libdeflate
                .zlibDecompressEx(s.read, 0, r.length(), s.out, 0, s.out.length)
                .outputBytesProduced();
          });
      passes.time(
          "pread (direct buffer, one open a granule) + libdeflate",
          (i, s) -> {
            Ref r = refs.get(i);
            s.directIn.clear().limit(r.length());
            readFully(s.channel(r.file()), s.directIn, r.offset());
            s.directIn.flip();
            s.directOut.clear();
            return s.libdeflate.zlibDecompressEx(s.directIn, s.directOut).outputBytesProduced();
          });
    } finally {
      pool.shutdown();
    }
  }

  private static int inflate(Inflater inflater, byte[] in, byte[] out, int upTo)
      throws DataFormatException {
    inflater.reset();
    inflater.setInput(in);
    int n = 0;
    while (n < upTo && !inflater.finished()) {
      int got = inflater.inflate(out, n, upTo - n);
      if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
        throw new DataFormatException("stalled");
      }
      n += got;
    }
    return n;
  }

  /** Timed passes over every chunk on {@code threads} threads of {@code pool}. */
  private record Passes(
      ExecutorService pool, int threads, int reps, int chunks, ThreadLocal<Scratch> scratch) {
    /** Runs {@code reps} + 1 passes of {@code decode} and prints the best after the first. */
    void time(String name, Decode decode) throws Exception {
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      double bestWall = Double.MAX_VALUE;
      double cpuOfBest = 0;
      long check = 0;
      for (int rep = 0; rep <= reps; rep++) {
        AtomicInteger next = new AtomicInteger();
        long cpu = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        List<Future<Long>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          parts.add(
              pool.submit(
                  () -> {
                    Scratch s = scratch.get();
                    long sum = 0;
                    // Runs of 8 chunks (one granule's) per hand-out, as a scan reads a granule's
                    // chunks.
                    for (int r = next.getAndAdd(8); r < chunks; r = next.getAndAdd(8)) {
                      for (int i = r; i < Math.min(chunks, r + 8); i++) {
                        sum += decode.run(i, s);
                      }
                    }
                    return sum;
                  }));
        }
        check = 0;
        for (Future<Long> f : parts) {
          check += f.get();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double used = (os.getProcessCpuTime() - cpu) / 1e9;
        if (rep > 0 && wall < bestWall) {
          bestWall = wall;
          cpuOfBest = used;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%-60s best wall %.3f s, process CPU %.3f s (%.1f us CPU a chunk), check %d%n",
          name,
          bestWall,
          cpuOfBest,
          cpuOfBest / chunks * 1e6,
          check);
    }
  }
}
