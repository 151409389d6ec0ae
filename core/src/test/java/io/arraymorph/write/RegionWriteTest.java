package io.arraymorph.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.WriterLock;
import io.arraymorph.zarr.ZarrArrayMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java API's {@code Dataset.write} onto a stored dataset, through the shared protocol. */
class RegionWriteTest {
  @TempDir Path dir;

  private static ArraySpec gzipNan() {
    return ArraySpec.of(DataType.FLOAT64, 6, 6)
        .chunks(4, 4)
        .compression(ArraySpec.Compression.GZIP)
        .fillValue(Double.NaN);
  }

  private static NdArray block(int rows, int cols, double base) {
    double[] v = new double[rows * cols];
    for (int e = 0; e < v.length; e++) {
      v[e] = base + 10 * (e / cols) + e % cols;
    }
    return NdArray.of(v, rows, cols);
  }

  private static ZarrArrayMetadata stored(LocalObjectStore os) {
    return ZarrArrayMetadata.parse(Futures.join(os.get("v/zarr.json")), "v/zarr.json");
  }

  /**
   * A handle opened fresh (knowing nothing but the store) writes a 3x3 block across four chunks of
   * a gzip + NaN-fill dataset: every chunk stays gzip, cells never written stay NaN, cells written
   * before keep their values, and the result is one new published version.
   */
  @Test
  void aPartialWriteOntoAGzipNanDatasetKeepsCodecAndFill() {
    LocalObjectStore os = new LocalObjectStore(dir);
    try (ArrayStore store = ArrayStore.on(os, 4)) {
      store.createDataset("v", gzipNan()).write(new long[] {0, 0}, block(2, 6, 0));
      long before = Publication.generationOf(stored(os));
      Dataset handle = store.dataset("v");
      handle.write(new long[] {1, 2}, block(3, 3, 100));

      double[] got = store.dataset("v").read().toDoubleArray();
      for (int i = 0; i < 6; i++) {
        for (int j = 0; j < 6; j++) {
          double v = got[i * 6 + j];
          String at = "(" + i + "," + j + ")";
          if (i >= 1 && i <= 3 && j >= 2 && j <= 4) {
            assertEquals(100 + 10 * (i - 1) + (j - 2), v, at);
          } else if (i <= 1) {
            assertEquals(10 * i + j, v, at);
          } else {
            assertTrue(Double.isNaN(v), at + " never written must be NaN, is " + v);
          }
        }
      }
      ZarrArrayMetadata after = stored(os);
      assertEquals(List.of("gzip"), after.codecs().compressorNames());
      assertEquals("NaN", String.valueOf(after.fillValueJson()), "fill stays NaN");
      assertEquals(before + 1, Publication.generationOf(after), "one new version");
      for (ObjectInfo o : Futures.join(os.list("v/c/"))) {
        byte[] chunk = Futures.join(os.get(o.key()));
        assertTrue(
            (chunk[0] & 0xff) == 0x1f && (chunk[1] & 0xff) == 0x8b, o.key() + " is gzip data");
      }
      assertEquals(
          List.of(),
          Futures.join(os.list("")).stream()
              .map(ObjectInfo::key)
              .filter(k -> k.startsWith(".arraymorph"))
              .toList(),
          "no lock or staging left");
      // The handle that wrote follows its own publication: it reads without a version error.
      assertEquals(100.0, handle.read(new long[] {1, 2}, new long[] {1, 1}).toDoubleArray()[0]);
    }
  }

  @Test
  void aWriteWhileAnotherJobHoldsTheLockIsRefusedNamingItAndWritesNothing() {
    LocalObjectStore os = new LocalObjectStore(dir);
    try (ArrayStore store = ArrayStore.on(os, 4)) {
      Dataset ds = store.createDataset("v", gzipNan());
      ds.write(new long[] {0, 0}, block(2, 6, 0));
      byte[] metadata = Futures.join(os.get("v/zarr.json"));
      try (WriterLock held = WriterLock.acquire(os, "v", "spark-job-42", Duration.ofMinutes(5))) {
        ConcurrentWriteException e =
            assertThrows(
                ConcurrentWriteException.class, () -> ds.write(new long[] {4, 4}, block(2, 2, 7)));
        assertTrue(e.getMessage().contains("is being written by job spark-job-42"), e.getMessage());
        held.verifyHeld();
      }
      assertEquals(
          new String(metadata, StandardCharsets.UTF_8),
          new String(Futures.join(os.get("v/zarr.json")), StandardCharsets.UTF_8));
      assertTrue(Double.isNaN(store.dataset("v").read().toDoubleArray()[35]));
    }
  }

  /** A store whose puts of staged chunks fail, as a full disk or a dropped connection would. */
  private static ObjectStore failingStagedPuts(ObjectStore os) {
    return (ObjectStore)
        Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("put")
                  && ((String) args[0]).startsWith(DatasetWrite.STAGING_ROOT + "/")) {
                return CompletableFuture.failedFuture(
                    new UncheckedIOException(new IOException("disk full at " + args[0])));
              }
              try {
                return method.invoke(os, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void aWriteThatFailsWhileStagingLeavesThePreviousVersionAndNoStagingOrLock() {
    byte[] metadata;
    try (ArrayStore store = ArrayStore.on(new LocalObjectStore(dir), 4)) {
      store.createDataset("v", gzipNan()).write(new long[] {0, 0}, block(2, 6, 0));
      metadata = Futures.join(store.objectStore().get("v/zarr.json"));
    }
    try (ArrayStore failing = ArrayStore.on(failingStagedPuts(new LocalObjectStore(dir)), 4)) {
      Dataset ds = failing.dataset("v");
      RuntimeException e =
          assertThrows(RuntimeException.class, () -> ds.write(new long[] {1, 2}, block(3, 3, 9)));
      assertTrue(String.valueOf(e).contains("disk full"), String.valueOf(e));
    }
    try (LocalObjectStore local = new LocalObjectStore(dir)) {
      assertEquals(
          new String(metadata, StandardCharsets.UTF_8),
          new String(Futures.join(local.get("v/zarr.json")), StandardCharsets.UTF_8));
      assertEquals(
          List.of(),
          Futures.join(local.list("")).stream()
              .map(ObjectInfo::key)
              .filter(k -> k.startsWith(".arraymorph"))
              .toList(),
          "no lock or staging left");
    }
    try (ArrayStore store = ArrayStore.on(new LocalObjectStore(dir), 4)) {
      double[] got = store.dataset("v").read().toDoubleArray();
      assertEquals(14.0, got[10], "row 1 as written before");
      assertTrue(Double.isNaN(got[14]), "row 2 never written");
      // The lock was released: the next write runs.
      store.dataset("v").write(new long[] {2, 2}, block(1, 1, 5));
      assertEquals(5.0, store.dataset("v").read().toDoubleArray()[14]);
    }
  }

  @Test
  void aWritePastTheShapeOrOfAnotherTypeIsRefusedBeforeLocking() {
    LocalObjectStore os = new LocalObjectStore(dir);
    try (ArrayStore store = ArrayStore.on(os, 4)) {
      Dataset ds = store.createDataset("v", gzipNan());
      assertThrows(
          IndexOutOfBoundsException.class, () -> ds.write(new long[] {5, 0}, block(2, 2, 0)));
      assertThrows(
          IllegalArgumentException.class,
          () -> ds.write(new long[] {0, 0}, NdArray.of(new int[] {1, 2}, 1, 2)));
      assertEquals(
          List.of(),
          Futures.join(os.list("")).stream()
              .map(ObjectInfo::key)
              .filter(k -> k.startsWith(".arraymorph") || k.startsWith("v/c/"))
              .toList());
    }
  }

  /**
   * What the protocol costs a small in-place write on the local store, counted by the store; the
   * figures in docs/format.md come from this test's output.
   */
  @Test
  void aSmallInPlaceWriteCostsAFixedNumberOfRequests() {
    CountingObjectStore os = new CountingObjectStore(new LocalObjectStore(dir));
    try (ArrayStore store = ArrayStore.on(os, 4)) {
      Dataset ds = store.createDataset("v", gzipNan());
      ds.write(new long[] {0, 0}, block(2, 6, 0));
      int rounds = 50;
      os.stats().reset();
      long start = System.nanoTime();
      for (int r = 0; r < rounds; r++) {
        ds.write(new long[] {1, 1}, block(1, 1, r));
      }
      double ms = (System.nanoTime() - start) / 1e6 / rounds;
      long requests = os.stats().requests() / rounds;
      System.out.printf(
          "in-place 1-cell write, local store: %d requests, %.2f ms each (%s)%n",
          requests, ms, os.stats());
      // inspect 4 + lock (put-if-absent, check 1, release 2) + staged put and base get
      // + journal put + publishing put + copy + stable put + staging list and 2 deletes (chunk,
      // journal): pinned so a change is seen.
      assertTrue(requests <= 18, "requests per in-place write: " + requests);
      assertEquals(49.0, ds.read(new long[] {1, 1}, new long[] {1, 1}).toDoubleArray()[0]);
    }
  }
}
