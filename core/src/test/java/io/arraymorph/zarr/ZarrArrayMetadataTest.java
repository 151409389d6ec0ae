package io.arraymorph.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.array.DataType;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZarrArrayMetadataTest {
  private static ZarrArrayMetadata parse(String json) {
    return ZarrArrayMetadata.parse(json.getBytes(StandardCharsets.UTF_8), "x/zarr.json");
  }

  private static String meta(String dataType, String fill, String keyEncoding, String codecs) {
    return """
        {"zarr_format": 3, "node_type": "array", "shape": [6, 5], "data_type": "%s",
         "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [4, 2]}},
         "chunk_key_encoding": %s, "fill_value": %s, "codecs": %s}
        """
        .formatted(dataType, keyEncoding, fill, codecs);
  }

  private static final String LITTLE =
      "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"little\"}}]";
  private static final String DEFAULT_KEYS = "{\"name\": \"default\"}";

  @Test
  void writtenMetadataParsesBackToTheSameArray() {
    ZarrArrayMetadata m =
        ZarrArrayMetadata.fromSpec(
            ArraySpec.of(DataType.UINT16, 6, 5)
                .chunks(4, 2)
                .fillValue(65535)
                .byteOrder(ByteOrder.BIG_ENDIAN)
                .compression(ArraySpec.Compression.GZIP, 2)
                .checksum(true)
                .dimensionNames("a", "b")
                .attributes(Map.of("k", List.of(1, "two"))));
    ZarrArrayMetadata back = ZarrArrayMetadata.parse(m.toJson(), "k");
    assertArrayEquals(new long[] {6, 5}, back.shape());
    assertArrayEquals(new int[] {4, 2}, back.chunkShape());
    assertEquals(DataType.UINT16, back.dataType());
    assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff}, back.fillValue());
    assertEquals("bytes(big), gzip{level=2}, crc32c", back.codecs().describe());
    assertEquals(List.of("a", "b"), back.dimensionNames());
    assertEquals(Map.of("k", List.of(1, "two")), back.attributes());
  }

  @Test
  void chunkKeysFollowTheKeyEncoding() {
    long[] coords = {1, 23};
    assertEquals("c/1/23", parse(meta("int8", "0", DEFAULT_KEYS, LITTLE)).chunkKey(coords));
    assertEquals(
        "c.1.23",
        parse(
                meta(
                    "int8",
                    "0",
                    "{\"name\": \"default\", \"configuration\": {\"separator\": \".\"}}",
                    LITTLE))
            .chunkKey(coords));
    assertEquals("1.23", parse(meta("int8", "0", "{\"name\": \"v2\"}", LITTLE)).chunkKey(coords));
    assertEquals(
        "1/23",
        parse(
                meta(
                    "int8",
                    "0",
                    "{\"name\": \"v2\", \"configuration\": {\"separator\": \"/\"}}",
                    LITTLE))
            .chunkKey(coords));
  }

  @Test
  void fillValuesOutsideTheTypeAreRejected() {
    for (String[] c :
        new String[][] {
          {"uint8", "256"},
          {"uint8", "-1"},
          {"int8", "128"},
          {"int16", "-32769"},
          {"uint64", "18446744073709551616"},
          {"int64", "9223372036854775808"}
        }) {
      ArrayMorphException e =
          assertThrows(
              ArrayMorphException.class,
              () -> parse(meta(c[0], c[1], DEFAULT_KEYS, LITTLE)),
              c[0] + " " + c[1]);
      assertTrue(e.getMessage().contains("fill_value"), e.getMessage());
    }
    assertArrayEquals(
        new byte[] {(byte) 0xff}, parse(meta("uint8", "255", DEFAULT_KEYS, LITTLE)).fillValue());
    assertArrayEquals(
        new byte[] {(byte) 0x80}, parse(meta("int8", "-128", DEFAULT_KEYS, LITTLE)).fillValue());
  }

  @Test
  void unknownEndianIsRejected() {
    ArrayMorphException e =
        assertThrows(
            ArrayMorphException.class,
            () ->
                parse(
                    meta(
                        "int32",
                        "0",
                        DEFAULT_KEYS,
                        "[{\"name\": \"bytes\", \"configuration\": {\"endian\": \"middle\"}}]")));
    assertTrue(e.getMessage().contains("'middle'"), e.getMessage());
  }

  @Test
  void extensionsThatMustBeUnderstoodAreRejected() {
    String base = meta("int32", "0", DEFAULT_KEYS, LITTLE);
    String withExtension = base.substring(0, base.lastIndexOf('}')) + ", \"my_ext\": {\"x\": 1}}";
    ArrayMorphException e = assertThrows(ArrayMorphException.class, () -> parse(withExtension));
    assertTrue(e.getMessage().contains("'my_ext'"), e.getMessage());
    String optional =
        base.substring(0, base.lastIndexOf('}')) + ", \"my_ext\": {\"must_understand\": false}}";
    assertEquals(DataType.INT32, parse(optional).dataType());
  }
}
