package io.arraymorph.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.DataType;
import io.arraymorph.array.Float16;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.array.Shapes;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading back every data type, rank and codec, partial writes and strided reads. */
class RoundTripTest {

  /** The codec configurations every round trip runs with. */
  private static final List<UnaryOperator<ArraySpec>> CODECS =
      List.of(
          s -> s,
          s -> s.compression(ArraySpec.Compression.GZIP),
          s -> s.compression(ArraySpec.Compression.ZSTD, 1),
          s -> s.checksum(true),
          s -> s.byteOrder(ByteOrder.BIG_ENDIAN),
          s ->
              s.byteOrder(ByteOrder.BIG_ENDIAN)
                  .compression(ArraySpec.Compression.ZSTD)
                  .checksum(true));

  private static final String[] CODEC_NAMES = {
    "none", "gzip", "zstd", "crc32c", "big-endian", "big-endian+zstd+crc32c"
  };

  /** Random little-endian elements of a type, with its special values mixed in. */
  private static byte[] randomElements(DataType type, int n, Random rnd) {
    ByteBuffer b = ByteBuffer.allocate(n * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      switch (type) {
        case BOOL -> b.put((byte) rnd.nextInt(2));
        case FLOAT16 -> {
          short[] special = {0x7c00, (short) 0xfc00, 0x7e00, (short) 0x8000, 0x0001, 0x7bff};
          b.putShort(
              i % 5 == 0
                  ? special[rnd.nextInt(special.length)]
                  : Float16.fromFloat((float) rnd.nextGaussian() * 100));
        }
        case FLOAT32 -> {
          float[] special = {
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            -0.0f,
            Float.MIN_VALUE,
            Float.MAX_VALUE
          };
          b.putFloat(
              i % 5 == 0 ? special[rnd.nextInt(special.length)] : (float) rnd.nextGaussian());
        }
        case FLOAT64 -> {
          double[] special = {
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE
          };
          b.putDouble(i % 5 == 0 ? special[rnd.nextInt(special.length)] : rnd.nextGaussian());
        }
        default -> {
          // Every bit pattern: for unsigned types half are above the signed range.
          byte[] raw = new byte[type.byteSize()];
          rnd.nextBytes(raw);
          b.put(raw);
        }
      }
    }
    return b.array();
  }

  @Test
  void everyTypeRankAndCodecRoundTrips() {
    Random rnd = new Random(31337);
    int cases = 0;
    try (ArrayStore store = ArrayStore.on(new MemoryObjectStore(), 4)) {
      for (DataType type : DataType.values()) {
        for (int rank = 1; rank <= 4; rank++) {
          for (int c = 0; c < CODECS.size(); c++) {
            long[] shape = new long[rank];
            int[] chunks = new int[rank];
            for (int d = 0; d < rank; d++) {
              shape[d] = 1L + rnd.nextInt(rank <= 2 ? 13 : 5);
              chunks[d] = 1 + rnd.nextInt((int) shape[d] + 1);
            }
            String path = type.zarrName() + "/r" + rank + "/" + CODEC_NAMES[c];
            ArraySpec spec = CODECS.get(c).apply(ArraySpec.of(type, shape).chunks(chunks));
            byte[] data = randomElements(type, (int) Shapes.product(shape), rnd);
            Dataset d = store.createDataset(path, spec);
            d.write(new long[rank], NdArray.wrap(type, shape, data.clone()));
            NdArray back = store.dataset(path).read();
            assertEquals(type, back.dataType());
            assertArrayEquals(shape, back.shape(), path);
            assertArrayEquals(
                data,
                back.bytes(),
                path + " shape " + Arrays.toString(shape) + " chunks " + Arrays.toString(chunks));
            cases++;
          }
        }
      }
    }
    assertEquals(12 * 4 * 6, cases);
  }

  @Test
  void typedValuesOfEveryTypeReadBackAsWritten() {
    try (ArrayStore store = ArrayStore.on(new MemoryObjectStore(), 4)) {
      assertEquals(List.of(1L, 0L, 1L), readLongs(store, DataType.BOOL, new byte[] {1, 0, 1}, 3));
      assertEquals(
          List.of(-128L, 127L, -1L),
          readLongs(store, DataType.INT8, new byte[] {(byte) 0x80, 0x7f, (byte) 0xff}, 3));
      assertEquals(
          List.of(128L, 255L, 0L),
          readLongs(store, DataType.UINT8, new byte[] {(byte) 0x80, (byte) 0xff, 0}, 3));
      assertEquals(
          List.of(40000L, 65535L),
          readLongs(store, DataType.UINT16, new byte[] {0x40, (byte) 0x9c, -1, -1}, 2));
      assertEquals(
          List.of(-32768L, 32767L),
          readLongs(store, DataType.INT16, new byte[] {0, (byte) 0x80, -1, 0x7f}, 2));
      assertEquals(
          List.of(4294967295L, 2147483648L),
          readLongs(store, DataType.UINT32, new byte[] {-1, -1, -1, -1, 0, 0, 0, (byte) 0x80}, 2));
      assertEquals(
          List.of(Long.MIN_VALUE),
          readLongs(store, DataType.INT64, new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) 0x80}, 1));
      // uint64 2^63 + 1: above the signed range
      NdArray u64 = NdArray.allocate(DataType.UINT64, 1);
      u64.setLong(0, Long.MIN_VALUE + 1);
      store
          .createDataset("u64", ArraySpec.of(DataType.UINT64, 1).byteOrder(ByteOrder.BIG_ENDIAN))
          .write(new long[] {0}, u64);
      NdArray back = store.dataset("u64").read();
      assertEquals("9223372036854775809", Long.toUnsignedString(back.getLong(0)));
      assertEquals(9.223372036854776e18, back.getDouble(0));

      NdArray f16 = NdArray.allocate(DataType.FLOAT16, 4);
      f16.setDouble(0, 1.0);
      f16.setDouble(1, -2.0);
      f16.setDouble(2, Double.POSITIVE_INFINITY);
      f16.setDouble(3, Double.NaN);
      store
          .createDataset("f16", ArraySpec.of(DataType.FLOAT16, 4).chunks(3).checksum(true))
          .write(new long[] {0}, f16);
      NdArray f16Back = store.dataset("f16").read();
      assertArrayEquals(
          new byte[] {0, 0x3c, 0, (byte) 0xc0, 0, 0x7c}, Arrays.copyOf(f16Back.bytes(), 6));
      assertTrue(Double.isNaN(f16Back.getDouble(3)));

      store
          .createDataset(
              "f64", ArraySpec.of(DataType.FLOAT64, 3).compression(ArraySpec.Compression.GZIP))
          .write(
              new long[] {0},
              NdArray.of(new double[] {Double.NaN, Double.NEGATIVE_INFINITY, 1e-310}));
      double[] f64 = store.dataset("f64").read().toDoubleArray();
      assertTrue(Double.isNaN(f64[0]));
      assertEquals(Double.NEGATIVE_INFINITY, f64[1]);
      assertEquals(1e-310, f64[2]);
    }
  }

  private static List<Long> readLongs(ArrayStore store, DataType type, byte[] data, long n) {
    String path = "typed-" + type.zarrName();
    store
        .createDataset(
            path, ArraySpec.of(type, n).chunks(2).compression(ArraySpec.Compression.ZSTD))
        .write(new long[] {0}, NdArray.wrap(type, new long[] {n}, data));
    NdArray back = store.dataset(path).read();
    return Arrays.stream(back.toLongArray()).boxed().toList();
  }

  private static int value(long i, long j) {
    return (int) (i * 100 + j);
  }

  @Test
  void partialWritesKeepTheRestOfEachChunk() {
    for (int c = 0; c < CODECS.size(); c++) {
      try (ArrayStore store = ArrayStore.on(new MemoryObjectStore(), 3)) {
        Dataset d =
            store.createDataset(
                "v", CODECS.get(c).apply(ArraySpec.of(DataType.INT32, 10, 9).chunks(4, 4)));
        int[] all = new int[90];
        for (int i = 0; i < 10; i++) {
          for (int j = 0; j < 9; j++) {
            all[i * 9 + j] = value(i, j);
          }
        }
        d.write(new long[] {0, 0}, NdArray.of(all, 10, 9));
        // A 3x5 patch at (2, 3): partly covers chunks (0,0), (0,1), (0,2), (1,0), (1,1), (1,2).
        int[] patch = new int[15];
        for (int k = 0; k < 15; k++) {
          patch[k] = -1000 - k;
        }
        d.write(new long[] {2, 3}, NdArray.of(patch, 3, 5));
        // Single element in the edge chunk.
        d.write(new long[] {9, 8}, NdArray.of(new int[] {77}, 1, 1));
        NdArray back = store.dataset("v").read();
        for (int i = 0; i < 10; i++) {
          for (int j = 0; j < 9; j++) {
            int expected = value(i, j);
            if (i >= 2 && i < 5 && j >= 3 && j < 8) {
              expected = -1000 - ((i - 2) * 5 + (j - 3));
            }
            if (i == 9 && j == 8) {
              expected = 77;
            }
            assertEquals(expected, back.getInt(i, j), CODEC_NAMES[c] + " [" + i + "," + j + "]");
          }
        }
      }
    }
  }

  @Test
  void unwrittenElementsReadAsTheFillValue() {
    MemoryObjectStore mem = new MemoryObjectStore();
    try (ArrayStore store = ArrayStore.on(mem, 4)) {
      Dataset ints =
          store.createDataset("i", ArraySpec.of(DataType.INT32, 7, 7).chunks(3, 3).fillValue(-1));
      ints.write(new long[] {4, 1}, NdArray.of(new int[] {5, 6}, 1, 2));
      NdArray back = store.dataset("i").read();
      for (int i = 0; i < 7; i++) {
        for (int j = 0; j < 7; j++) {
          int expected = i == 4 && j == 1 ? 5 : i == 4 && j == 2 ? 6 : -1;
          assertEquals(expected, back.getInt(i, j), "[" + i + "," + j + "]");
        }
      }
      // Only chunk (1, 0) was stored.
      List<String> chunkKeys =
          Futures.join(mem.list("i/c/")).stream().map(ObjectInfo::key).toList();
      assertEquals(List.of("i/c/1/0"), chunkKeys);

      Dataset floats =
          store.createDataset(
              "f",
              ArraySpec.of(DataType.FLOAT64, 5)
                  .chunks(2)
                  .fillValue(Double.NaN)
                  .compression(ArraySpec.Compression.GZIP));
      floats.write(new long[] {2}, NdArray.of(new double[] {2.5}, 1));
      double[] f = store.dataset("f").read().toDoubleArray();
      assertTrue(Double.isNaN(f[0]) && Double.isNaN(f[1]) && Double.isNaN(f[3]));
      assertTrue(Double.isNaN(f[4]));
      assertEquals(2.5, f[2]);
    }
  }

  @Test
  void stridedHyperslabReadsMatchTheNaiveSelection(@TempDir Path dir) {
    long rows = 20;
    long cols = 30;
    int[] all = new int[(int) (rows * cols)];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        all[(int) (i * cols + j)] = value(i, j);
      }
    }
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      store
          .createDataset(
              "v",
              ArraySpec.of(DataType.INT32, rows, cols)
                  .chunks(7, 4)
                  .compression(ArraySpec.Compression.ZSTD))
          .write(new long[] {0, 0}, NdArray.of(all, rows, cols));
      Dataset d = store.dataset("v");
      Random rnd = new Random(8);
      for (int n = 0; n < 60; n++) {
        long[] start = new long[2];
        long[] stride = new long[2];
        long[] count = new long[2];
        long[] block = new long[2];
        long[] shape = {rows, cols};
        for (int k = 0; k < 2; k++) {
          block[k] = 1L + rnd.nextInt(3);
          stride[k] = block[k] + rnd.nextInt(6);
          start[k] = rnd.nextInt((int) (shape[k] - block[k] + 1));
          count[k] = 1L + rnd.nextInt((int) ((shape[k] - start[k] - block[k]) / stride[k] + 1));
        }
        Hyperslab slab = new Hyperslab(start, stride, count, block);
        NdArray got = d.read(slab);
        for (int a = 0; a < count[0] * block[0]; a++) {
          long i = start[0] + (a / block[0]) * stride[0] + a % block[0];
          for (int b = 0; b < count[1] * block[1]; b++) {
            long j = start[1] + (b / block[1]) * stride[1] + b % block[1];
            assertEquals(value(i, j), got.getInt(a, b), slab + " at " + a + "," + b);
          }
        }
      }
    }
  }
}
