package io.arraymorph.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** The Zarr v3 {@code gzip} codec (RFC 1952), with the JDK's zlib. */
public final class GzipCodec implements BytesCodec {
  private final int level;

  /** A codec at compression level 0-9. */
  public GzipCodec(int level) {
    if (level < 0 || level > 9) {
      throw new IllegalArgumentException("gzip level must be 0-9, not " + level);
    }
    this.level = level;
  }

  @Override
  public String name() {
    return "gzip";
  }

  @Override
  public byte[] encode(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    try (GZIPOutputStream gz = new LeveledGzipStream(out, level)) {
      gz.write(data);
    } catch (IOException e) {
      throw new CodecException("gzip compression failed", e);
    }
    return out.toByteArray();
  }

  @Override
  public byte[] decode(byte[] data, int maxDecodedSize) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return Streams.readBounded(in, maxDecodedSize, "gzip");
    } catch (IOException e) {
      throw new CodecException("Corrupt gzip data: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Object> configuration() {
    return Map.of("level", level);
  }

  private static final class LeveledGzipStream extends GZIPOutputStream {
    LeveledGzipStream(ByteArrayOutputStream out, int level) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(level == 0 ? Deflater.NO_COMPRESSION : level);
    }
  }
}
