package io.arraymorph.zarr;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

  @Test
  void aSingleRowOfUncompressedChunksMovesOnlyThatRowsBytes() {
    try (ArrayStore store = remoteLike()) {
      Dataset d = write(store, ArraySpec.of(DataType.FLOAT32, 400, 300).chunks(100, 100));
      store.stats().reset();
      NdArray row = d.read(new long[] {250, 0}, new long[] {1, 300});
      assertEquals(3, store.stats().rangeGets(), "one range per overlapping chunk");
      assertEquals(0, store.stats().gets());
      assertEquals(300 * 4, store.stats().bytesRead());
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
      assertEquals(4, store.stats().gets());
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
      assertEquals(0, store.stats().gets());
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
      assertEquals(3, store.stats().gets());
      assertEquals(0, store.stats().rangeGets());
    }
    try (ArrayStore store = ArrayStore.open(dir.resolve("plain").toString())) {
      Dataset d = write(store, ArraySpec.of(DataType.FLOAT32, 400, 300).chunks(100, 100));
      store.stats().reset();
      d.read(new long[] {100, 100}, new long[] {100, 100});
      assertEquals(1, store.stats().gets());
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
