package io.arraymorph.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Zarr v3 {@code zstd} codec, on zstd-jni (the zstd library Spark itself ships). */
public final class ZstdCodec implements BytesCodec {
  private final int level;
  private final boolean checksum;

  public ZstdCodec(int level, boolean checksum) {
    if (level < -131072 || level > 22) {
      throw new IllegalArgumentException("zstd level must be at most 22, not " + level);
    }
    this.level = level;
    this.checksum = checksum;
  }

  @Override
  public String name() {
    return "zstd";
  }

  @Override
  public byte[] encode(byte[] data) {
    try (com.github.luben.zstd.ZstdCompressCtx ctx = new com.github.luben.zstd.ZstdCompressCtx()) {
      ctx.setLevel(level);
      ctx.setChecksum(checksum);
      return ctx.compress(data);
    }
  }

  @Override
  public byte[] decode(byte[] data, int maxDecodedSize) {
    try {
      long declared = Zstd.getFrameContentSize(data);
      if (declared > maxDecodedSize) {
        throw new CodecException(
            "zstd frame declares "
                + declared
                + " bytes, more than the "
                + maxDecodedSize
                + " a chunk can hold");
      }
      if (declared >= 0) {
        byte[] out = Zstd.decompress(data, (int) declared);
        if (out.length != declared) {
          throw new CodecException("Truncated zstd data");
        }
        return out;
      }
      try (ZstdInputStream in = new ZstdInputStream(new ByteArrayInputStream(data))) {
        return Streams.readBounded(in, maxDecodedSize, "zstd");
      }
    } catch (ZstdException | IOException e) {
      throw new CodecException("Corrupt zstd data: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Object> configuration() {
    // Ordered: zarr.json must be byte-identical from run to run (Map.of iterates in a per-JVM
    // order).
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("level", level);
    config.put("checksum", checksum);
    return config;
  }
}
