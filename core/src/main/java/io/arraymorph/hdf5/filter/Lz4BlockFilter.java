package io.arraymorph.hdf5.filter;

import io.arraymorph.hdf5.Hdf5FormatException;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * HDF5 filter 32004 (lz4), the HDF Group's block format: the decoded size (8 bytes, big-endian),
 * the block size (4 bytes), then per block its stored size (4 bytes) and an lz4 block, or the
 * block's raw bytes when lz4 could not shrink it (stored size equal to the block's size).
 */
final class Lz4BlockFilter implements ChunkFilter {
  static final String NAME = "lz4";

  /**
   * lz4-java's pure-Java decompressor that checks every offset: no JNI, no Unsafe, so corrupt input
   * fails with an exception rather than reading outside the buffers. Each call gets a fresh output
   * array, so nothing from an earlier chunk can leak into a short one.
   */
  private static final LZ4SafeDecompressor LZ4 = LZ4Factory.safeInstance().safeDecompressor();

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    int total =
        EncodedHeader.decodedSize(
            EncodedHeader.uint64(encoded, 0, NAME, "decoded size"), maxOutput, NAME);
    long blockSize = EncodedHeader.uint32(encoded, 8, NAME, "block size");
    if (blockSize <= 0 || blockSize > Integer.MAX_VALUE) {
      throw new Hdf5FormatException(NAME + " chunk header has block size " + blockSize);
    }
    byte[] out = new byte[total];
    int in = 12;
    for (int written = 0; written < total; ) {
      int block = (int) Math.min(blockSize, total - written);
      int stored = EncodedHeader.blockStoredSize(encoded, in, NAME);
      in += 4;
      if (stored == block) {
        System.arraycopy(encoded, in, out, written, block); // left uncompressed by the writer
      } else {
        decompressBlock(encoded, in, stored, out, written, block);
      }
      in += stored;
      written += block;
    }
    return out;
  }

  static void decompressBlock(byte[] src, int off, int len, byte[] dst, int dstOff, int expected) {
    int n;
    try {
      n = LZ4.decompress(src, off, len, dst, dstOff, expected);
    } catch (LZ4Exception | ArrayIndexOutOfBoundsException e) {
      throw new Hdf5FormatException(
          "corrupt lz4 block at byte " + off + " of the chunk: " + e.getMessage(), e);
    }
    if (n != expected) {
      throw new Hdf5FormatException(
          "lz4 block at byte " + off + " decodes to " + n + " bytes, expected " + expected);
    }
  }
}
