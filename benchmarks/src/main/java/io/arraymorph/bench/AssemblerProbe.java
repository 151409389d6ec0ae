package io.arraymorph.bench;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.store.memory.MemoryObjectStore;
import io.arraymorph.write.ChunkAssembler;
import io.arraymorph.write.DatasetWrite;
import io.arraymorph.write.Fragment;
import io.arraymorph.write.WriteMode;
import io.arraymorph.write.WriteRequest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The CPU time of core's order-free write path alone (no Spark, memory store) for the benchmark's
 * random-order write: 8192 x 8192 float32 in 512 x 512 chunks, each task given the rows that {@code
 * repartition(16)} deals it (from each 512-row band of the ordered input, a sixteenth of its
 * elements in random order), within the default 128 MiB budget.
 *
 * <p>{@code java ... io.arraymorph.bench.AssemblerProbe [TASKS] [REPS]}: prints, per repetition,
 * the calling thread's CPU time giving the elements and finishing the tasks, and the bytes of
 * fragments the tasks staged.
 */
public final class AssemblerProbe {
  private AssemblerProbe() {}

  public static void main(String[] args) {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int n = BenchData.N;
    int c = BenchData.CHUNK;
    int band = c * n;
    // One random order of a band's elements; task t takes every 16th from position t.
    int[] order = new int[band];
    for (int k = 0; k < band; k++) {
      order[k] = k;
    }
    Random r = new Random(42);
    for (int k = band - 1; k > 0; k--) {
      int x = r.nextInt(k + 1);
      int t = order[k];
      order[k] = order[x];
      order[x] = t;
    }
    long[] idx = new long[2];
    for (int rep = 0; rep < reps; rep++) {
      MemoryObjectStore os = new MemoryObjectStore();
      ArrayStore store = ArrayStore.on(os, 16);
      WriteRequest req =
          new WriteRequest(
              "value",
              WriteMode.CREATE,
              2,
              DataType.FLOAT32,
              ArraySpec.Compression.NONE,
              -1,
              Double.NaN,
              new int[] {c, c},
              new long[] {n, n},
              List.of("i", "j"),
              null);
      DatasetWrite w = DatasetWrite.plan(store, "probe", req);
      w.lock(os, Duration.ofMinutes(5));
      long give = 0;
      long finish = 0;
      long fragmentBytes = 0;
      for (int t = 0; t < tasks; t++) {
        ChunkAssembler a = new ChunkAssembler(w, os, 128L << 20, 16);
        long t0 = cpu();
        for (int b = 0; b < n / c; b++) {
          for (int k = t; k < band; k += 16) {
            int e = order[k];
            idx[0] = (long) b * c + e / n;
            idx[1] = e % n;
            a.setDouble(idx, idx[0] * 0.5 + idx[1]);
          }
        }
        long t1 = cpu();
        for (Fragment f : a.finish().fragments()) {
          fragmentBytes += f.bytes();
        }
        give += t1 - t0;
        finish += cpu() - t1;
      }
      w.release();
      System.out.printf(
          "rep %d: %d tasks, giving elements %.0f ms CPU, finishing (fragments) %.0f ms CPU,"
              + " %d bytes of fragments staged%n",
          rep, tasks, give / 1e6, finish / 1e6, fragmentBytes);
    }
  }

  private static long cpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }
}
