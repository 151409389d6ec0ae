package io.arraymorph.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;

/** The Zarr v3 {@code crc32c} codec: a little-endian CRC32C of the data appended to it. */
public final class Crc32cCodec implements BytesCodec {
  @Override
  public String name() {
    return "crc32c";
  }

  @Override
  public byte[] encode(byte[] data) {
    byte[] out = Arrays.copyOf(data, data.length + 4);
    ByteBuffer.wrap(out)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(data.length, checksum(data, data.length));
    return out;
  }

  @Override
  public byte[] decode(byte[] data, int maxDecodedSize) {
    if (data.length < 4) {
      throw new CodecException(
          "Chunk too short for its crc32c checksum (" + data.length + " bytes)");
    }
    int n = data.length - 4;
    int stored = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getInt(n);
    int actual = checksum(data, n);
    if (stored != actual) {
      throw new CodecException(
          String.format("crc32c checksum mismatch: stored %08x, computed %08x", stored, actual));
    }
    return Arrays.copyOf(data, n);
  }

  private static int checksum(byte[] data, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, 0, length);
    return (int) crc.getValue();
  }

  @Override
  public Map<String, Object> configuration() {
    return Map.of();
  }
}
