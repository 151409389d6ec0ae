package io.arraymorph.codec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code blosc} compressor: Zarr v2 / numcodecs ({@code {"id": "blosc", "cname": "lz4",
 * "clevel": 5, "shuffle": 1, "blocksize": 0}}, zarr-python 2's default) and the Zarr v3 codec
 * ({@code {"name": "blosc", "configuration": {"cname": "zstd", "clevel": 5, "shuffle": "shuffle",
 * "typesize": 4, "blocksize": 0}}}, zarr-python 3's default for numbers). Decoding reads each
 * chunk's self-describing frame ({@link BloscFrame}), so the configuration is kept only to describe
 * the array (and, for Zarr v3, to write its zarr.json back unchanged). ArrayMorph writes Zarr v3
 * with gzip or zstd, so this codec does not encode.
 */
public final class BloscCodec implements BytesCodec {
  private static final java.util.List<String> SHUFFLES =
      java.util.List.of("noshuffle", "shuffle", "bitshuffle");

  private final Map<String, Object> configuration;
  private final String shuffleName;

  /**
   * @param cname the inner codec the writer chose (blosclz, lz4, lz4hc, snappy, zlib, zstd)
   * @param shuffle 0 none, 1 byte, 2 bit, -1 automatic
   */
  public BloscCodec(String cname, int clevel, int shuffle, int blocksize) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("cname", cname);
    c.put("clevel", clevel);
    c.put("shuffle", shuffle);
    c.put("blocksize", blocksize);
    this.configuration = java.util.Collections.unmodifiableMap(c);
    this.shuffleName = shuffle >= 0 && shuffle <= 2 ? SHUFFLES.get(shuffle) : "autoshuffle";
  }

  private BloscCodec(Map<String, Object> configuration, String shuffleName) {
    this.configuration = java.util.Collections.unmodifiableMap(configuration);
    this.shuffleName = shuffleName;
  }

  /**
   * The Zarr v3 {@code blosc} codec from its zarr.json configuration.
   *
   * @throws IllegalArgumentException naming the field when the configuration is not one the Zarr v3
   *     blosc codec defines
   */
  public static BloscCodec zarrV3(com.fasterxml.jackson.databind.JsonNode config) {
    String cname = config.path("cname").asText("");
    if (!java.util.List.of("blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd").contains(cname)) {
      throw new IllegalArgumentException(
          "The 'blosc' codec's cname must be blosclz, lz4, lz4hc, snappy, zlib or zstd, not '"
              + cname
              + "'");
    }
    String shuffle = config.path("shuffle").asText("");
    if (!SHUFFLES.contains(shuffle)) {
      throw new IllegalArgumentException(
          "The 'blosc' codec's shuffle must be noshuffle, shuffle or bitshuffle, not '"
              + shuffle
              + "'");
    }
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("cname", cname);
    c.put("clevel", config.path("clevel").asInt(5));
    c.put("shuffle", shuffle);
    if (config.has("typesize")) {
      c.put("typesize", config.path("typesize").asInt());
    }
    c.put("blocksize", config.path("blocksize").asInt(0));
    return new BloscCodec(c, shuffle);
  }

  @Override
  public String name() {
    return "blosc";
  }

  /** E.g. {@code blosc(lz4, shuffle)}. */
  @Override
  public String toString() {
    return "blosc(" + configuration.get("cname") + ", " + shuffleName + ")";
  }

  /**
   * @throws UnsupportedOperationException always: ArrayMorph writes gzip or zstd
   */
  @Override
  public byte[] encode(byte[] data) {
    throw new UnsupportedOperationException(
        "Blosc encoding is not supported: ArrayMorph writes Zarr v3 with gzip or zstd");
  }

  @Override
  public byte[] decode(byte[] data, int maxDecodedSize) {
    return BloscFrame.decode(data, maxDecodedSize);
  }

  @Override
  public Map<String, Object> configuration() {
    return configuration;
  }
}
