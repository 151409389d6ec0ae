package io.arraymorph.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.codec.CodecException;
import io.arraymorph.store.Futures;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails with an exception of the documented type whose message names the problem. */
class BadInputTest {
  @TempDir Path dir;

  private static <T extends Throwable> T assertFailsNaming(
      Class<T> type, Executable action, String... fragments) {
    T e = assertThrows(type, action);
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' missing from: " + e.getMessage());
    }
    return e;
  }

  /** A 4x4 int32 dataset in 2x2 chunks at {@code dir/v} holding 0..15. */
  private ArrayStore storeWithDataset(ArraySpec spec) {
    ArrayStore store = ArrayStore.open(dir.toString());
    int[] values = new int[16];
    Arrays.setAll(values, i -> i);
    store.createDataset("v", spec).write(new long[] {0, 0}, NdArray.of(values, 4, 4));
    return store;
  }

  private ArrayStore storeWithDataset() {
    return storeWithDataset(ArraySpec.of(DataType.INT32, 4, 4).chunks(2, 2));
  }

  private void writeFile(String relative, byte[] data) throws IOException {
    Files.write(dir.resolve(relative), data);
  }

  private void writeMetadata(String json) throws IOException {
    writeFile("v/zarr.json", json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void unknownDatasetListsTheExistingOnes() {
    try (ArrayStore store = storeWithDataset()) {
      store.createDataset("g/w", ArraySpec.of(DataType.INT8, 2));
      assertFailsNaming(
          DatasetNotFoundException.class, () -> store.dataset("nope"), "'nope'", "v", "g/w");
      assertFailsNaming(DatasetNotFoundException.class, () -> store.dataset("g"), "group", "g/w");
    }
  }

  @Test
  void creatingOverAnExistingDatasetFails() {
    try (ArrayStore store = storeWithDataset()) {
      assertFailsNaming(
          ArrayMorphException.class,
          () -> store.createDataset("v", ArraySpec.of(DataType.INT8, 2)),
          "already exists",
          "'v'");
    }
  }

  @Test
  void selectionOutOfBoundsNamesTheDimension() {
    try (ArrayStore store = storeWithDataset()) {
      Dataset d = store.dataset("v");
      assertFailsNaming(
          IndexOutOfBoundsException.class,
          () -> d.read(new long[] {1, 2}, new long[] {2, 3}),
          "dimension 1");
      assertFailsNaming(
          IndexOutOfBoundsException.class,
          () ->
              d.read(
                  new Hyperslab(
                      new long[] {0, 0}, new long[] {3, 1}, new long[] {2, 1}, new long[] {2, 1})),
          "dimension 0");
      assertFailsNaming(
          IndexOutOfBoundsException.class,
          () -> d.write(new long[] {3, 0}, NdArray.of(new int[] {1, 2}, 2, 1)),
          "dimension 0");
    }
  }

  @Test
  void writeOffsetOfWrongRankNamesTheRanks() {
    try (ArrayStore store = storeWithDataset()) {
      Dataset d = store.dataset("v");
      assertFailsNaming(
          IllegalArgumentException.class,
          () -> d.write(new long[] {0, 0}, NdArray.of(new int[] {1, 2}, 2)),
          "rank");
    }
  }

  @Test
  void writingAnotherTypeIsRejected() {
    try (ArrayStore store = storeWithDataset()) {
      Dataset d = store.dataset("v");
      assertFailsNaming(
          IllegalArgumentException.class,
          () -> d.write(new long[] {0, 0}, NdArray.of(new double[] {1.0}, 1, 1)),
          "float64",
          "int32");
    }
  }

  private static final String GOOD_METADATA =
      """
      {
        "zarr_format": 3, "node_type": "array", "shape": [4, 4], "data_type": "int32",
        "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2, 2]}},
        "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
        "fill_value": 0,
        "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]
      }
      """;

  private void assertCorruptMetadata(String json, String... fragments) throws IOException {
    Files.createDirectories(dir.resolve("v"));
    writeMetadata(json);
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      assertFailsNaming(ArrayMorphException.class, () -> store.dataset("v"), fragments);
    }
  }

  @Test
  void goodMetadataTemplateIsReadable() throws IOException {
    try (ArrayStore store = storeWithDataset()) {
      writeMetadata(GOOD_METADATA);
      assertEquals(15, store.dataset("v").read().getInt(3, 3));
    }
  }

  @Test
  void invalidJsonMetadataIsCorrupt() throws IOException {
    assertCorruptMetadata(
        "{\"zarr_format\": 3, \"node_type\": ", "Corrupt metadata", "v/zarr.json");
    assertCorruptMetadata("[1, 2]", "not a JSON object", "v/zarr.json");
  }

  @Test
  void wrongZarrFormatIsNamed() throws IOException {
    assertCorruptMetadata(
        GOOD_METADATA.replace("\"zarr_format\": 3", "\"zarr_format\": 2"), "zarr_format", "2");
  }

  @Test
  void missingFieldsAreNamed() throws IOException {
    assertCorruptMetadata(GOOD_METADATA.replace("\"shape\": [4, 4],", ""), "'shape'");
    assertCorruptMetadata(
        GOOD_METADATA.replace("\"data_type\": \"int32\",", ""), "'data_type'", "v/zarr.json");
    assertCorruptMetadata(GOOD_METADATA.replace("\"fill_value\": 0,", ""), "'fill_value'");
    assertCorruptMetadata(
        GOOD_METADATA.replace(
            ",\n  \"codecs\": [{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}}]",
            ""),
        "'codecs'");
    assertCorruptMetadata(
        GOOD_METADATA.replace(
            "\"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": [2, 2]}},",
            ""),
        "'chunk_grid'");
    assertCorruptMetadata(
        GOOD_METADATA.replace("\"node_type\": \"array\",", ""), "node_type", "v/zarr.json");
  }

  @Test
  void unsupportedValuesAreNamed() throws IOException {
    assertCorruptMetadata(GOOD_METADATA.replace("\"int32\"", "\"complex64\""), "'complex64'");
    assertCorruptMetadata(GOOD_METADATA.replace("[2, 2]", "[2]"), "rank");
    assertCorruptMetadata(
        GOOD_METADATA.replace("\"fill_value\": 0", "\"fill_value\": \"x\""), "fill_value");
    assertCorruptMetadata(
        GOOD_METADATA.replace("{\"name\": \"bytes\"", "{\"name\": \"lz4x\"}, {\"name\": \"bytes\""),
        "'lz4x'");
    assertCorruptMetadata(
        GOOD_METADATA.replace(
            "\"endian\": \"little\"}}", "\"endian\": \"little\"}}, {\"name\": \"snappyx\"}"),
        "'snappyx'",
        "v/zarr.json");
  }

  @Test
  void chunkOfTheWrongSizeNamesTheChunk() throws IOException {
    try (ArrayStore store = storeWithDataset()) {
      writeFile("v/c/1/0", "garbage bytes".getBytes(StandardCharsets.US_ASCII));
      Dataset d = store.dataset("v");
      assertFailsNaming(CodecException.class, d::read, "v/c/1/0", "13", "16");
      // Chunks not touched by a selection are not read.
      assertEquals(1, d.read(new long[] {0, 0}, new long[] {2, 2}).getInt(0, 1));
      // A partial write into the bad chunk fails too instead of overwriting it silently.
      assertThrows(
          CodecException.class, () -> d.write(new long[] {2, 0}, NdArray.of(new int[] {1}, 1, 1)));
    }
  }

  @Test
  void truncatedGzipChunkNamesTheChunk() throws IOException {
    try (ArrayStore store =
        storeWithDataset(
            ArraySpec.of(DataType.INT32, 4, 4)
                .chunks(2, 2)
                .compression(ArraySpec.Compression.GZIP))) {
      byte[] stored = Files.readAllBytes(dir.resolve("v/c/0/1"));
      writeFile("v/c/0/1", Arrays.copyOf(stored, stored.length - 6));
      assertFailsNaming(CodecException.class, () -> store.dataset("v").read(), "v/c/0/1", "gzip");
    }
  }

  @Test
  void truncatedZstdChunkNamesTheChunk() throws IOException {
    try (ArrayStore store =
        storeWithDataset(
            ArraySpec.of(DataType.INT32, 4, 4)
                .chunks(2, 2)
                .compression(ArraySpec.Compression.ZSTD))) {
      byte[] stored = Files.readAllBytes(dir.resolve("v/c/1/1"));
      writeFile("v/c/1/1", Arrays.copyOf(stored, stored.length - 3));
      assertFailsNaming(CodecException.class, () -> store.dataset("v").read(), "v/c/1/1", "zstd");
    }
  }

  @Test
  void checksumMismatchNamesTheChunk() throws IOException {
    try (ArrayStore store =
        storeWithDataset(ArraySpec.of(DataType.INT32, 4, 4).chunks(2, 2).checksum(true))) {
      byte[] stored = Files.readAllBytes(dir.resolve("v/c/1/0"));
      stored[4] ^= 0x10;
      writeFile("v/c/1/0", stored);
      assertFailsNaming(CodecException.class, () -> store.dataset("v").read(), "v/c/1/0", "crc32c");
    }
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void decompressionBombChunksFailWithoutHugeAllocations() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 128; i++) {
        out.write(zeros);
      }
    }
    byte[] zstdBomb = com.github.luben.zstd.Zstd.compress(new byte[128 << 20], 1);
    // A memory store answers on the calling thread, so this thread's allocations are the read's.
    MemoryObjectStore mem = new MemoryObjectStore();
    try (ArrayStore store = ArrayStore.on(mem, 2)) {
      store.createDataset(
          "g",
          ArraySpec.of(DataType.INT32, 4, 4).chunks(2, 2).compression(ArraySpec.Compression.GZIP));
      store.createDataset(
          "z",
          ArraySpec.of(DataType.INT32, 4, 4).chunks(2, 2).compression(ArraySpec.Compression.ZSTD));
      Futures.join(mem.put("g/c/0/0", gz.toByteArray()));
      Futures.join(mem.put("z/c/0/0", zstdBomb));
      for (String path : new String[] {"g", "z"}) {
        Dataset d = store.dataset(path);
        long before = allocatedBytes();
        assertFailsNaming(CodecException.class, d::read, path + "/c/0/0");
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < 16 << 20, path + ": reading allocated " + allocated + " bytes");
      }
    }
  }
}
