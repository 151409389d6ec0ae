package io.arraymorph.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The bytes-to-bytes codecs, the bytes (endian) codec and the codec pipeline. */
class CodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static byte[] sample(int n, long seed) {
    byte[] b = new byte[n];
    Random rnd = new Random(seed);
    for (int i = 0; i < n; i++) {
      // Compressible but not trivial.
      b[i] = (byte) (rnd.nextInt(4) + (i % 7));
    }
    return b;
  }

  private static byte[] gunzip(byte[] data) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return in.readAllBytes();
    }
  }

  @Test
  void gzipOutputIsStandardGzip() throws IOException {
    for (int level : new int[] {0, 1, 5, 9}) {
      byte[] data = sample(10_000, level);
      byte[] encoded = new GzipCodec(level).encode(data);
      assertEquals(0x1f, encoded[0] & 0xff);
      assertEquals(0x8b, encoded[1] & 0xff);
      assertArrayEquals(data, gunzip(encoded), "level " + level);
      assertArrayEquals(data, new GzipCodec(level).decode(encoded, data.length));
    }
  }

  @Test
  void gzipDecodesDataFromOtherWriters() throws IOException {
    byte[] data = sample(5000, 3);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bos)) {
      out.write(data);
    }
    assertArrayEquals(data, new GzipCodec(5).decode(bos.toByteArray(), data.length));
  }

  @Test
  void gzipLevelOutsideRangeIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new GzipCodec(10));
    assertTrue(e.getMessage().contains("0-9"), e.getMessage());
  }

  @Test
  void zstdOutputIsStandardZstd() {
    for (boolean checksum : new boolean[] {false, true}) {
      byte[] data = sample(10_000, 11);
      byte[] encoded = new ZstdCodec(3, checksum).encode(data);
      // zstd frame magic number 0xFD2FB528, little-endian
      assertEquals(0xFD2FB528, ByteBuffer.wrap(encoded).order(ByteOrder.LITTLE_ENDIAN).getInt());
      assertArrayEquals(data, Zstd.decompress(encoded, data.length));
      assertArrayEquals(data, new ZstdCodec(3, checksum).decode(encoded, data.length));
    }
  }

  @Test
  void zstdDecodesFramesWithoutContentSize() throws IOException {
    byte[] data = sample(100_000, 5);
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ZstdOutputStream out = new ZstdOutputStream(bos)) {
      out.write(data);
    }
    assertArrayEquals(data, new ZstdCodec(0, false).decode(bos.toByteArray(), data.length));
  }

  @Test
  void crc32cAppendsLittleEndianChecksum() {
    byte[] data = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] encoded = new Crc32cCodec().encode(data);
    assertEquals(13, encoded.length);
    assertArrayEquals(data, Arrays.copyOf(encoded, 9));
    // The CRC-32C check value of "123456789" is 0xE3069283.
    assertArrayEquals(
        new byte[] {(byte) 0x83, (byte) 0x92, (byte) 0x06, (byte) 0xE3},
        Arrays.copyOfRange(encoded, 9, 13));
    CRC32C crc = new CRC32C();
    crc.update(data);
    assertEquals(0xE3069283L, crc.getValue());
    assertArrayEquals(data, new Crc32cCodec().decode(encoded, 100));
  }

  @Test
  void crc32cMismatchIsReported() {
    byte[] encoded = new Crc32cCodec().encode(sample(64, 1));
    encoded[10] ^= 1;
    CodecException e =
        assertThrows(CodecException.class, () -> new Crc32cCodec().decode(encoded, 100));
    assertTrue(e.getMessage().contains("crc32c checksum mismatch"), e.getMessage());
  }

  @Test
  void crc32cChunkTooShortIsReported() {
    CodecException e =
        assertThrows(CodecException.class, () -> new Crc32cCodec().decode(new byte[3], 100));
    assertTrue(e.getMessage().contains("too short"), e.getMessage());
  }

  @Test
  void truncatedGzipIsCorrupt() {
    byte[] encoded = new GzipCodec(5).encode(sample(5000, 2));
    byte[] truncated = Arrays.copyOf(encoded, encoded.length / 2);
    CodecException e =
        assertThrows(CodecException.class, () -> new GzipCodec(5).decode(truncated, 5000));
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
  }

  @Test
  void truncatedZstdIsCorrupt() throws IOException {
    byte[] data = sample(5000, 2);
    byte[] encoded = new ZstdCodec(3, false).encode(data);
    byte[] truncated = Arrays.copyOf(encoded, encoded.length - 10);
    CodecException e =
        assertThrows(CodecException.class, () -> new ZstdCodec(3, false).decode(truncated, 5000));
    assertTrue(e.getMessage().contains("zstd"), e.getMessage());

    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ZstdOutputStream out = new ZstdOutputStream(bos)) {
      out.write(data);
    }
    byte[] streamed = bos.toByteArray();
    byte[] truncatedStream = Arrays.copyOf(streamed, streamed.length - 10);
    CodecException e2 =
        assertThrows(
            CodecException.class, () -> new ZstdCodec(3, false).decode(truncatedStream, 5000));
    assertTrue(e2.getMessage().contains("zstd"), e2.getMessage());
  }

  @Test
  void zlibDecodesChunksLargerThanItsFirstBufferAndExactlyAtTheBound() {
    byte[] data = new byte[3 << 20];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i % 251 == 0 ? i / 251 : 7);
    }
    ZlibCodec zlib = new ZlibCodec(6);
    byte[] encoded = zlib.encode(data);
    assertArrayEquals(data, zlib.decode(encoded, data.length));
    assertArrayEquals(data, zlib.decode(encoded, data.length + 4096));
    // The same thread's Inflater is reused: a second, different chunk decodes too.
    byte[] other = sample(5000, 3);
    assertArrayEquals(other, zlib.decode(zlib.encode(other), 10_000));
  }

  @Test
  void zlibLongerThanTheBoundIsRefused() {
    byte[] data = sample(5000, 4);
    byte[] encoded = new ZlibCodec(6).encode(data);
    CodecException e =
        assertThrows(CodecException.class, () -> new ZlibCodec(6).decode(encoded, 4999));
    assertTrue(e.getMessage().contains("4999"), e.getMessage());
  }

  @Test
  void truncatedZlibIsCorrupt() {
    byte[] encoded = new ZlibCodec(5).encode(sample(5000, 2));
    byte[] truncated = Arrays.copyOf(encoded, encoded.length / 2);
    CodecException e =
        assertThrows(CodecException.class, () -> new ZlibCodec(5).decode(truncated, 5000));
    assertTrue(e.getMessage().contains("zlib"), e.getMessage());
    assertThrows(CodecException.class, () -> new ZlibCodec(5).decode(sample(100, 9), 5000));
  }

  @Test
  void zlibBombFailsWithoutBigAllocations() {
    byte[] bomb = new ZlibCodec(9).encode(new byte[BOMB_SIZE]);
    long before = allocatedBytes();
    CodecException e =
        assertThrows(CodecException.class, () -> new ZlibCodec(9).decode(bomb, 4096));
    long allocated = allocatedBytes() - before;
    assertTrue(e.getMessage().contains("4096"), e.getMessage());
    assertTrue(allocated < 8 << 20, "decoding allocated " + allocated + " bytes");
  }

  @Test
  void garbageIsNotZstd() {
    byte[] garbage = sample(100, 9);
    assertThrows(CodecException.class, () -> new ZstdCodec(3, false).decode(garbage, 5000));
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  private static final int BOMB_SIZE = 64 << 20;

  @Test
  void gzipBombFailsWithoutBigAllocations() throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bos)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < BOMB_SIZE >> 20; i++) {
        out.write(zeros);
      }
    }
    byte[] bomb = bos.toByteArray();
    assertTrue(bomb.length < 200_000, "bomb is small: " + bomb.length);
    long before = allocatedBytes();
    CodecException e =
        assertThrows(CodecException.class, () -> new GzipCodec(5).decode(bomb, 4096));
    long allocated = allocatedBytes() - before;
    assertTrue(e.getMessage().contains("4096"), e.getMessage());
    assertTrue(allocated < 8 << 20, "decoding allocated " + allocated + " bytes");
  }

  @Test
  void zstdBombWithDeclaredSizeFailsWithoutBigAllocations() {
    byte[] bomb = Zstd.compress(new byte[BOMB_SIZE], 3);
    assertEquals(BOMB_SIZE, Zstd.getFrameContentSize(bomb));
    long before = allocatedBytes();
    CodecException e =
        assertThrows(CodecException.class, () -> new ZstdCodec(3, false).decode(bomb, 4096));
    long allocated = allocatedBytes() - before;
    assertTrue(e.getMessage().contains("4096"), e.getMessage());
    assertTrue(allocated < 8 << 20, "decoding allocated " + allocated + " bytes");
  }

  @Test
  void zstdBombWithoutDeclaredSizeFailsWithoutBigAllocations() throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ZstdOutputStream out = new ZstdOutputStream(bos)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < BOMB_SIZE >> 20; i++) {
        out.write(zeros);
      }
    }
    byte[] bomb = bos.toByteArray();
    assertTrue(Zstd.getFrameContentSize(bomb) < 0, "no content size in the frame");
    long before = allocatedBytes();
    CodecException e =
        assertThrows(CodecException.class, () -> new ZstdCodec(3, false).decode(bomb, 4096));
    long allocated = allocatedBytes() - before;
    assertTrue(e.getMessage().contains("4096"), e.getMessage());
    assertTrue(allocated < 8 << 20, "decoding allocated " + allocated + " bytes");
  }

  @Test
  void swapReversesEachElement() {
    byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
    assertArrayEquals(new byte[] {2, 1, 4, 3, 6, 5, 8, 7}, EndianCodec.swap(data.clone(), 2));
    assertArrayEquals(new byte[] {4, 3, 2, 1, 8, 7, 6, 5}, EndianCodec.swap(data.clone(), 4));
    assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, EndianCodec.swap(data.clone(), 8));
    assertArrayEquals(data, EndianCodec.swap(data.clone(), 1));
  }

  @Test
  void bigEndianEncodeLeavesInputAlone() {
    byte[] little = {1, 0, 0, 0, 2, 0, 0, 0};
    EndianCodec big = new EndianCodec(ByteOrder.BIG_ENDIAN);
    byte[] stored = big.encode(little, 4);
    assertNotSame(little, stored);
    assertArrayEquals(new byte[] {1, 0, 0, 0, 2, 0, 0, 0}, little);
    assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 2}, stored);
    assertArrayEquals(little, big.decode(stored, 4));
  }

  private static JsonNode json(String text) throws IOException {
    return JSON.readTree(text);
  }

  @Test
  void pipelineRoundTripsEveryCodecCombination() throws IOException {
    String[] chains = {
      "[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}}]",
      "[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"big\"}}]",
      "[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"big\"}},"
          + "{\"name\":\"gzip\",\"configuration\":{\"level\":1}}]",
      "[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}},"
          + "{\"name\":\"zstd\",\"configuration\":{\"level\":3,\"checksum\":true}},"
          + "{\"name\":\"crc32c\"}]",
      "[{\"name\":\"bytes\"},{\"name\":\"crc32c\"},{\"name\":\"gzip\"}]",
    };
    byte[] data = sample(4096, 8);
    for (String chain : chains) {
      CodecPipeline p = CodecPipeline.fromJson(json(chain));
      byte[] stored = p.encode(data.clone(), 8);
      assertArrayEquals(data, p.decode(stored.clone(), 8, data.length), chain);
      CodecPipeline again = CodecPipeline.fromJson(JSON.valueToTree(p.toJson()));
      assertArrayEquals(data, again.decode(stored, 8, data.length), chain);
    }
  }

  @Test
  void pipelineRejectsDecodedSizeOtherThanTheChunk() {
    CodecPipeline raw = CodecPipeline.raw();
    CodecException e = assertThrows(CodecException.class, () -> raw.decode(new byte[12], 4, 16));
    assertTrue(e.getMessage().contains("12") && e.getMessage().contains("16"), e.getMessage());
  }

  @Test
  void unknownCodecIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CodecPipeline.fromJson(json("[{\"name\":\"bytes\"},{\"name\":\"lz77x\"}]")));
    assertTrue(e.getMessage().contains("'lz77x'"), e.getMessage());
    assertTrue(e.getMessage().contains("gzip"), "lists supported codecs: " + e.getMessage());
  }

  @Test
  void unsupportedCodecIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CodecPipeline.fromJson(json("[{\"name\":\"bytes\"},{\"name\":\"transpose\"}]")));
    assertTrue(e.getMessage().contains("'transpose'"), e.getMessage());
  }

  @Test
  void zarrV3BloscConfigurationIsCheckedAndWrittenBackAsRead() throws IOException {
    String blosc =
        "{\"name\":\"blosc\",\"configuration\":{\"cname\":\"zstd\",\"clevel\":5,"
            + "\"shuffle\":\"bitshuffle\",\"typesize\":8,\"blocksize\":0}}";
    CodecPipeline p = CodecPipeline.fromJson(json("[{\"name\":\"bytes\"}," + blosc + "]"));
    assertEquals(json(blosc), JSON.valueToTree(p.toJson().get(1)));
    assertEquals(java.util.List.of("blosc"), p.compressorNames());
    assertTrue(p.describe().contains("blosc{cname=zstd"), p.describe());
    assertTrue(p.describe().contains("shuffle=bitshuffle"), p.describe());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CodecPipeline.fromJson(
                    json(
                        "[{\"name\":\"bytes\"},{\"name\":\"blosc\",\"configuration\":"
                            + "{\"cname\":\"lz4\",\"shuffle\":2}}]")));
    assertTrue(
        e.getMessage().contains("shuffle") && e.getMessage().contains("'2'"), e.getMessage());
  }

  @Test
  void chainMustStartWithBytes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CodecPipeline.fromJson(json("[{\"name\":\"gzip\"},{\"name\":\"bytes\"}]")));
    assertTrue(e.getMessage().contains("'bytes'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CodecPipeline.fromJson(json("[]")));
    assertThrows(
        IllegalArgumentException.class,
        () -> CodecPipeline.fromJson(json("[{\"name\":\"bytes\"},{\"name\":\"bytes\"}]")));
  }
}
