package io.arraymorph.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fulcrumgenomics.jlibdeflate.LibdeflateDecompressor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ZlibDecoder}: libdeflate and the JDK decode alike, a part of a chunk decodes to the whole
 * decode's bytes, and bad streams (truncated, corrupt, zip bombs) are refused by every path.
 */
class ZlibDecoderTest {

  /** Floats like a climate field: noisy mantissas, so they compress about 2:1, as granules do. */
  private static byte[] field(int elements, long seed) {
    Random r = new Random(seed);
    ByteBuffer b = ByteBuffer.allocate(elements * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < elements; i++) {
      b.putFloat((float) (280 + r.nextGaussian()));
    }
    return b.array();
  }

  private static byte[] shuffled(byte[] data, int size) {
    int n = data.length / size;
    byte[] out = new byte[data.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < size; j++) {
        out[j * n + i] = data[i * size + j];
      }
    }
    return out;
  }

  private static byte[] zlib(byte[] data) {
    return new ZlibCodec(4).encode(data);
  }

  @Test
  void libdeflateLoadsOnLinuxX8664() {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux")
            && System.getProperty("os.arch").equals("amd64"));
    assertTrue(ZlibDecoder.usesLibdeflate(), "jlibdeflate bundles linux x86_64 natives");
  }

  @Test
  void libdeflateAndTheJdkDecodeTheSameBytes() {
    assumeTrue(ZlibDecoder.usesLibdeflate());
    LibdeflateDecompressor libdeflate = new LibdeflateDecompressor();
    for (int elements : new int[] {0, 1, 1000, 16200, 300_000}) {
      byte[] raw = field(elements, elements);
      byte[] z = zlib(raw);
      assertArrayEquals(raw, ZlibDecoder.withJdk(z, raw.length), "jdk " + elements);
      assertArrayEquals(
          raw, ZlibDecoder.withLibdeflate(libdeflate, z, raw.length), "libdeflate " + elements);
      // A bound above the size decodes the same, at the exact size.
      assertArrayEquals(raw, ZlibDecoder.withLibdeflate(libdeflate, z, raw.length + 4096));
      assertArrayEquals(raw, ZlibDecoder.inflate(z, raw.length + 4096));
    }
  }

  @Test
  void aNeededPartEqualsTheWholeDecodeShuffledOrNot() {
    byte[] raw = field(16200, 11);
    int chunkBytes = raw.length;
    long[][] parts = {
      {0, 4},
      {396, 400},
      {4 * 4050, 4 * 4051},
      {4 * 100, 4 * 8000},
      {4 * 16199, 4 * 16200},
      {0, 4 * 16200}
    };
    for (int shuffle : new int[] {1, 4}) {
      byte[] z = zlib(shuffle == 1 ? raw : shuffled(raw, shuffle));
      for (long[] part : parts) {
        byte[] got =
            ZlibDecoder.inflateNeeded(z, chunkBytes, chunkBytes + 4096, shuffle, part[0], part[1]);
        String what = "shuffle " + shuffle + ", bytes " + part[0] + ".." + part[1];
        assertEquals(chunkBytes, got.length, what);
        for (int b = 0; b < chunkBytes; b++) {
          if (b >= part[0] && b < part[1]) {
            assertEquals(raw[b], got[b], what + ": byte " + b);
          } else if (got[b] != 0 && got[b] != raw[b]) {
            // Outside the part: the whole decoding's byte or zero, never anything else.
            assertEquals(raw[b], got[b], what + ": byte " + b + " outside the part");
          }
        }
      }
    }
    // A shuffle that does not divide the chunk is left to the caller's whole decode.
    assertNull(ZlibDecoder.inflateNeeded(zlib(raw), chunkBytes, chunkBytes, 7, 0, 4));
  }

  @Test
  void aNeededPartInflatedByTheJdkEqualsTheWholeDecode() {
    // A bound above libdeflate's limit inflates with the JDK into an array of its own (libdeflate
    // inflates into the thread's reused buffer): both give the whole decode's bytes over the part.
    byte[] raw = field(16200, 13);
    int chunkBytes = raw.length;
    int beyondLibdeflate = (64 << 20) + 1;
    for (int shuffle : new int[] {1, 4}) {
      byte[] z = zlib(shuffle == 1 ? raw : shuffled(raw, shuffle));
      for (long[] part : new long[][] {{4 * 4050, 4 * 4051}, {0, 4 * 16200}}) {
        byte[] jdk =
            ZlibDecoder.inflateNeeded(z, chunkBytes, beyondLibdeflate, shuffle, part[0], part[1]);
        byte[] scratch =
            ZlibDecoder.inflateNeeded(z, chunkBytes, chunkBytes + 4096, shuffle, part[0], part[1]);
        String what = "shuffle " + shuffle + ", bytes " + part[0] + ".." + part[1];
        assertEquals(chunkBytes, jdk.length, what);
        assertArrayEquals(
            Arrays.copyOfRange(raw, (int) part[0], (int) part[1]),
            Arrays.copyOfRange(jdk, (int) part[0], (int) part[1]),
            what);
        assertArrayEquals(
            Arrays.copyOfRange(raw, (int) part[0], (int) part[1]),
            Arrays.copyOfRange(scratch, (int) part[0], (int) part[1]),
            what);
      }
    }
  }

  @Test
  void consecutiveNeededPartsDoNotShareTheirBuffers() {
    // The reused inflate buffer must never leak into a returned chunk: a second decode on the
    // same thread leaves the first one's bytes as they were.
    byte[] a = field(16200, 21);
    byte[] b = field(16200, 22);
    int chunkBytes = a.length;
    for (int shuffle : new int[] {1, 4}) {
      byte[] first =
          ZlibDecoder.inflateNeeded(
              zlib(shuffle == 1 ? a : shuffled(a, shuffle)),
              chunkBytes,
              chunkBytes + 4096,
              shuffle,
              0,
              chunkBytes);
      byte[] second =
          ZlibDecoder.inflateNeeded(
              zlib(shuffle == 1 ? b : shuffled(b, shuffle)),
              chunkBytes,
              chunkBytes + 4096,
              shuffle,
              0,
              chunkBytes);
      assertArrayEquals(a, first, "shuffle " + shuffle);
      assertArrayEquals(b, second, "shuffle " + shuffle);
      assertArrayEquals(a, ZlibDecoder.inflate(zlib(a), chunkBytes + 4096));
    }
  }

  @Test
  void aPartIsExactlyThoseBytesOfTheWholeDecodeReadFromALargerBuffer() {
    byte[] raw = field(16200, 17);
    int chunkBytes = raw.length;
    int beyondLibdeflate = (64 << 20) + 1;
    int[][] parts = {
      {0, 4}, {396, 400}, {4 * 100, 4 * 8000}, {4 * 16199, 4 * 16200}, {1, 7}, {0, 0}
    };
    for (int shuffle : new int[] {1, 4}) {
      byte[] z = zlib(shuffle == 1 ? raw : shuffled(raw, shuffle));
      // A reused read buffer: the stream, then bytes of an earlier, longer read.
      byte[] buffer = Arrays.copyOf(z, z.length + 5000);
      Arrays.fill(buffer, z.length, buffer.length, (byte) 0x5a);
      for (int max : new int[] {chunkBytes + 4096, beyondLibdeflate}) {
        for (int[] part : parts) {
          String what =
              "shuffle " + shuffle + ", max " + max + ", bytes " + part[0] + ".." + part[1];
          assertArrayEquals(
              Arrays.copyOfRange(raw, part[0], part[1]),
              ZlibDecoder.inflatePart(buffer, z.length, chunkBytes, max, shuffle, part[0], part[1]),
              what);
        }
        assertArrayEquals(
            raw,
            ZlibDecoder.inflatePart(buffer, z.length, chunkBytes, max, shuffle, 0, chunkBytes));
      }
    }
    assertNull(
        ZlibDecoder.inflatePart(zlib(raw), zlib(raw).length, chunkBytes, chunkBytes, 7, 0, 4));
    byte[] z = zlib(raw);
    assertThrows(
        IllegalArgumentException.class,
        () -> ZlibDecoder.inflatePart(z, z.length, chunkBytes, chunkBytes, 4, 0, chunkBytes + 4));
  }

  @Test
  void aPartOfACutOrCorruptStreamIsRefused() {
    byte[] raw = field(16200, 19);
    byte[] z = zlib(shuffled(raw, 4));
    // Cut: the buffer holds the whole stream, but the read returned only its first half.
    assertThrows(
        CodecException.class,
        () -> ZlibDecoder.inflatePart(z, z.length / 2, raw.length, raw.length, 4, 0, 4));
    byte[] flipped = z.clone();
    flipped[flipped.length - 1] ^= 1; // the Adler-32
    assertThrows(
        CodecException.class,
        () -> ZlibDecoder.inflatePart(flipped, flipped.length, raw.length, raw.length, 4, 0, 4));
    // A stream of another chunk size.
    assertThrows(
        CodecException.class,
        () -> ZlibDecoder.inflatePart(z, z.length, raw.length - 4, raw.length, 4, 0, 4));
  }

  @Test
  void truncatedStreamsAreRefusedByEveryPath() {
    byte[] raw = field(16200, 5);
    byte[] z = zlib(raw);
    byte[] cut = Arrays.copyOf(z, z.length / 2);
    assertThrows(CodecException.class, () -> ZlibDecoder.withJdk(cut, raw.length));
    assertThrows(CodecException.class, () -> ZlibDecoder.inflate(cut, raw.length));
    // A needed part before the cut is still refused: the stream is inflated and checked whole.
    assertThrows(
        CodecException.class,
        () -> ZlibDecoder.inflateNeeded(cut, raw.length, raw.length, 1, 0, 4));
    // A needed part decoded whole (the last element, shuffled) from a cut stream.
    assertThrows(
        CodecException.class,
        () -> ZlibDecoder.inflateNeeded(cut, raw.length, raw.length, 4, 64796, 64800));
    if (ZlibDecoder.usesLibdeflate()) {
      LibdeflateDecompressor libdeflate = new LibdeflateDecompressor();
      CodecException e =
          assertThrows(
              CodecException.class, () -> ZlibDecoder.withLibdeflate(libdeflate, cut, raw.length));
      assertTrue(e.getMessage().contains("Corrupt zlib data"), e.getMessage());
    }
  }

  @Test
  void aWrongChecksumIsRefusedEvenWhenOnlyAPartIsNeeded() {
    byte[] raw = field(1000, 9);
    byte[] z = zlib(raw);
    z[z.length - 1] ^= 1;
    assertThrows(CodecException.class, () -> ZlibDecoder.inflate(z, raw.length));
    assertThrows(CodecException.class, () -> ZlibDecoder.withJdk(z, raw.length));
    assertThrows(
        CodecException.class, () -> ZlibDecoder.inflateNeeded(z, raw.length, raw.length, 1, 0, 4));
  }

  @Test
  void aZipBombIsRefusedWithoutInflatingItAll() {
    byte[] bomb = zlib(new byte[64 << 20]);
    int bound = 1 << 20;
    CodecException e = assertThrows(CodecException.class, () -> ZlibDecoder.inflate(bomb, bound));
    assertTrue(e.getMessage().contains("more than the " + bound + " bytes"), e.getMessage());
    assertThrows(CodecException.class, () -> ZlibDecoder.withJdk(bomb, bound));
    if (ZlibDecoder.usesLibdeflate()) {
      LibdeflateDecompressor libdeflate = new LibdeflateDecompressor();
      assertThrows(CodecException.class, () -> ZlibDecoder.withLibdeflate(libdeflate, bomb, bound));
    }
    // A stream that fills the bound exactly is not a bomb.
    byte[] exact = zlib(new byte[bound]);
    assertEquals(bound, ZlibDecoder.inflate(exact, bound).length);
  }

  @Test
  void garbageIsRefused() {
    byte[] junk = {1, 2, 3, 4, 5, 6, 7, 8};
    assertThrows(CodecException.class, () -> ZlibDecoder.inflate(junk, 100));
    assertThrows(CodecException.class, () -> ZlibDecoder.inflateNeeded(junk, 100, 100, 1, 0, 4));
  }
}
