package io.arraymorph.codec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Zarr v2 / numcodecs {@code blosc} compressor ({@code {"id": "blosc", "cname": "lz4",
 * "clevel": 5, "shuffle": 1, "blocksize": 0}}, zarr-python 2's default). Decoding reads each
 * chunk's self-describing frame ({@link BloscFrame}), so the configuration is kept only to describe
 * the array. ArrayMorph writes Zarr v3 with gzip or zstd, so this codec does not encode.
 */
public final class BloscCodec implements BytesCodec {
  private final Map<String, Object> configuration;

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
    this.configuration = Map.copyOf(c);
  }

  @Override
  public String name() {
    return "blosc";
  }

  /** E.g. {@code blosc(lz4, shuffle)}. */
  @Override
  public String toString() {
    Object shuffle = configuration.get("shuffle");
    String s =
        switch ((Integer) shuffle) {
          case 0 -> "noshuffle";
          case 1 -> "shuffle";
          case 2 -> "bitshuffle";
          default -> "autoshuffle";
        };
    return "blosc(" + configuration.get("cname") + ", " + s + ")";
  }

  /**
   * @throws UnsupportedOperationException always: Zarr v2 arrays are read-only here
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
