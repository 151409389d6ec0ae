package io.arraymorph.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Blosc frames built by hand from the format description: what each field means, and that every
 * field pointing outside the frame is refused naming Blosc before anything is allocated. (Frames
 * written by c-blosc itself are checked in ZarrV2ReadTest and the HDF5 fixture tests.)
 */
class BloscFrameTest {

  /** A frame header followed by {@code body}; the frame size field is the whole length. */
  private static byte[] frame(int flags, int typeSize, int nbytes, int blockSize, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(16 + body.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 2).put((byte) 1).put((byte) flags).put((byte) typeSize);
    b.putInt(nbytes).putInt(blockSize).putInt(16 + body.length).put(body);
    return b.array();
  }

  /** One block, one stream: the block offset (20), the stream size, the stream. */
  private static byte[] oneStream(byte[] stream) {
    ByteBuffer b = ByteBuffer.allocate(8 + stream.length).order(ByteOrder.LITTLE_ENDIAN);
    return b.putInt(20).putInt(stream.length).put(stream).array();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void blosclzLiteralsAndAnOverlappingMatchDecode() {
    // literal "abc" (first control byte carries the BloscLZ marker 0x20), a match of 5 bytes from
    // 3 back (overlapping its own output), then the literal "z".
    byte[] stream = {0x22, 'a', 'b', 'c', 0x60, 2, 0, 'z'};
    byte[] f = frame(0, 1, 9, 9, oneStream(stream));
    assertArrayEquals(ascii("abcabcabz"), BloscFrame.decode(f, 100));
  }

  @Test
  void blosclzFarMatchUsesSixteenBitDistance() {
    byte[] stream = new byte[2 + 32 * 33 + 5 + 2];
    int p = 0;
    byte[] expected = new byte[32 * 257 + 10];
    int o = 0;
    // 8224 literal bytes in runs of 32, then a match 8192 + 32 back of 9 bytes, then one literal.
    for (int run = 0; run < 257; run++) {
      stream = java.util.Arrays.copyOf(stream, Math.max(stream.length, p + 33 + 8));
      stream[p++] = (byte) (run == 0 ? 0x20 | 31 : 31);
      for (int i = 0; i < 32; i++) {
        byte v = (byte) (run * 7 + i * 13);
        stream[p++] = v;
        expected[o++] = v;
      }
    }
    stream[p++] =
        (byte) (((9 - 2) << 5) | 31); // length 9 (7 + 0 extension), 13-bit distance all ones
    stream[p++] = 0; // length extension
    stream[p++] = (byte) 255; // 255 with ofs 31<<8: a 16-bit distance follows
    stream[p++] = 0;
    stream[p++] = 32; // distance 8191 + 32 + 1 back
    stream[p++] = 0; // literal of one byte
    stream[p++] = 'z';
    int start = o - (8191 + 32 + 1);
    for (int i = 0; i < 9; i++) {
      expected[o++] = expected[start + i];
    }
    expected[o++] = 'z';
    byte[] want = java.util.Arrays.copyOf(expected, o);
    byte[] f = frame(0, 1, o, o, oneStream(java.util.Arrays.copyOf(stream, p)));
    assertArrayEquals(want, BloscFrame.decode(f, o));
  }

  @Test
  void memcpyedFrameIsTheDataAfterTheHeader() {
    byte[] f = frame(0x2 | 0x1, 4, 6, 6, ascii("abcdef"));
    assertArrayEquals(ascii("abcdef"), BloscFrame.decode(f, 6));
  }

  @Test
  void byteShuffledStoredStreamIsUnshuffled() {
    // two 2-byte elements stored raw (stream size == block size) and shuffled: low bytes, high
    // bytes
    byte[] f = frame(0x1, 2, 4, 4, oneStream(new byte[] {1, 2, 10, 20}));
    assertArrayEquals(new byte[] {1, 10, 2, 20}, BloscFrame.decode(f, 4));
  }

  private static void assertRefused(byte[] f, int max, String problem) {
    CodecException e = assertThrows(CodecException.class, () -> BloscFrame.decode(f, max));
    assertTrue(e.getMessage().contains("Blosc"), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void corruptHeadersAreRefusedNamingBlosc() {
    byte[] ok = frame(0, 1, 9, 9, oneStream(new byte[] {0x22, 'a', 'b', 'c', 0x60, 2, 0, 'z'}));
    assertRefused(java.util.Arrays.copyOf(ok, 10), 100, "shorter than its 16-byte header");
    assertRefused(ok, 8, "more than the 8");
    byte[] v3 = ok.clone();
    v3[0] = 3;
    assertRefused(v3, 100, "format version 3");
    byte[] reserved = ok.clone();
    reserved[2] = 0x8;
    assertRefused(reserved, 100, "reserved flag");
    byte[] codec7 = ok.clone();
    codec7[2] = (byte) 0xe0;
    assertRefused(codec7, 100, "codec number 7");
    byte[] longer = ok.clone();
    longer[12] = (byte) (ok.length + 1);
    assertRefused(longer, 100, "truncated");
    byte[] blocks = frame(0, 1, 9, 1, oneStream(new byte[] {0x22, 'a', 'b', 'c', 0x60, 2, 0, 'z'}));
    assertRefused(blocks, 100, "9 blocks");
    byte[] start = ok.clone();
    start[16] = 100;
    assertRefused(start, 100, "outside");
    byte[] stream = ok.clone();
    stream[20] = 100;
    assertRefused(stream, 100, "claims 100 bytes");
    byte[] copy = frame(0x2, 1, 7, 7, ascii("abcdef"));
    assertRefused(copy, 100, "plain copy");
    byte[] endsWithMatch = frame(0, 1, 8, 8, oneStream(new byte[] {0x22, 'a', 'b', 'c', 0x60, 2}));
    assertRefused(endsWithMatch, 100, "decodes to");
    byte[] backBeforeStart =
        frame(0, 1, 9, 9, oneStream(new byte[] {0x22, 'a', 'b', 'c', 0x60, 9, 0, 'z'}));
    assertRefused(backBeforeStart, 100, "an error");
  }
}
