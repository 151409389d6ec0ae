package io.arraymorph.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Zarr v3 sharding_indexed codec: layout on disk, round trips, and partial reads by range. */
class ShardedArrayTest {
  @TempDir Path dir;

  private static int[] values(int rows, int cols) {
    int[] v = new int[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 7 - 1000;
    }
    return v;
  }

  @Test
  void aShardIsTheIndexThenTheInnerChunksAsTheSpecLaysThemOut() throws IOException {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      Dataset d = store.createDataset("s", ArraySpec.of(DataType.INT16, 4).chunks(2).shards(4));
      d.write(new long[] {0}, NdArray.of(new short[] {1, 2, 3, 4}, 4));
    }
    JsonNode meta = new ObjectMapper().readTree(dir.resolve("s/zarr.json").toFile());
    assertEquals(
        "[4]", meta.path("chunk_grid").path("configuration").path("chunk_shape").toString());
    JsonNode codec = meta.path("codecs").get(0);
    assertEquals("sharding_indexed", codec.path("name").asText());
    assertEquals("[2]", codec.path("configuration").path("chunk_shape").toString());
    assertEquals("start", codec.path("configuration").path("index_location").asText());

    byte[] shard = Files.readAllBytes(dir.resolve("s/c/0"));
    // 2 index entries of (offset, length) uint64 + crc32c = 36 bytes, then 2 chunks of 4 bytes.
    assertEquals(36 + 8, shard.length);
    ByteBuffer b = ByteBuffer.wrap(shard).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(36, b.getLong(0));
    assertEquals(4, b.getLong(8));
    assertEquals(40, b.getLong(16));
    assertEquals(4, b.getLong(24));
    CRC32C crc = new CRC32C();
    crc.update(shard, 0, 32);
    assertEquals((int) crc.getValue(), b.getInt(32));
    assertArrayEquals(
        new byte[] {1, 0, 2, 0, 3, 0, 4, 0}, java.util.Arrays.copyOfRange(shard, 36, 44));
  }

  @Test
  void shardedArraysRoundTripWithEdgeShardsAndCompressedInnerChunks() {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      Dataset d =
          store.createDataset(
              "s",
              ArraySpec.of(DataType.INT32, 65, 47)
                  .chunks(10, 10)
                  .shards(30, 20)
                  .compression(ArraySpec.Compression.ZSTD)
                  .fillValue(-1));
      int[] v = values(65, 47);
      d.write(new long[] {0, 0}, NdArray.of(v, 65, 47));
      assertArrayEquals(v, store.dataset("s").read().toIntArray());
      // 3 x 3 shards, one object each
      assertEquals(9, store.objectStore().list("s/c/").join().size());
    }
  }

  @Test
  void readingOneInnerChunkFetchesTheIndexAndThatChunkOnly() {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      Dataset d =
          store.createDataset(
              "s",
              ArraySpec.of(DataType.INT32, 60, 60)
                  .chunks(10, 10)
                  .shards(60, 60)
                  .compression(ArraySpec.Compression.GZIP));
      int[] v = values(60, 60);
      d.write(new long[] {0, 0}, NdArray.of(v, 60, 60));
      Dataset reopened = store.dataset("s");
      store.stats().reset();
      NdArray slice = reopened.read(new long[] {22, 31}, new long[] {5, 6});
      // One GET: the version check of the version the Java API's write published.
      assertEquals(1, store.stats().gets());
      assertEquals(2, store.stats().rangeGets(), "index + one inner chunk");
      long indexBytes = 36 * 16 + 4;
      long chunks =
          store.stats().bytesRead()
              - io.arraymorph.store.Futures.join(store.objectStore().get("s/zarr.json")).length;
      assertTrue(chunks < indexBytes + 400, "read " + chunks);
      for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 6; j++) {
          assertEquals(v[(22 + i) * 60 + 31 + j], slice.getInt(i, j));
        }
      }
    }
  }

  @Test
  void partialWritesKeepTheRestOfTheShardAndUnwrittenChunksReadAsFill() {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      Dataset d =
          store.createDataset(
              "s", ArraySpec.of(DataType.INT32, 20, 20).chunks(5, 5).shards(20, 20).fillValue(9));
      d.write(new long[] {0, 0}, NdArray.of(new int[] {1, 2, 3, 4}, 2, 2));
      d.write(new long[] {12, 13}, NdArray.of(new int[] {5, 6}, 1, 2));
      NdArray all = store.dataset("s").read();
      assertEquals(1, all.getInt(0, 0));
      assertEquals(4, all.getInt(1, 1));
      assertEquals(9, all.getInt(1, 2));
      assertEquals(5, all.getInt(12, 13));
      assertEquals(6, all.getInt(12, 14));
      assertEquals(9, all.getInt(19, 19));
    }
  }

  @Test
  void shardsWithTheIndexAtTheEndAreReadWithAHeadAndRanges() throws IOException {
    // A shard laid out by hand as zarr-python writes it by default: chunks, then the index.
    Path arr = dir.resolve("e");
    Files.createDirectories(arr.resolve("c"));
    Files.writeString(
        arr.resolve("zarr.json"),
        "{\"zarr_format\":3,\"node_type\":\"array\",\"shape\":[6],\"data_type\":\"uint8\","
            + "\"chunk_grid\":{\"name\":\"regular\",\"configuration\":{\"chunk_shape\":[6]}},"
            + "\"chunk_key_encoding\":{\"name\":\"default\"},\"fill_value\":255,"
            + "\"codecs\":[{\"name\":\"sharding_indexed\",\"configuration\":{\"chunk_shape\":[2],"
            + "\"codecs\":[{\"name\":\"bytes\"}],\"index_codecs\":[{\"name\":\"bytes\","
            + "\"configuration\":{\"endian\":\"little\"}},{\"name\":\"crc32c\"}]}}]}",
        StandardCharsets.UTF_8);
    ByteBuffer index = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
    index.putLong(2).putLong(2); // chunk 0 stored second
    index.putLong(-1).putLong(-1); // chunk 1 empty
    index.putLong(0).putLong(2); // chunk 2 stored first
    CRC32C crc = new CRC32C();
    crc.update(index.array());
    ByteBuffer shard = ByteBuffer.allocate(4 + 48 + 4).order(ByteOrder.LITTLE_ENDIAN);
    shard.put(new byte[] {50, 60, 10, 20}).put(index.array()).putInt((int) crc.getValue());
    Files.write(arr.resolve("c/0"), shard.array());
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      assertArrayEquals(
          new int[] {10, 20, 255, 255, 50, 60}, store.dataset("e").read().toIntArray());
      store.stats().reset();
      assertArrayEquals(
          new int[] {60}, store.dataset("e").read(new long[] {5}, new long[] {1}).toIntArray());
      assertEquals(1, store.stats().heads());
      assertEquals(2, store.stats().rangeGets());
    }
    shard.put(8, (byte) 3); // corrupt the index
    Files.write(arr.resolve("c/0"), shard.array());
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      ArrayMorphException e =
          assertThrows(ArrayMorphException.class, () -> store.dataset("e").read());
      assertTrue(
          e.getMessage().contains("e/c/0") && e.getMessage().contains("crc32c"), e.getMessage());
    }
  }

  @Test
  void aShardShapeThatIsNotAMultipleOfTheChunkShapeIsRefused() {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  store.createDataset("bad", ArraySpec.of(DataType.INT8, 10).chunks(3).shards(10)));
      assertTrue(e.getMessage().contains("multiple"), e.getMessage());
    }
  }
}
