package io.arraymorph.zarr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.StoreSettings;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uncompressed chunks are read by byte ranges when the cost model says that is cheaper. */
class RangedChunkReadTest {
  /**
   * The fixture is written through the Java API, which publishes a version; each read then checks
   * it with one GET of zarr.json after the chunks.
   */
  private static final int VERSION_CHECK = 1;

  private static long metadataBytes(ArrayStore store) {
    return io.arraymorph.store.Futures.join(store.objectStore().get("a/zarr.json")).length;
  }

  @TempDir Path dir;

  /** Costs like a slow object store over HTTP: 20 ms a request, 10 MB/s. */
  private ArrayStore remoteLike() {
    return ArrayStore.open(
        dir.toString(),
        StoreSettings.of(Map.of("request_latency_ms", "20", "request_bandwidth_mbps", "10")));
  }

  private static float value(long i, long j) {
    return i * 10_000f + j;
  }

  private Dataset write(ArrayStore store, ArraySpec spec) {
    Dataset d = store.createDataset("a", spec);
    float[] data = new float[400 * 300];
    for (int i = 0; i < 400; i++) {
      for (int j = 0; j < 300; j++) {
        data[i * 300 + j] = value(i, j);
      }
    }
    d.write(new long[] {0, 0}, NdArray.of(data, 400, 300));
    return store.dataset("a");
  }

  /**
   * Uncompressed chunks on the local store are copied into place straight from the store's reused
   * buffer: every value of a whole read, a box crossing chunks, a never-written chunk (fill) and a
   * big-endian array (swapped, so read the other way) comes back right; one request per chunk.
   */
  @Test
  void uncompressedChunksCopiedFromTheStoresBufferHoldEveryValue() {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      Dataset d =
          write(store, ArraySpec.of(DataType.FLOAT32, 400, 300).chunks(64, 128).fillValue(-1));
      store.stats().reset();
      NdArray all = d.read();
      // One request per chunk: whole GETs, and ranges for the last row of chunks (a contiguous
      // part).
      assertEquals(7 * 3 + VERSION_CHECK, store.stats().gets() + store.stats().rangeGets());
      assertEquals(6 * 3 + VERSION_CHECK, store.stats().gets());
      NdArray box = d.read(new long[] {63, 100}, new long[] {70, 150});
      for (int i = 0; i < 400; i++) {
        for (int j = 0; j < 300; j++) {
          assertEquals(value(i, j), all.getDouble(i, j), i + "," + j);
        }
      }
      for (int i = 0; i < 70; i++) {
        for (int j = 0; j < 150; j++) {
          assertEquals(value(63 + i, 100 + j), box.getDouble(i, j));
        }
      }
      Dataset sparse =
          store.createDataset(
              "sparse", ArraySpec.of(DataType.INT32, 10, 10).chunks(4, 4).fillValue(-7));
      sparse.write(new long[] {4, 4}, NdArray.of(new int[] {1, 2, 3, 4}, 2, 2));
      NdArray s = store.dataset("sparse").read();
      for (int i = 0; i < 10; i++) {
        for (int j = 0; j < 10; j++) {
          boolean written = i >= 4 && i < 6 && j >= 4 && j < 6;
          assertEquals(written ? 1 + (i - 4) * 2 + (j - 4) : -7, s.getDouble(i, j), i + "," + j);
        }
      }
      Dataset be =
          store.createDataset(
              "be", ArraySpec.of(DataType.INT32, 6).chunks(4).byteOrder(ByteOrder.BIG_ENDIAN));
      be.write(new long[] {0}, NdArray.of(new int[] {1, -2, 300, 70000, -5, 6}, 6));
      NdArray b = store.dataset("be").read();
      int[] want = {1, -2, 300, 70000, -5, 6};
      for (int i = 0; i < 6; i++) {
        assertEquals(want[i], b.getDouble(i), "big-endian element " + i);
      }
    }
  }

  /** A chunk object cut short on disk is refused naming its key, never read as other values. */
  @Test
  void aTruncatedUncompressedChunkIsRefusedNamingItsKey() throws Exception {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      write(store, ArraySpec.of(DataType.FLOAT32, 400, 300).chunks(100, 100));
      java.nio.file.Path chunk = dir.resolve("a/c/1/2");
      byte[] stored = java.nio.file.Files.readAllBytes(chunk);
      java.nio.file.Files.write(chunk, java.util.Arrays.copyOf(stored, stored.length - 4));
      Exception e = assertThrows(Exception.class, () -> store.dataset("a").read());
      Throwable cause = io.arraymorph.store.Futures.unwrap(e);
      assertTrue(cause.getMessage().contains("a/c/1/2"), cause.getMessage());
    }
  }

  @Test
  void aSingleRowOfUncompressedChunksMovesOnlyThatRowsBytes() {
    try (ArrayStore store = remoteLike()) {
      Dataset d = write(store, ArraySpec.of(DataType.FLOAT32, 400, 300).chunks(100, 100));
      store.stats().reset();
      NdArray row = d.read(new long[] {250, 0}, new long[] {1, 300});
      assertEquals(3, store.stats().rangeGets(), "one range per overlapping chunk");
      assertEquals(VERSION_CHECK, store.stats().gets());
      long read = store.stats().bytesRead();
      assertEquals(300 * 4, read - metadataBytes(store));
      for (int j = 0; j < 300; j++) {
        assertEquals(value(250, j), row.getDouble(0, j));
      }
    }
  }

  @Test
  void aColumnReadsWholeChunksBecauseItsMergedRangeSpansAlmostTheWholeChunk() {
    try (ArrayStore store = remoteLike()) {
      Dataset d = write(store, ArraySpec.of(DataType.FLOAT32, 400, 300).chunks(100, 100));
      store.stats().reset();
      NdArray column = d.read(new long[] {0, 17}, new long[] {400, 1});
      // Gaps of one row (400 bytes) cost far less than a request, so the rows merge into a range
      // of 99 rows + 1 element: too close to the whole 40000-byte chunk to be worth a ranged read.
      assertEquals(4 + VERSION_CHECK, store.stats().gets());
      assertEquals(0, store.stats().rangeGets());
      for (int i = 0; i < 400; i++) {
        assertEquals(value(i, 17), column.getDouble(i, 0));
      }
    }
  }

  @Test
  void bigEndianChunksReadByRangesAreConvertedToo() {
    try (ArrayStore store = remoteLike()) {
      Dataset d =
          write(
              store,
              ArraySpec.of(DataType.FLOAT32, 400, 300)
                  .chunks(100, 100)
                  .byteOrder(ByteOrder.BIG_ENDIAN));
      store.stats().reset();
      NdArray cells =
          d.read(
              new Hyperslab(
                  new long[] {5, 7}, new long[] {130, 90}, new long[] {3, 3}, new long[] {2, 1}));
      assertEquals(VERSION_CHECK, store.stats().gets());
      assertEquals(value(5, 7), cells.getDouble(0, 0));
      assertEquals(value(6 + 130, 7 + 180), cells.getDouble(3, 2));
    }
  }

  @Test
  void compressedChunksAndWholeChunkSelectionsUseOneGetPerChunk() {
    try (ArrayStore store = remoteLike()) {
      Dataset d =
          write(
              store,
              ArraySpec.of(DataType.FLOAT32, 400, 300)
                  .chunks(100, 100)
                  .compression(ArraySpec.Compression.ZSTD));
      store.stats().reset();
      d.read(new long[] {250, 0}, new long[] {1, 300});
      assertEquals(3 + VERSION_CHECK, store.stats().gets());
      assertEquals(0, store.stats().rangeGets());
    }
    try (ArrayStore store = ArrayStore.open(dir.resolve("plain").toString())) {
      Dataset d = write(store, ArraySpec.of(DataType.FLOAT32, 400, 300).chunks(100, 100));
      store.stats().reset();
      d.read(new long[] {100, 100}, new long[] {100, 100});
      assertEquals(1 + VERSION_CHECK, store.stats().gets());
      assertEquals(0, store.stats().rangeGets());
    }
  }

  @Test
  void missingChunksReadByRangesHoldTheFillValue() {
    try (ArrayStore store = remoteLike()) {
      Dataset d =
          store.createDataset(
              "sparse", ArraySpec.of(DataType.INT32, 200, 200).chunks(100, 100).fillValue(-5));
      d.write(new long[] {0, 0}, NdArray.of(new int[] {42}, 1, 1));
      NdArray row = d.read(new long[] {0, 0}, new long[] {1, 200});
      assertEquals(42, row.getInt(0, 0));
      assertEquals(-5, row.getInt(0, 1));
      assertEquals(-5, row.getInt(0, 150));
    }
  }
}
