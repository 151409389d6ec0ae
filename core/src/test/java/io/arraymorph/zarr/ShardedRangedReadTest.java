package io.arraymorph.zarr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.StoreSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sharded array whose inner chunks are stored uncompressed is read by the byte ranges a selection
 * needs inside each inner chunk, planned and merged as for unsharded chunks; compressed inner
 * chunks are still read whole.
 */
class ShardedRangedReadTest {
  /** Time steps, and the spatial extent of the field (one shard holds all of it). */
  private static final int T = 2000;

  private static final int N = 6;

  /** The selection: time steps [500, 600) of the full field. */
  private static final int FIRST = 500;

  private static final int STEPS = 100;

  /** One index entry per inner chunk (one per spatial point), plus its crc32c. */
  private static final int INDEX_BYTES = N * N * 16 + 4;

  /** The fixture publishes a version: a read checks it with one GET of zarr.json afterwards. */
  private static final int VERSION_CHECK = 1;

  @TempDir Path dir;

  private static float value(int t, int y, int x) {
    return t * 100f + y * 10 + x;
  }

  /** Costs of {@code latencyMs} a request and 10 MB/s. */
  private ArrayStore store(double latencyMs) {
    // 10 MB/s: the merge gap is latency x bandwidth = latencyMs x 10,000 bytes.
    return ArrayStore.open(
        dir.toString(),
        StoreSettings.of(
            Map.of(
                "request_latency_ms", Double.toString(latencyMs), "request_bandwidth_mbps", "10")));
  }

  /** Long time series at each point: shards of the full field, inner chunks of one point. */
  private static Dataset writeSeries(ArrayStore store, ArraySpec spec) {
    return writeSeries(store, "s", spec);
  }

  private static Dataset writeSeries(ArrayStore store, String name, ArraySpec spec) {
    Dataset d = store.createDataset(name, spec.chunks(T, 1, 1).shards(T, N, N));
    float[] data = new float[T * N * N];
    for (int t = 0; t < T; t++) {
      for (int y = 0; y < N; y++) {
        for (int x = 0; x < N; x++) {
          data[(t * N + y) * N + x] = value(t, y, x);
        }
      }
    }
    d.write(new long[] {0, 0, 0}, NdArray.of(data, T, N, N));
    return store.dataset(name);
  }

  private static ArraySpec series() {
    return ArraySpec.of(DataType.FLOAT32, T, N, N).fillValue(-1);
  }

  private static NdArray readMonth(ArrayStore store, Dataset d) {
    store.stats().reset();
    return d.read(new long[] {FIRST, 0, 0}, new long[] {STEPS, N, N});
  }

  private static void assertMonth(NdArray month) {
    for (int t = 0; t < STEPS; t++) {
      for (int y = 0; y < N; y++) {
        for (int x = 0; x < N; x++) {
          assertEquals(value(FIRST + t, y, x), month.getDouble(t, y, x), t + "," + y + "," + x);
        }
      }
    }
  }

  private static long chunkBytesRead(ArrayStore store) {
    return chunkBytesRead(store, "s");
  }

  private static long chunkBytesRead(ArrayStore store, String name) {
    return store.stats().bytesRead()
        - Futures.join(store.objectStore().get(name + "/zarr.json")).length * (long) VERSION_CHECK;
  }

  /**
   * A strided selection (every third time step of [400, 700) in blocks of two, every other column)
   * makes several runs per dimension inside an inner chunk and skips some inner chunks: each
   * selected value comes back right, by ranges, for both byte orders.
   */
  @Test
  void aStridedSelectionOfUncompressedInnerChunksReadsEveryValueRight() {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      try (ArrayStore store = store(0.1)) {
        Dataset d = writeSeries(store, order.toString(), series().byteOrder(order));
        store.stats().reset();
        NdArray got =
            d.read(
                new Hyperslab(
                    new long[] {400, 1, 0},
                    new long[] {3, 2, 2},
                    new long[] {100, 2, 3},
                    new long[] {2, 1, 1}));
        for (int t = 0; t < 200; t++) {
          for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
              int step = 400 + (t / 2) * 3 + t % 2;
              assertEquals(value(step, 1 + 2 * y, 2 * x), got.getDouble(t, y, x), t + "," + y);
            }
          }
        }
        assertEquals(1 + 2 * 3, store.stats().rangeGets(), order + ": index + one range each");
      }
    }
  }

  /**
   * Under a cost model whose merge gap (1000 bytes) is shorter than the rest of an inner chunk, a
   * time range of the full field fetches the index and one range of 400 bytes per inner chunk: the
   * selection's bytes, not the 36 whole inner chunks of 8000 bytes.
   */
  @Test
  void aTimeRangeOfUncompressedInnerChunksFetchesOnlyTheSelectionsBytes() {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      try (ArrayStore store = store(0.1)) {
        String name = order.toString();
        Dataset d = writeSeries(store, name, series().byteOrder(order));
        NdArray month = readMonth(store, d);
        assertMonth(month);
        assertEquals(1 + N * N, store.stats().rangeGets(), name + ": index + one range each");
        assertEquals(INDEX_BYTES + N * N * STEPS * 4, chunkBytesRead(store, name), name);
      }
    }
  }

  /**
   * Where the merge gap (10,000 bytes) exceeds the distance between the pieces of neighbouring
   * inner chunks, the pieces of every inner chunk of the shard are merged into one ranged GET.
   */
  @Test
  void rangesOfAdjacentInnerChunksOfAShardAreMergedIntoOneRead() {
    try (ArrayStore store = store(1)) {
      Dataset d = writeSeries(store, series());
      assertMonth(readMonth(store, d));
      assertEquals(2, store.stats().rangeGets(), "the index and one merged range");
      // From the first inner chunk's 400 bytes to the last's: 35 inner chunks apart.
      assertEquals(INDEX_BYTES + (N * N - 1) * T * 4L + STEPS * 4, chunkBytesRead(store));
    }
  }

  /**
   * Inner chunks with a compressor, or a crc32c covering each inner chunk, are still fetched whole
   * (every byte the index lists for them), and decode to the right values.
   */
  @Test
  void compressedOrCheckedInnerChunksAreStillReadWhole() throws IOException {
    Map<String, ArraySpec> specs =
        Map.of(
            "gzip", series().compression(ArraySpec.Compression.GZIP),
            "crc32c", series().checksum(true));
    try (ArrayStore store = store(0.1)) {
      for (Map.Entry<String, ArraySpec> spec : specs.entrySet()) {
        String name = spec.getKey();
        Dataset d = writeSeries(store, name, spec.getValue());
        assertTrue(d.codecDescription().contains(name), d.codecDescription());
        assertMonth(readMonth(store, d));
        ByteBuffer index =
            ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name + "/c/0/0/0")))
                .order(ByteOrder.LITTLE_ENDIAN);
        long stored = 0;
        for (int i = 0; i < N * N; i++) {
          stored += index.getLong(i * 16 + 8);
        }
        assertTrue(stored > N * N * STEPS * 4 * 2L, name + " stores " + stored);
        assertEquals(INDEX_BYTES + stored, chunkBytesRead(store, name), name);
      }
    }
  }

  /**
   * An uncompressed inner chunk whose index entry gives a length other than its shape's cannot be
   * read by ranges: an error naming the shard rather than misplaced values.
   */
  @Test
  void anUncompressedInnerChunkOfTheWrongLengthIsAnErrorNamingTheShard() throws IOException {
    try (ArrayStore store = store(0.1)) {
      writeSeries(store, series());
    }
    Path shard = dir.resolve("s/c/0/0/0");
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(shard)).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(8, T * 4L - 4); // inner chunk 0 one element short
    CRC32C crc = new CRC32C();
    crc.update(bytes.array(), 0, N * N * 16);
    bytes.putInt(N * N * 16, (int) crc.getValue());
    Files.write(shard, bytes.array());
    try (ArrayStore store = store(0.1)) {
      Dataset d = store.dataset("s");
      ArrayMorphException e = assertThrows(ArrayMorphException.class, () -> readMonth(store, d));
      assertTrue(
          e.getMessage().contains("s/c/0/0/0") && e.getMessage().contains("inner chunk 0"),
          e.getMessage());
    }
  }

  /**
   * Never-written inner chunks (empty in the index) read as the fill value, the others by range.
   */
  @Test
  void missingInnerChunksReadAsTheFillValue() {
    try (ArrayStore store = store(0.1)) {
      Dataset d = store.createDataset("s", series().chunks(T, 1, 1).shards(T, N, N));
      float[] column = new float[T];
      for (int t = 0; t < T; t++) {
        column[t] = value(t, 2, 3);
      }
      d.write(new long[] {0, 2, 3}, NdArray.of(column, T, 1, 1));
      NdArray month = readMonth(store, store.dataset("s"));
      for (int t = 0; t < STEPS; t++) {
        for (int y = 0; y < N; y++) {
          for (int x = 0; x < N; x++) {
            float expected = y == 2 && x == 3 ? value(FIRST + t, y, x) : -1f;
            assertEquals(expected, month.getDouble(t, y, x), t + "," + y + "," + x);
          }
        }
      }
      assertEquals(2, store.stats().rangeGets(), "the index and the one written inner chunk");
      assertEquals(INDEX_BYTES + STEPS * 4, chunkBytesRead(store));
    }
  }

  /** A shard cut short of what its index says is a clear error naming the shard, not fill. */
  @Test
  void aTruncatedShardIsAnErrorNamingIt() throws IOException {
    try (ArrayStore store = store(0.1)) {
      writeSeries(store, series());
    }
    Path shard = dir.resolve("s/c/0/0/0");
    byte[] bytes = Files.readAllBytes(shard);
    Files.write(shard, Arrays.copyOf(bytes, bytes.length - 4 * T + 4 * (FIRST + 10)));
    try (ArrayStore store = store(0.1)) {
      Dataset d = store.dataset("s");
      ArrayMorphException e = assertThrows(ArrayMorphException.class, () -> readMonth(store, d));
      assertTrue(
          e.getMessage().contains("s/c/0/0/0") && e.getMessage().contains("shorter"),
          e.getMessage());
    }
  }
}
