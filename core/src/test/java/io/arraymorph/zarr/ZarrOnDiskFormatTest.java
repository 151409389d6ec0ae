package io.arraymorph.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a write puts on disk, byte for byte, per the Zarr v3 specification. Every expected value is
 * written out by hand.
 */
class ZarrOnDiskFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  /** Writes values 0..11 as a 3x4 int32 array in 2x2 chunks at {@code dir/values}. */
  private void writeThreeByFour(ArraySpec spec) {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      store
          .createDataset("values", spec)
          .write(
              new long[] {0, 0},
              NdArray.of(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4));
    }
  }

  private static ArraySpec threeByFour() {
    return ArraySpec.of(DataType.INT32, 3, 4).chunks(2, 2);
  }

  private JsonNode json(String relative) throws IOException {
    return JSON.readTree(Files.readAllBytes(dir.resolve(relative)));
  }

  private byte[] file(String relative) throws IOException {
    return Files.readAllBytes(dir.resolve(relative));
  }

  private static byte[] bytes(int... unsignedBytes) {
    byte[] b = new byte[unsignedBytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) unsignedBytes[i];
    }
    return b;
  }

  @Test
  void arrayMetadataIsZarrV3() throws IOException {
    writeThreeByFour(
        threeByFour().dimensionNames("y", "x").attributes(Map.of("units", "m", "scale", 2)));
    JsonNode expected =
        JSON.readTree(
            """
            {
              "zarr_format": 3,
              "node_type": "array",
              "shape": [3, 4],
              "data_type": "int32",
              "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2, 2]}},
              "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
              "fill_value": 0,
              "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}],
              "attributes": {
                "units": "m",
                "scale": 2,
                "arraymorph": {"generation": 1, "state": "stable"}
              },
              "dimension_names": ["y", "x"]
            }
            """);
    JsonNode actual = json("values/zarr.json");
    // A new dataset's first generation is random (see Publication.first): compare the rest.
    ObjectNode version = (ObjectNode) actual.get("attributes").get("arraymorph");
    long generation = version.get("generation").asLong();
    assertTrue(generation >= 1 && generation < (1L << 40), "generation " + generation);
    version.put("generation", 1);
    assertEquals(expected, actual);
  }

  @Test
  void rootGroupMetadataIsZarrV3() throws IOException {
    writeThreeByFour(threeByFour());
    assertEquals(
        JSON.readTree("{\"zarr_format\": 3, \"node_type\": \"group\", \"attributes\": {}}"),
        json("zarr.json"));
  }

  @Test
  void storeHoldsExactlyTheMetadataAndFourChunks() throws IOException {
    writeThreeByFour(threeByFour());
    try (Stream<Path> files = Files.walk(dir)) {
      List<String> keys =
          files
              .filter(Files::isRegularFile)
              .map(p -> dir.relativize(p).toString().replace('\\', '/'))
              .sorted()
              .toList();
      assertEquals(
          List.of(
              "values/c/0/0",
              "values/c/0/1",
              "values/c/1/0",
              "values/c/1/1",
              "values/zarr.json",
              "zarr.json"),
          keys);
    }
  }

  @Test
  void chunksAreLittleEndianWithEdgePaddingOfZero() throws IOException {
    writeThreeByFour(threeByFour());
    assertArrayEquals(bytes(0, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0), file("values/c/0/0"));
    assertArrayEquals(bytes(2, 0, 0, 0, 3, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0), file("values/c/0/1"));
    assertArrayEquals(bytes(8, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), file("values/c/1/0"));
    assertArrayEquals(
        bytes(10, 0, 0, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), file("values/c/1/1"));
  }

  @Test
  void edgeChunksArePaddedWithTheFillValue() throws IOException {
    writeThreeByFour(threeByFour().fillValue(7));
    assertEquals(7, json("values/zarr.json").get("fill_value").asInt());
    assertArrayEquals(
        bytes(10, 0, 0, 0, 11, 0, 0, 0, 7, 0, 0, 0, 7, 0, 0, 0), file("values/c/1/1"));
    assertArrayEquals(bytes(8, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 7, 0, 0, 0), file("values/c/1/0"));
  }

  @Test
  void negativeFillValueIsTwosComplement() throws IOException {
    writeThreeByFour(threeByFour().fillValue(-2));
    assertEquals(-2, json("values/zarr.json").get("fill_value").asInt());
    assertArrayEquals(
        bytes(10, 0, 0, 0, 11, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff),
        file("values/c/1/1"));
  }

  @Test
  void bigEndianChunksStoreTheMostSignificantByteFirst() throws IOException {
    writeThreeByFour(threeByFour().fillValue(7).byteOrder(ByteOrder.BIG_ENDIAN));
    assertEquals(
        JSON.readTree("[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"big\"}}]"),
        json("values/zarr.json").get("codecs"));
    assertArrayEquals(
        bytes(0, 0, 0, 10, 0, 0, 0, 11, 0, 0, 0, 7, 0, 0, 0, 7), file("values/c/1/1"));
    assertArrayEquals(bytes(0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 6, 0, 0, 0, 7), file("values/c/0/1"));
  }

  @Test
  void gzipChunksAreStandardGzip() throws IOException {
    writeThreeByFour(threeByFour().compression(ArraySpec.Compression.GZIP, 6));
    assertEquals(
        JSON.readTree(
            "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}},"
                + " {\"name\": \"gzip\", \"configuration\": {\"level\": 6}}]"),
        json("values/zarr.json").get("codecs"));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file("values/c/0/1")))) {
      assertArrayEquals(bytes(2, 0, 0, 0, 3, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0), in.readAllBytes());
    }
  }

  @Test
  void zstdChunksAreStandardZstd() throws IOException {
    writeThreeByFour(threeByFour().compression(ArraySpec.Compression.ZSTD, 3));
    assertEquals(
        JSON.readTree(
            "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}},"
                + " {\"name\": \"zstd\", \"configuration\": {\"level\": 3, \"checksum\": false}}]"),
        json("values/zarr.json").get("codecs"));
    assertArrayEquals(
        bytes(10, 0, 0, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        Zstd.decompress(file("values/c/1/1"), 16));
  }

  @Test
  void zarrJsonIsByteIdenticalAcrossWritesWithCodecKeysInDeclaredOrder() throws IOException {
    ArraySpec spec =
        threeByFour().shards(2, 4).compression(ArraySpec.Compression.ZSTD, 3).checksum(true);
    writeThreeByFour(spec);
    byte[] first = file("values/zarr.json");
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      store.delete("values");
    }
    writeThreeByFour(spec);
    // Identical but for the generation, which a new dataset draws at random (Publication.first).
    assertEquals(withoutGeneration(first), withoutGeneration(file("values/zarr.json")));
    // The order is fixed, not merely the same within this JVM: Map.of iterates in an order that
    // changes from one JVM to the next, which two writes in one JVM cannot show.
    String text = new String(first, java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s", "");
    assertTrue(text.contains("\"configuration\":{\"level\":3,\"checksum\":false}"), text);
    assertTrue(text.contains("{\"name\":\"sharding_indexed\",\"configuration\":{"), text);
    assertTrue(text.contains("\"chunk_grid\":{\"name\":\"regular\",\"configuration\""), text);
    assertTrue(
        text.contains("\"chunk_key_encoding\":{\"name\":\"default\",\"configuration\""), text);
    assertTrue(
        text.contains("{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}}"), text);
  }

  @Test
  void crc32cChunksEndWithTheLittleEndianChecksumOfTheData() throws IOException {
    writeThreeByFour(threeByFour().checksum(true));
    assertEquals(
        JSON.readTree(
            "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}},"
                + " {\"name\": \"crc32c\"}]"),
        json("values/zarr.json").get("codecs"));
    byte[] stored = file("values/c/0/0");
    assertEquals(20, stored.length);
    byte[] data = bytes(0, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0);
    assertArrayEquals(data, Arrays.copyOf(stored, 16));
    CRC32C crc = new CRC32C();
    crc.update(data);
    long c = crc.getValue();
    assertArrayEquals(
        bytes((int) c & 0xff, (int) (c >>> 8) & 0xff, (int) (c >>> 16) & 0xff, (int) (c >>> 24)),
        Arrays.copyOfRange(stored, 16, 20));
  }

  @Test
  void floatNanFillIsWrittenAsTheStringNaN() throws IOException {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      store
          .createDataset("f", ArraySpec.of(DataType.FLOAT32, 3).chunks(2).fillValue(Double.NaN))
          .write(new long[] {0}, NdArray.of(new float[] {1.0f, 2.0f, -0.5f}, 3));
    }
    assertEquals("NaN", json("f/zarr.json").get("fill_value").asText());
    assertEquals("float32", json("f/zarr.json").get("data_type").asText());
    // -0.5f = 0xBF000000, then the padding NaN = 0x7FC00000.
    assertArrayEquals(bytes(0, 0, 0, 0xbf, 0, 0, 0xc0, 0x7f), file("f/c/1"));
    assertArrayEquals(bytes(0, 0, 0x80, 0x3f, 0, 0, 0, 0x40), file("f/c/0"));
  }

  @Test
  void scalarArrayIsOneChunkAtKeyC() throws IOException {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      store
          .createDataset("s", ArraySpec.of(DataType.INT16))
          .write(new long[0], NdArray.wrap(DataType.INT16, new long[0], bytes(0x34, 0x12)));
      assertEquals(0x1234, store.dataset("s").read().getLong(0));
    }
    assertEquals(JSON.readTree("[]"), json("s/zarr.json").get("shape"));
    assertArrayEquals(bytes(0x34, 0x12), file("s/c"));
  }

  @Test
  void nestedDatasetsGetParentGroups() throws IOException {
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      store.createDataset("a/b/v", ArraySpec.of(DataType.UINT8, 2));
    }
    for (String group : List.of("zarr.json", "a/zarr.json", "a/b/zarr.json")) {
      assertEquals("group", json(group).get("node_type").asText(), group);
    }
    assertEquals("uint8", json("a/b/v/zarr.json").get("data_type").asText());
  }

  private static String withoutGeneration(byte[] zarrJson) {
    return new String(zarrJson, java.nio.charset.StandardCharsets.UTF_8)
        .replaceFirst("\"generation\"\\s*:\\s*\\d+", "\"generation\":G");
  }
}
