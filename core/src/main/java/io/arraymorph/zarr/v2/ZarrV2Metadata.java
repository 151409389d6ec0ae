package io.arraymorph.zarr.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.codec.BloscCodec;
import io.arraymorph.codec.BytesCodec;
import io.arraymorph.codec.GzipCodec;
import io.arraymorph.codec.ZlibCodec;
import io.arraymorph.codec.ZstdCodec;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The metadata of a Zarr v2 array, from its {@code .zarray}: shape, chunks, a NumPy-style dtype
 * such as {@code <f4}, a compressor, C or F order, fill value and key separator.
 */
public record ZarrV2Metadata(
    long[] shape,
    int[] chunks,
    DataType dataType,
    ByteOrder byteOrder,
    BytesCodec compressor,
    boolean fortranOrder,
    byte[] fillValue,
    String separator) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The chunk grid. */
  public ChunkGrid grid() {
    return new ChunkGrid(shape, chunks);
  }

  /** A chunk's key relative to the array, e.g. {@code 1.2}. */
  public String chunkKey(long[] coords) {
    if (coords.length == 0) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    for (long c : coords) {
      if (sb.length() > 0) {
        sb.append(separator);
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /**
   * Parses a {@code .zarray} document.
   *
   * @throws ArrayMorphException naming the key and the problem (unsupported dtype, compressor,
   *     filters)
   */
  public static ZarrV2Metadata parse(byte[] json, String key) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt metadata at '" + key + "': " + e.getMessage(), e);
    }
    try {
      if (root == null || root.path("zarr_format").asInt() != 2) {
        throw new IllegalArgumentException("zarr_format must be 2");
      }
      long[] shape = longs(root.path("shape"), "shape");
      long[] chunkLongs = longs(root.path("chunks"), "chunks");
      int[] chunks = new int[chunkLongs.length];
      for (int d = 0; d < chunks.length; d++) {
        chunks[d] = Math.toIntExact(chunkLongs[d]);
      }
      new ChunkGrid(shape, chunks);
      String dtype = root.path("dtype").asText();
      DataType type = parseDtype(dtype);
      ByteOrder order = dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
      JsonNode filters = root.path("filters");
      if (filters.isArray() && !filters.isEmpty()) {
        throw new IllegalArgumentException(
            "filters " + filters + " are not supported; only arrays without filters can be read");
      }
      String orderName = root.path("order").asText("C");
      if (!orderName.equals("C") && !orderName.equals("F")) {
        throw new IllegalArgumentException("order must be C or F, not " + orderName);
      }
      String separator = root.path("dimension_separator").asText(".");
      return new ZarrV2Metadata(
          shape,
          chunks,
          type,
          order,
          compressor(root.path("compressor")),
          orderName.equals("F"),
          fillValue(root.path("fill_value"), type),
          separator);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ArrayMorphException(
          "Invalid Zarr v2 metadata at '" + key + "': " + e.getMessage(), e);
    }
  }

  static DataType parseDtype(String dtype) {
    if (dtype.length() < 3 || "<>|".indexOf(dtype.charAt(0)) < 0) {
      throw new IllegalArgumentException("unsupported dtype '" + dtype + "'");
    }
    char kind = dtype.charAt(1);
    String size = dtype.substring(2);
    DataType t =
        switch (kind + size) {
          case "b1" -> DataType.BOOL;
          case "i1" -> DataType.INT8;
          case "i2" -> DataType.INT16;
          case "i4" -> DataType.INT32;
          case "i8" -> DataType.INT64;
          case "u1" -> DataType.UINT8;
          case "u2" -> DataType.UINT16;
          case "u4" -> DataType.UINT32;
          case "u8" -> DataType.UINT64;
          case "f2" -> DataType.FLOAT16;
          case "f4" -> DataType.FLOAT32;
          case "f8" -> DataType.FLOAT64;
          default -> null;
        };
    if (t == null) {
      throw new IllegalArgumentException(
          "unsupported dtype '" + dtype + "' (supported: b1, i1-i8, u1-u8, f2, f4, f8)");
    }
    return t;
  }

  private static BytesCodec compressor(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    String id = node.path("id").asText();
    return switch (id) {
      case "zlib" -> new ZlibCodec(node.path("level").asInt(1));
      case "gzip" -> new GzipCodec(node.path("level").asInt(1));
      case "zstd" -> new ZstdCodec(node.path("level").asInt(1), false);
      case "blosc" ->
          new BloscCodec(
              node.path("cname").asText("lz4"),
              node.path("clevel").asInt(5),
              node.path("shuffle").asInt(1),
              node.path("blocksize").asInt(0));
      default ->
          throw new IllegalArgumentException(
              "compressor '"
                  + id
                  + "' is not supported (supported: blosc, zlib, gzip, zstd): re-encode the array"
                  + " with one of them");
    };
  }

  private static byte[] fillValue(JsonNode node, DataType type) {
    NdArray one = NdArray.allocate(type, 1);
    if (node.isNull() || node.isMissingNode()) {
      return one.bytes();
    }
    if (node.isTextual()) {
      switch (node.asText()) {
        case "NaN" -> one.setDouble(0, Double.NaN);
        case "Infinity" -> one.setDouble(0, Double.POSITIVE_INFINITY);
        case "-Infinity" -> one.setDouble(0, Double.NEGATIVE_INFINITY);
        default ->
            throw new IllegalArgumentException("unsupported fill_value " + node + " for " + type);
      }
    } else if (node.isBoolean()) {
      one.setLong(0, node.asBoolean() ? 1 : 0);
    } else if (type.isFloatingPoint()) {
      one.setDouble(0, node.asDouble());
    } else {
      one.setLong(0, node.bigIntegerValue().longValue());
    }
    return one.bytes();
  }

  private static long[] longs(JsonNode node, String field) {
    if (!node.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array of integers");
    }
    long[] out = new long[node.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = node.get(i).asLong(-1);
      if (out[i] < 0) {
        throw new IllegalArgumentException("'" + field + "' must hold non-negative integers");
      }
    }
    return out;
  }

  /** The attributes from a {@code .zattrs} document, empty when absent. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parseAttributes(byte[] json, String key) {
    try {
      return MAPPER.readValue(json, Map.class);
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt attributes at '" + key + "': " + e.getMessage(), e);
    }
  }
}
