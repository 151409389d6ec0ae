package io.arraymorph.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** The zlib (RFC 1950) compressor of Zarr v2 and numcodecs, inflated by {@link ZlibDecoder}. */
public final class ZlibCodec implements BytesCodec {
  private final int level;

  public ZlibCodec(int level) {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("zlib level must be 0-9, not " + level);
    }
    this.level = level;
  }

  @Override
  public String name() {
    return "zlib";
  }

  @Override
  public byte[] encode(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    Deflater deflater = new Deflater(level);
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, deflater)) {
      z.write(data);
    } catch (IOException e) {
      throw new CodecException("zlib compression failed", e);
    } finally {
      deflater.end();
    }
    return out.toByteArray();
  }

  /** Inflates with {@link ZlibDecoder} (libdeflate where it loads, else the JDK). */
  @Override
  public byte[] decode(byte[] data, int maxDecodedSize) {
    return ZlibDecoder.inflate(data, maxDecodedSize);
  }

  @Override
  public Map<String, Object> configuration() {
    return Map.of("level", level);
  }
}
