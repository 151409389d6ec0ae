package io.arraymorph.codec;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Zarr v3 codec chain as supported here: the {@code bytes} array-to-bytes codec followed by any
 * of {@code gzip}, {@code zstd}, {@code blosc} (read only) and {@code crc32c}.
 */
public final class CodecPipeline {
  /** Codec names this pipeline understands, for error messages. */
  public static final String SUPPORTED = "bytes, gzip, zstd, blosc, crc32c";

  private final EndianCodec endian;
  private final List<BytesCodec> bytesCodecs;
  private final ShardingCodec sharding;

  public CodecPipeline(EndianCodec endian, List<BytesCodec> bytesCodecs) {
    this.endian = endian;
    this.bytesCodecs = List.copyOf(bytesCodecs);
    this.sharding = null;
  }

  /** A pipeline whose only codec is {@code sharding_indexed}. */
  public CodecPipeline(ShardingCodec sharding) {
    this.endian = null;
    this.bytesCodecs = List.of();
    this.sharding = sharding;
  }

  /** The sharding codec, or null when chunks are not sharded. */
  public ShardingCodec sharding() {
    return sharding;
  }

  /** Little-endian bytes and nothing else. */
  public static CodecPipeline raw() {
    return new CodecPipeline(new EndianCodec(ByteOrder.LITTLE_ENDIAN), List.of());
  }

  /**
   * Parses the {@code codecs} array of zarr.json.
   *
   * @throws IllegalArgumentException naming the codec when it is unknown, unsupported or misplaced
   */
  public static CodecPipeline fromJson(JsonNode codecs) {
    if (codecs == null || !codecs.isArray() || codecs.isEmpty()) {
      throw new IllegalArgumentException("'codecs' must be a non-empty array");
    }
    JsonNode first = codecs.get(0);
    if (first.path("name").asText().equals("sharding_indexed")) {
      if (codecs.size() > 1) {
        throw new IllegalArgumentException(
            "codecs after sharding_indexed are not supported; compress the inner chunks instead");
      }
      return new CodecPipeline(ShardingCodec.fromJson(first.path("configuration")));
    }
    EndianCodec endian = null;
    List<BytesCodec> bytesCodecs = new ArrayList<>();
    for (JsonNode codec : codecs) {
      String name = codec.isTextual() ? codec.asText() : codec.path("name").asText("");
      JsonNode config = codec.path("configuration");
      switch (name) {
        case "bytes" -> {
          if (endian != null || !bytesCodecs.isEmpty()) {
            throw new IllegalArgumentException("The 'bytes' codec must come first, and once");
          }
          String e = config.path("endian").asText("little");
          if (!e.equals("big") && !e.equals("little")) {
            throw new IllegalArgumentException(
                "The 'bytes' codec's endian must be 'little' or 'big', not '" + e + "'");
          }
          endian =
              new EndianCodec(e.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        }
        case "gzip" -> bytesCodecs.add(new GzipCodec(config.path("level").asInt(5)));
        case "zstd" ->
            bytesCodecs.add(
                new ZstdCodec(config.path("level").asInt(0), config.path("checksum").asBoolean()));
        case "crc32c" -> bytesCodecs.add(new Crc32cCodec());
        case "sharding_indexed" ->
            throw new IllegalArgumentException("sharding_indexed must be the only codec");
        case "blosc" -> bytesCodecs.add(BloscCodec.zarrV3(config));
        case "transpose" ->
            throw new IllegalArgumentException(
                "The '" + name + "' codec is not supported yet; supported: " + SUPPORTED);
        default ->
            throw new IllegalArgumentException(
                "Unknown codec '" + name + "'; supported: " + SUPPORTED);
      }
      if (endian == null) {
        throw new IllegalArgumentException(
            "The first codec must be 'bytes' (array-to-bytes); found '" + name + "'");
      }
    }
    return new CodecPipeline(endian, bytesCodecs);
  }

  /** The {@code codecs} array for zarr.json. */
  public List<Map<String, Object>> toJson() {
    if (sharding != null) {
      return List.of(sharding.toJson());
    }
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(
        codecJson(
            "bytes", Map.of("endian", endian.order() == ByteOrder.BIG_ENDIAN ? "big" : "little")));
    for (BytesCodec c : bytesCodecs) {
      out.add(codecJson(c.name(), c.configuration()));
    }
    return out;
  }

  /**
   * A codec's zarr.json entry, name first. Ordered (never Map.of, which iterates in a per-JVM
   * order) so that zarr.json is byte-identical from run to run.
   */
  static Map<String, Object> codecJson(String name, Map<String, Object> config) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    if (!config.isEmpty()) {
      m.put("configuration", config);
    }
    return m;
  }

  /** Encodes a chunk given as little-endian elements. */
  public byte[] encode(byte[] littleEndianChunk, int elementSize) {
    requireUnsharded();
    byte[] data = endian.encode(littleEndianChunk, elementSize);
    for (BytesCodec c : bytesCodecs) {
      data = c.encode(data);
    }
    return data;
  }

  /**
   * Decodes a stored chunk into little-endian elements.
   *
   * @throws CodecException when it is corrupt or does not hold exactly {@code expectedBytes}
   */
  public byte[] decode(byte[] stored, int elementSize, int expectedBytes) {
    requireUnsharded();
    byte[] data = stored;
    for (int i = bytesCodecs.size() - 1; i >= 0; i--) {
      data = bytesCodecs.get(i).decode(data, expectedBytes + 4 * i + 4);
    }
    if (data.length != expectedBytes) {
      throw new CodecException(
          "decodes to " + data.length + " bytes where the chunk shape needs " + expectedBytes);
    }
    return endian.decode(data, elementSize);
  }

  /** Converts the bytes of an uncompressed chunk, read in pieces, to little-endian in place. */
  public byte[] decodeUncompressed(byte[] stored, int elementSize) {
    return endian.decode(stored, elementSize);
  }

  private void requireUnsharded() {
    if (sharding != null) {
      throw new IllegalStateException("sharded chunks are encoded by ShardingCodec");
    }
  }

  /**
   * The names of the compressing codecs chunks pass through ({@code gzip}, {@code zstd}), inside
   * the shards for a sharded array; empty when chunks are stored uncompressed.
   */
  public List<String> compressorNames() {
    if (sharding != null) {
      return sharding.inner().compressorNames();
    }
    List<String> out = new ArrayList<>();
    for (BytesCodec c : bytesCodecs) {
      if (!(c instanceof Crc32cCodec)) {
        out.add(c.name());
      }
    }
    return out;
  }

  /**
   * Whether a stored chunk is already its decoded bytes (unsharded, uncompressed, little-endian or
   * single-byte elements), so it can be copied into place straight from the store's buffer.
   */
  public boolean storesDecodedBytes(int elementSize) {
    return isUncompressed() && (elementSize == 1 || endian.order() == ByteOrder.LITTLE_ENDIAN);
  }

  /** Whether chunks are stored as plain little- or big-endian bytes, so byte ranges can be read. */
  public boolean isUncompressed() {
    return sharding == null && bytesCodecs.isEmpty();
  }

  /** A short description, e.g. {@code bytes(little), zstd(level=3)}. */
  public String describe() {
    if (sharding != null) {
      return "sharding_indexed(chunks="
          + java.util.Arrays.toString(sharding.innerShape())
          + ", index at "
          + (sharding.indexAtEnd() ? "end" : "start")
          + ": "
          + sharding.inner().describe()
          + ")";
    }
    StringBuilder sb =
        new StringBuilder(
            "bytes(" + (endian.order() == ByteOrder.BIG_ENDIAN ? "big" : "little") + ")");
    for (BytesCodec c : bytesCodecs) {
      sb.append(", ").append(c.name());
      if (!c.configuration().isEmpty()) {
        sb.append(c.configuration());
      }
    }
    return sb.toString();
  }
}
