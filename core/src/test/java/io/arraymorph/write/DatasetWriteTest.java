package io.arraymorph.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import io.arraymorph.testing.PythonFixtures;
import io.arraymorph.zarr.WriterLock;
import io.arraymorph.zarr.ZarrDataset;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Core's dataset write without Spark, on the memory store. */
class DatasetWriteTest {
  private static final Duration LEASE = Duration.ofMinutes(1);

  private final MemoryObjectStore os = new MemoryObjectStore();
  private final ArrayStore store = ArrayStore.on(os, 4);

  /** A 6x6 float64 dataset in 4x4 chunks, gzip, NaN fill; rows 0-1 hold {@code 10 * i + j}. */
  private Dataset existing(ArraySpec extra) {
    Dataset ds = store.createDataset("v", extra);
    double[] rows = new double[12];
    for (int e = 0; e < 12; e++) {
      rows[e] = 10 * (e / 6) + e % 6;
    }
    ds.write(new long[] {0, 0}, NdArray.of(rows, 2, 6));
    return ds;
  }

  private static ArraySpec gzipNan() {
    return ArraySpec.of(DataType.FLOAT64, 6, 6)
        .chunks(4, 4)
        .compression(ArraySpec.Compression.GZIP)
        .fillValue(Double.NaN);
  }

  /** An overwrite of "v" as float64 in 2x2 zstd chunks with fill 0. */
  private static WriteRequest overwriteInZstd2x2() {
    return new WriteRequest(
        "v",
        WriteMode.OVERWRITE,
        2,
        DataType.FLOAT64,
        ArraySpec.Compression.ZSTD,
        -1,
        0,
        new int[] {2, 2},
        null,
        null,
        null);
  }

  private static WriteRequest append(String path) {
    return new WriteRequest(
        path, WriteMode.APPEND, 2, null, null, -1, null, null, null, null, null);
  }

  private Map<String, String> snapshot() {
    Map<String, String> out = new TreeMap<>();
    for (ObjectInfo o : Futures.join(os.list(""))) {
      out.put(o.key(), Arrays.toString(Futures.join(os.get(o.key()))));
    }
    return out;
  }

  /** Writes {@code value} at the given cells of chunk {@code coords} in one task and publishes. */
  private void appendCells(DatasetWrite w, long[] coords, int[] flats, double value) {
    w.lock(os, LEASE);
    TaskWriter task = w.openTask(os, 4);
    ChunkBuffer b = task.buffer(coords);
    for (int f : flats) {
      b.setDouble(f, value);
    }
    task.write(b);
    task.finish();
    w.publish(store, List.of(coords), maxIndex(w, coords, flats));
    DatasetWrite.cleanStaging(os, "job");
    w.release();
  }

  private static long[] maxIndex(DatasetWrite w, long[] coords, int[] flats) {
    int[] c = w.chunkShape();
    long[] max = {-1, -1};
    for (int f : flats) {
      max[0] = Math.max(max[0], coords[0] * c[0] + f / c[1]);
      max[1] = Math.max(max[1], coords[1] * c[1] + f % c[1]);
    }
    return max;
  }

  @Test
  void anAppendTakesCodecFillAndKeyEncodingFromTheStoredMetadata() {
    existing(gzipNan().chunkKeyEncoding("v2", "."));
    DatasetWrite w = DatasetWrite.plan(store, "job", append("v"));
    assertEquals(WriteMode.APPEND, w.mode());
    // Cell (5, 5) is element 1 * 4 + 1 of chunk (1, 1).
    appendCells(w, new long[] {1, 1}, new int[] {5}, 7.5);

    Dataset back = store.dataset("v");
    double[] values = back.read().toDoubleArray();
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        double want = i < 2 ? 10 * i + j : (i == 5 && j == 5 ? 7.5 : Double.NaN);
        assertEquals(want, values[i * 6 + j], 0.0, "cell " + i + "," + j);
      }
    }
    assertTrue(back.codecDescription().contains("gzip"), back.codecDescription());
    assertTrue(Futures.join(os.head("v/1.1")).isPresent(), snapshot().keySet().toString());
    assertTrue(snapshot().keySet().stream().noneMatch(k -> k.startsWith("v/c")));
    assertTrue(snapshot().keySet().stream().noneMatch(k -> k.startsWith(".arraymorph")));
  }

  @Test
  void anAppendPastTheEdgeGrowsTheShapeAndFillsTheOldPadding() {
    ZarrDataset ds = (ZarrDataset) existing(gzipNan());
    // Chunk (1, 1) covers rows/cols 4-7 of a 6x6 array; its padding holds 99 (another writer's).
    double[] chunk = new double[16];
    Arrays.fill(chunk, 99);
    chunk[0] = 1; // cell (4, 4)
    Futures.join(ds.writeChunk(new long[] {1, 1}, NdArray.of(chunk, 4, 4).bytes()));

    DatasetWrite w = DatasetWrite.plan(store, "job", append("v"));
    // Cell (7, 7) is element 15 of chunk (1, 1): the shape grows to 8x8.
    appendCells(w, new long[] {1, 1}, new int[] {15}, 2);

    Dataset back = store.dataset("v");
    assertArrayEquals(new long[] {8, 8}, back.shape());
    double[] values = back.read(new long[] {4, 4}, new long[] {4, 4}).toDoubleArray();
    double[] want = new double[16];
    Arrays.fill(want, Double.NaN);
    // Inside the old 6x6 edge: stored values; past it: the fill value, not the old padding.
    want[0] = 1;
    want[1] = 99;
    want[4] = 99;
    want[5] = 99;
    want[15] = 2;
    assertArrayEquals(want, values, 0.0);
  }

  @Test
  void optionsContradictingTheStoredMetadataAreRefusedBeforeAnythingIsWritten() {
    existing(gzipNan());
    Map<String, String> before = snapshot();
    WriteRequest[] bad = {
      new WriteRequest(
          "v",
          WriteMode.APPEND,
          2,
          null,
          ArraySpec.Compression.ZSTD,
          -1,
          null,
          null,
          null,
          null,
          null),
      new WriteRequest("v", WriteMode.APPEND, 2, null, null, -1, 0, null, null, null, null),
      new WriteRequest(
          "v", WriteMode.APPEND, 2, DataType.INT32, null, -1, null, null, null, null, null),
      new WriteRequest(
          "v", WriteMode.APPEND, 2, null, null, -1, null, new int[] {3, 3}, null, null, null),
      new WriteRequest("v", WriteMode.APPEND, 1, null, null, -1, null, null, null, null, null),
    };
    String[] named = {"'codec'", "'fill_value'", "'dtype'", "'chunks'", "rank"};
    for (int k = 0; k < bad.length; k++) {
      WriteRequest r = bad[k];
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> DatasetWrite.plan(store, "job", r));
      assertTrue(e.getMessage().contains(named[k]), e.getMessage());
      assertEquals(before, snapshot());
    }
    // Values equal to the stored ones are accepted.
    DatasetWrite.plan(
        store,
        "job",
        new WriteRequest(
            "v",
            WriteMode.APPEND,
            2,
            DataType.FLOAT64,
            ArraySpec.Compression.GZIP,
            -1,
            Double.NaN,
            new int[] {4, 4},
            null,
            null,
            null));
  }

  @Test
  void anAbortedAppendLeavesThePreviousVersionAndNoStaging() {
    existing(gzipNan());
    Map<String, String> before = snapshot();
    DatasetWrite w = DatasetWrite.plan(store, "job", append("v"));
    w.lock(os, LEASE);
    TaskWriter task = w.openTask(os, 4);
    ChunkBuffer b = task.buffer(new long[] {0, 0});
    b.setDouble(0, 123);
    task.write(b);
    task.finish();
    w.abort(os);
    DatasetWrite.cleanStaging(os, "job");
    w.release();
    assertEquals(before, snapshot());
  }

  @Test
  void aLockLostBeforePublishingPublishesNothingAndLeavesNoJournalAfterTheAbort() {
    existing(gzipNan());
    Map<String, String> before = snapshot();
    DatasetWrite w = DatasetWrite.plan(store, "job", append("v"));
    w.lock(os, LEASE);
    TaskWriter task = w.openTask(os, 4);
    ChunkBuffer b = task.buffer(new long[] {0, 0});
    b.setDouble(0, 123);
    task.write(b);
    task.finish();
    // Deleted by hand: the lock check at publication runs while the journal is being written.
    Futures.join(os.delete(WriterLock.keyOf("v")));
    assertThrows(
        ConcurrentWriteException.class,
        () -> w.publish(store, List.of(new long[] {0, 0}), new long[] {0, 0}));
    DatasetWrite.abortJob(os, List.of(w), "job");
    w.release();
    assertEquals(before, snapshot());
    assertEquals(
        0.0, store.dataset("v").read(new long[] {0, 0}, new long[] {1, 1}).toDoubleArray()[0]);
  }

  /**
   * The failures a job's work may end with: unchecked, an Error, a checked one thrown undeclared.
   */
  private static List<Throwable> failures() {
    return List.of(
        new IllegalStateException("task failed"),
        new OutOfMemoryError("task ran out of memory"),
        new IOException("Spark rethrows a job's checked exception undeclared"));
  }

  /** Work that writes a chunk, then fails with {@code failure} before the job can publish. */
  private DatasetWrite.Work writeOneChunkThenFail(Throwable failure) {
    return w -> {
      writeOneChunk().run(w);
      throw DatasetWriteTest.<RuntimeException>sneaky(failure);
    };
  }

  /** Throws any throwable undeclared, as Spark rethrows a failed job's checked exception. */
  @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"})
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  @ParameterizedTest
  @MethodSource("failures")
  void aFailedRunLeavesThePreviousVersionReadableAndNoStagingOrLock(Throwable failure) {
    existing(gzipNan());
    Map<String, String> before = snapshot();
    DatasetWrite w = DatasetWrite.plan(store, "job", append("v"));
    Throwable thrown =
        assertThrows(Throwable.class, () -> w.run(store, LEASE, writeOneChunkThenFail(failure)));
    assertSame(failure, thrown, "the work's own failure reaches the caller");
    assertEquals(before, snapshot(), "previous version, no staging, no lock");
    assertEquals(12.0, store.dataset("v").read().toDoubleArray()[8]);
    // The lock was released: the next write runs.
    DatasetWrite again = DatasetWrite.plan(store, "job2", append("v"));
    again.run(store, LEASE, writeOneChunk());
    assertEquals(123.0, store.dataset("v").read().toDoubleArray()[0]);
  }

  @ParameterizedTest
  @MethodSource("failures")
  void aFailedRunOfANewDatasetLeavesNothing(Throwable failure) {
    Map<String, String> before = snapshot();
    WriteRequest create =
        new WriteRequest(
            "n",
            WriteMode.CREATE,
            2,
            DataType.FLOAT64,
            null,
            -1,
            null,
            new int[] {4, 4},
            new long[] {6, 6},
            null,
            null);
    DatasetWrite w = DatasetWrite.plan(store, "job", create);
    Throwable thrown =
        assertThrows(Throwable.class, () -> w.run(store, LEASE, writeOneChunkThenFail(failure)));
    assertSame(failure, thrown);
    assertEquals(before, snapshot(), "no chunk, no metadata, no lock of the new dataset");
  }

  /** Writes 123 at the first cell of chunk (0, 0). */
  private DatasetWrite.Work writeOneChunk() {
    return w -> {
      TaskWriter task = w.openTask(os, 4);
      ChunkBuffer b = task.buffer(new long[] {0, 0});
      b.setDouble(0, 123);
      task.write(b);
      task.finish();
      return new DatasetWrite.Written(task.writtenChunks(), new long[] {0, 0});
    };
  }

  @Test
  void aRetriedTaskOverwritesItsOwnChunksAndTheResultIsOneVersion() {
    existing(gzipNan());
    DatasetWrite w = DatasetWrite.plan(store, "job", append("v"));
    w.lock(os, LEASE);
    for (double attempt : new double[] {1, 2}) {
      TaskWriter task = w.openTask(os, 4);
      ChunkBuffer b = task.buffer(new long[] {0, 0});
      b.setDouble(15, attempt);
      task.write(b);
      task.finish();
    }
    w.publish(store, List.of(new long[] {0, 0}), new long[] {3, 3});
    DatasetWrite.cleanStaging(os, "job");
    w.release();
    assertEquals(
        2.0, store.dataset("v").read(new long[] {3, 3}, new long[] {1, 1}).toDoubleArray()[0]);
    assertEquals(
        1.0, store.dataset("v").read(new long[] {0, 1}, new long[] {1, 1}).toDoubleArray()[0]);
  }

  @Test
  void aDatasetRepublishedAfterPlanningIsNotLockedAndNothingIsWritten() {
    existing(gzipNan());
    DatasetWrite first = DatasetWrite.plan(store, "first", append("v"));
    DatasetWrite second = DatasetWrite.plan(store, "second", append("v"));
    appendCellsAs(first);
    Map<String, String> before = snapshot();
    assertThrows(ConcurrentWriteException.class, () -> second.lock(os, LEASE));
    assertEquals(before, snapshot());
  }

  private void appendCellsAs(DatasetWrite w) {
    w.lock(os, LEASE);
    TaskWriter task = w.openTask(os, 4);
    ChunkBuffer b = task.buffer(new long[] {0, 0});
    b.setDouble(0, 5);
    task.write(b);
    task.finish();
    w.publish(store, List.of(new long[] {0, 0}), new long[] {0, 0});
    DatasetWrite.cleanStaging(os, "first");
    w.release();
  }

  @Test
  void anOverwriteRemovesTheChunksOfTheOldKeyEncoding() {
    existing(gzipNan().chunkKeyEncoding("v2", "."));
    DatasetWrite w = DatasetWrite.plan(store, "job", overwriteInZstd2x2());
    w.lock(os, LEASE);
    TaskWriter task = w.openTask(os, 4);
    ChunkBuffer b = task.buffer(new long[] {0, 0});
    b.setDouble(3, 4);
    task.write(b);
    task.finish();
    w.publish(store, List.of(new long[] {0, 0}), new long[] {1, 1});
    DatasetWrite.cleanStaging(os, "job");
    w.release();
    assertEquals(List.of("v/c/0/0", "v/zarr.json", "zarr.json"), List.copyOf(snapshot().keySet()));
    assertArrayEquals(new double[] {0, 0, 0, 4}, store.dataset("v").read().toDoubleArray(), 0.0);
  }

  /**
   * An overwrite lists the dataset while its copies run, after the publishing mark (nothing before
   * the mark but the lock check and the journal), and deletes the stale chunks only once every copy
   * is done, so on the local store no delete empties a folder a copy is writing into.
   */
  @Test
  void anOverwriteListsTheDatasetAfterItsMarkAndDeletesStaleChunksAfterEveryCopy(
      @TempDir Path dir) {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    ObjectStore local = recording(new LocalObjectStore(dir), events);
    ArrayStore onLocal = ArrayStore.on(local, 4);
    Dataset old = onLocal.createDataset("v", ArraySpec.of(DataType.FLOAT64, 6, 6).chunks(2, 2));
    double[] ones = new double[36];
    Arrays.fill(ones, 1);
    old.write(new long[] {0, 0}, NdArray.of(ones, 6, 6));
    DatasetWrite w = DatasetWrite.plan(onLocal, "job", overwriteInZstd2x2());
    w.lock(local, LEASE);
    TaskWriter task = w.openTask(local, 4);
    List<long[]> written = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ChunkBuffer b = task.buffer(new long[] {i, 0});
      for (int e = 0; e < 4; e++) {
        b.setDouble(e, 10 * i + e + 1);
      }
      task.write(b);
      written.add(new long[] {i, 0});
    }
    task.finish();
    events.clear();
    w.publish(onLocal, written, new long[] {5, 1});
    DatasetWrite.finishJob(local, List.of(w), "job");

    int mark = events.indexOf("put v/zarr.json");
    int stable = events.lastIndexOf("put v/zarr.json");
    assertTrue(mark > 0 && stable > mark, "the publishing mark, then the stable one: " + events);
    assertTrue(events.indexOf("list v/") < mark, "listing started before the mark: " + events);
    int stagingListed = events.indexOf("list .arraymorph-staging/job/");
    assertTrue(
        stagingListed > events.indexOf("put .arraymorph-staging/job/.publications/v.json")
            && stagingListed < stable
            && stagingListed == events.lastIndexOf("list .arraymorph-staging/job/"),
        "the staging listed once, after its journal, during the publication: " + events);
    int lastCopy = -1;
    for (int k = 0; k < events.size(); k++) {
      if (events.get(k).startsWith("copied ")) {
        lastCopy = k;
      }
    }
    int staleDeletes =
        events.indexOf("deleteAll [v/c/0/1, v/c/0/2, v/c/1/1, v/c/1/2, v/c/2/1, v/c/2/2]");
    assertTrue(staleDeletes > lastCopy, "stale chunks deleted after every copy: " + events);
    assertEquals(
        List.of("v/c/0/0", "v/c/1/0", "v/c/2/0", "v/zarr.json", "zarr.json"),
        Futures.join(local.list("")).stream().map(ObjectInfo::key).toList());
    assertArrayEquals(
        new double[] {1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24},
        onLocal.dataset("v").read().toDoubleArray(),
        0.0);
  }

  /**
   * {@code target} recording each request as it is made ("method key"), and each copy as it
   * completes ("copied key").
   */
  static ObjectStore recording(ObjectStore target, List<String> events) {
    return (ObjectStore)
        Proxy.newProxyInstance(
            ObjectStore.class.getClassLoader(),
            new Class<?>[] {ObjectStore.class},
            (proxy, method, args) -> {
              if (args != null && args.length > 0) {
                events.add(method.getName() + " " + args[0]);
              }
              Object result;
              try {
                result = method.invoke(target, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals("copy")) {
                return ((CompletableFuture<?>) result)
                    .thenRun(() -> events.add("copied " + args[1]));
              }
              return result;
            });
  }

  @Test
  void aRegionAppendedAcrossChunksKeepsEveryCellOutsideIt() {
    existing(gzipNan());
    DatasetWrite w = DatasetWrite.plan(store, "job", append("v"));
    w.lock(os, LEASE);
    TaskWriter task = w.openTask(os, 4);
    // A 3x3 block at (2, 3): crosses the four chunks, covers none whole.
    task.writeRegion(new long[] {2, 3}, NdArray.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3));
    task.finish();
    assertEquals(4, task.writtenChunks().size());
    w.publish(store, task.writtenChunks(), new long[] {4, 5});
    DatasetWrite.cleanStaging(os, "job");
    w.release();
    double[] values = store.dataset("v").read().toDoubleArray();
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        double want =
            i >= 2 && i <= 4 && j >= 3 && j <= 5
                ? (i - 2) * 3 + (j - 3) + 1
                : i < 2 ? 10 * i + j : Double.NaN;
        assertEquals(want, values[i * 6 + j], 0.0, "cell " + i + "," + j);
      }
    }
  }

  @Test
  void chunkKeysAreRecognisedPerEncoding() {
    var v2 =
        io.arraymorph.zarr.ZarrArrayMetadata.fromSpec(
            ArraySpec.of(DataType.INT8, 4, 4).chunks(2, 2).chunkKeyEncoding("v2", "."));
    var dflt =
        io.arraymorph.zarr.ZarrArrayMetadata.fromSpec(
            ArraySpec.of(DataType.INT8, 4, 4).chunks(2, 2));
    assertTrue(v2.isChunkKey("1.0"));
    assertTrue(!v2.isChunkKey("c/1/0") && !v2.isChunkKey("zarr.json") && !v2.isChunkKey("1"));
    assertTrue(dflt.isChunkKey("c/1/0"));
    assertTrue(!dflt.isChunkKey("1.0") && !dflt.isChunkKey("c/1") && !dflt.isChunkKey(".zattrs"));
    assertEquals("1.0", v2.chunkKey(new long[] {1, 0}));
  }

  @Test
  void appendGivingAnotherKeyEncodingOrShardShapeIsRefusedBeforeTouchingAnything() {
    existing(gzipNan());
    Map<String, String> before = snapshot();
    WriteRequest v2 =
        new WriteRequest(
            "v",
            WriteMode.APPEND,
            2,
            null,
            null,
            -1,
            null,
            null,
            null,
            null,
            null,
            null,
            "v2",
            null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DatasetWrite.plan(store, "job", v2));
    assertTrue(e.getMessage().contains("'chunk_key_encoding' is v2 '.'"), e.getMessage());
    assertTrue(
        e.getMessage().contains("stored with chunk_key_encoding default '/'"), e.getMessage());
    WriteRequest sharded =
        new WriteRequest(
            "v",
            WriteMode.APPEND,
            2,
            null,
            null,
            -1,
            null,
            null,
            null,
            null,
            null,
            new int[] {8, 8},
            null,
            null);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> DatasetWrite.plan(store, "job", sharded));
    assertTrue(e.getMessage().contains("stored with shards no shards"), e.getMessage());
    assertEquals(before, snapshot());
  }

  @Test
  void newDatasetTakesTheRequestedShardsAndKeyEncoding() {
    WriteRequest r =
        new WriteRequest(
            "s",
            WriteMode.CREATE,
            2,
            DataType.INT32,
            ArraySpec.Compression.NONE,
            -1,
            0,
            new int[] {2, 2},
            new long[] {4, 4},
            null,
            null,
            new int[] {4, 4},
            "v2",
            null);
    DatasetWrite w = DatasetWrite.plan(store, "job", r);
    assertArrayEquals(new int[] {4, 4}, w.chunkShape());
    assertEquals("v2", w.metadata().chunkKeyEncoding());
    assertEquals(".", w.metadata().chunkKeySeparator());
    assertTrue(w.metadata().codecs().sharding() != null);
  }

  @Test
  void writeOntoADatasetOfTheCppPluginLayoutIsRefusedBeforeTouchingAnything(@TempDir Path dir)
      throws IOException {
    PythonFixtures.generate("make_legacy_fixtures.py", dir);
    try (ArrayStore legacy = ArrayStore.open(dir.resolve("store").toString())) {
      String path = "file.h5/float64";
      Map<String, byte[]> before = files(dir.resolve("store"));
      for (WriteMode mode : WriteMode.values()) {
        WriteRequest r =
            new WriteRequest(
                path,
                mode,
                1,
                DataType.FLOAT64,
                ArraySpec.Compression.NONE,
                -1,
                0,
                new int[] {4},
                null,
                null,
                null);
        ArrayMorphException e =
            assertThrows(ArrayMorphException.class, () -> DatasetWrite.plan(legacy, "job", r));
        assertTrue(e.getMessage().contains("C++ plugin layout"), e.getMessage());
      }
      Map<String, byte[]> after = files(dir.resolve("store"));
      assertEquals(before.keySet(), after.keySet());
      before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
    }
  }

  private static Map<String, byte[]> files(Path root) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (var walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }
}
