package io.arraymorph.bench;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * What the server-side copies of a rows-layout overwrite's publication cost (issue 15): the 60
 * staged chunks of 784 KB copied to their final keys on S3Proxy's filesystem backend at several
 * concurrencies, beside PUTs and GETs of the same objects and the staging's bulk delete, as wall
 * time, this JVM's CPU, S3Proxy's CPU and the submitting thread's CPU (what handing the requests to
 * the SDK costs the caller).
 *
 * <p>{@code java ... io.arraymorph.bench.CopyProbe [REPS] [OBJECTS] [BYTES]}: starts its own
 * S3Proxy (filesystem backend in a temporary directory) on 127.0.0.1.
 */
public final class CopyProbe {
  private CopyProbe() {}

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int objects = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 1000 * 28 * 28;
    Path dir = Files.createTempDirectory("copy-probe");
    S3ProxyServer server = S3ProxyServer.startFilesystem(dir);
    server.createBucket("bench");
    try (ArrayStore store =
        ArrayStore.open("s3://bench/probe", StoreSettings.of(server.settings("bench")))) {
      ObjectStore os = store.objectStore();
      byte[] data = new byte[bytes];
      new Random(42).nextBytes(data);
      List<String> staged = new ArrayList<>();
      for (int i = 0; i < objects; i++) {
        staged.add("staged/c/" + i);
      }
      run(objects, 60, k -> os.put(staged.get(k), data));
      Map<String, IntFunction<CompletableFuture<?>>> ops = new LinkedHashMap<>();
      for (int c : new int[] {1, 8, 16, 32, 60}) {
        ops.put(
            "copy x" + objects + " @" + c, k -> os.copy(staged.get(k), "final/c/" + k + "-" + c));
      }
      ops.put("put x" + objects + " @60", k -> os.put("put/c/" + k, data));
      ops.put("get x" + objects + " @60", k -> os.get(staged.get(k)));
      int[] limits = {1, 8, 16, 32, 60, 60, 60};
      Map<String, List<double[]>> samples = new LinkedHashMap<>();
      for (int r = 0; r < reps + 1; r++) {
        int i = 0;
        for (Map.Entry<String, IntFunction<CompletableFuture<?>>> op : ops.entrySet()) {
          SparkQueryProbe.Clock clock = SparkQueryProbe.Clock.start();
          run(objects, limits[i++], op.getValue());
          if (r > 0) { // the first round warms the JIT and the connections
            clock.record(samples, op.getKey());
          }
        }
        List<String> written = new ArrayList<>();
        for (var o : os.list("final/").join()) {
          written.add(o.key());
        }
        for (var o : os.list("put/").join()) {
          written.add(o.key());
        }
        SparkQueryProbe.Clock clock = SparkQueryProbe.Clock.start();
        os.deleteAll(written, 64).join();
        if (r > 0) {
          clock.record(samples, "deleteAll x" + written.size());
        }
      }
      deletes(os, data, objects, reps, samples);
      SparkQueryProbe.print(samples, reps);
    }
    System.exit(0); // S3Proxy, a child process, is stopped by its shutdown hook
  }

  /**
   * A job's staging after its publication ({@code objects} staged chunks at the rows layout's deep
   * keys) deleted as one DeleteObjects, as concurrent batches of 8 keys, and one DELETE per key.
   */
  private static void deletes(
      ObjectStore os, byte[] data, int objects, int reps, Map<String, List<double[]>> samples) {
    List<String> staged = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      staged.add(".arraymorph-staging/job/images/c/" + i + "/0/0");
    }
    Map<String, Runnable> ops = new LinkedHashMap<>();
    ops.put("delete x" + objects + " deep: 1 batch", () -> os.deleteAll(staged, 64).join());
    ops.put(
        "delete x" + objects + " deep: batches of 8",
        () -> {
          List<CompletableFuture<Void>> parts = new ArrayList<>();
          for (int from = 0; from < objects; from += 8) {
            parts.add(os.deleteAll(staged.subList(from, Math.min(objects, from + 8)), 64));
          }
          CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
        });
    ops.put(
        "delete x" + objects + " deep: 1 per key",
        () -> run(objects, 64, k -> os.delete(staged.get(k))));
    for (int r = 0; r < reps + 1; r++) {
      for (Map.Entry<String, Runnable> op : ops.entrySet()) {
        run(objects, 60, k -> os.put(staged.get(k), data));
        SparkQueryProbe.Clock clock = SparkQueryProbe.Clock.start();
        op.getValue().run();
        if (r > 0) {
          clock.record(samples, op.getKey());
        }
      }
    }
  }

  private static void run(int objects, int inFlight, IntFunction<CompletableFuture<?>> op) {
    AsyncLimiter limiter = new AsyncLimiter(inFlight);
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int k = 0; k < objects; k++) {
      int key = k;
      all.add(limiter.submit(() -> op.apply(key).thenApply(x -> null)));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
  }
}
