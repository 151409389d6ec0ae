package io.arraymorph.kerchunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.arraymorph.codec.ZlibCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link RefChunkDecoder#decodePart}: exactly the part's bytes of the whole decoding, from a read
 * buffer that may be longer than the chunk and reused afterwards, for zlib (shuffled or not), for
 * chunks stored without codecs and for big-endian chunks.
 */
class RefChunkDecoderPartTest {
  private static final int N = 1000;

  private static RefChunkDecoder decoder(String dtype, String filters, String compressor) {
    String zarray =
        "{\"zarr_format\":2,\"shape\":["
            + N
            + "],\"chunks\":["
            + N
            + "],\"dtype\":\""
            + dtype
            + "\",\"order\":\"C\",\"fill_value\":0,\"filters\":"
            + filters
            + ",\"compressor\":"
            + compressor
            + "}";
    return RefChunkDecoder.parse(zarray.getBytes(StandardCharsets.UTF_8), "test/.zarray");
  }

  private static byte[] ints(ByteOrder order) {
    ByteBuffer b = ByteBuffer.allocate(4 * N).order(order);
    for (int i = 0; i < N; i++) {
      b.putInt(i * 7919 - 300_000);
    }
    return b.array();
  }

  private static byte[] shuffled(byte[] data) {
    byte[] out = new byte[data.length];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < 4; j++) {
        out[j * N + i] = data[i * 4 + j];
      }
    }
    return out;
  }

  /**
   * Decodes each part from {@code stored} (exact and in a longer buffer), checks it, then reuses
   * the buffer.
   */
  private static void assertParts(RefChunkDecoder d, byte[] stored, byte[] expected) {
    int[][] parts = {{0, 4}, {400, 404}, {4 * (N - 1), 4 * N}, {40, 2000}, {0, 4 * N}};
    for (byte[] buffer : new byte[][] {stored.clone(), Arrays.copyOf(stored, stored.length + 99)}) {
      for (int[] p : parts) {
        byte[] got = d.decodePart(() -> "k", buffer, stored.length, p[0], p[1]);
        Arrays.fill(buffer, (byte) 0x33); // the reader reuses its buffer for the next range
        assertArrayEquals(
            Arrays.copyOfRange(expected, p[0], p[1]), got, "bytes " + p[0] + ".." + p[1]);
        System.arraycopy(stored, 0, buffer, 0, stored.length);
      }
    }
  }

  @Test
  void zlibShuffledOrNotDecodesExactlyThePart() {
    byte[] raw = ints(ByteOrder.LITTLE_ENDIAN);
    String zlib = "{\"id\":\"zlib\",\"level\":4}";
    assertParts(decoder("<i4", "null", zlib), new ZlibCodec(4).encode(raw), raw);
    assertParts(
        decoder("<i4", "[{\"id\":\"shuffle\",\"elementsize\":4}]", zlib),
        new ZlibCodec(4).encode(shuffled(raw)),
        raw);
    // As kerchunk maps HDF5's filter pipeline: both as filters, no compressor.
    assertParts(
        decoder(
            "<i4",
            "[{\"id\":\"shuffle\",\"elementsize\":4},{\"id\":\"zlib\",\"level\":4}]",
            "null"),
        new ZlibCodec(4).encode(shuffled(raw)),
        raw);
  }

  @Test
  void aChunkWithoutCodecsIsCopiedOutOfTheReadBuffer() {
    byte[] raw = ints(ByteOrder.LITTLE_ENDIAN);
    assertParts(decoder("<i4", "null", "null"), raw, raw);
  }

  @Test
  void bigEndianChunksComeOutLittleEndian() {
    byte[] little = ints(ByteOrder.LITTLE_ENDIAN);
    byte[] big = ints(ByteOrder.BIG_ENDIAN);
    assertParts(decoder(">i4", "null", "null"), big, little);
    assertParts(
        decoder(">i4", "[{\"id\":\"shuffle\",\"elementsize\":4}]", "{\"id\":\"zlib\",\"level\":1}"),
        new ZlibCodec(1).encode(shuffled(big)),
        little);
  }

  @Test
  void aPartThatSplitsAnElementIsRefused() {
    byte[] raw = ints(ByteOrder.LITTLE_ENDIAN);
    assertThrows(
        IllegalArgumentException.class,
        () -> decoder("<i4", "null", "null").decodePart(() -> "k", raw, raw.length, 2, 6));
  }
}
