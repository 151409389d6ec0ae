package io.arraymorph.hdf5.filter;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.arraymorph.codec.BitTranspose;
import io.arraymorph.hdf5.Hdf5FormatException;

/**
 * HDF5 filter 32008 (bitshuffle, github.com/kiyo-masui/bitshuffle): elements are split into blocks
 * and each block's bits transposed ({@link BitTranspose}); the elements past the last multiple of 8
 * are stored as they are. With compression (client data slot 4: 2 = lz4, 3 = zstd) the chunk starts
 * with the decoded size (8 bytes, big-endian) and the block size in bytes (4 bytes), then per block
 * its stored size (4 bytes) and the compressed transposed block.
 */
final class BitshuffleFilter implements ChunkFilter {
  static final String NAME = "bitshuffle";
  static final int NONE = 0;
  static final int LZ4 = 2;
  static final int ZSTD = 3;

  /** bitshuffle's bshuf_default_block_size: ~8 KiB of elements, a multiple of 8, at least 128. */
  private static final int TARGET_BLOCK_BYTES = 8192;

  private static final int MIN_BLOCK = 128;

  private final int elementSize;
  private final int blockSize;
  private final int compression;

  /**
   * @param blockSize elements per block as configured (client data slot 3), 0 for the default
   * @param compression {@link #NONE}, {@link #LZ4} or {@link #ZSTD}
   */
  BitshuffleFilter(int elementSize, int blockSize, int compression) {
    this.elementSize = elementSize;
    this.blockSize = blockSize > 0 ? blockSize : defaultBlockSize(elementSize);
    this.compression = compression;
  }

  static int defaultBlockSize(int elementSize) {
    return Math.max(MIN_BLOCK, TARGET_BLOCK_BYTES / elementSize / 8 * 8);
  }

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    if (compression == NONE) {
      checkWholeElements(encoded.length);
      byte[] out = new byte[encoded.length];
      int offset = 0;
      int elements = encoded.length / elementSize;
      for (int block : blocks(elements, blockSize)) {
        BitTranspose.untranspose(encoded, offset, out, offset, block, elementSize);
        offset += block * elementSize;
      }
      System.arraycopy(encoded, offset, out, offset, encoded.length - offset);
      return out;
    }
    int total =
        EncodedHeader.decodedSize(
            EncodedHeader.uint64(encoded, 0, NAME, "decoded size"), maxOutput, NAME);
    checkWholeElements(total);
    long blockBytes = EncodedHeader.uint32(encoded, 8, NAME, "block size");
    long block = blockBytes / elementSize;
    if (block <= 0 || block % 8 != 0 || blockBytes % elementSize != 0) {
      throw new Hdf5FormatException(
          NAME
              + " chunk header has block size "
              + blockBytes
              + " bytes, not a positive multiple of 8 elements of "
              + elementSize
              + " bytes (corrupt chunk)");
    }
    byte[] out = new byte[total];
    byte[] transposed = new byte[(int) Math.min(total, block * elementSize)];
    int in = 12;
    int offset = 0;
    for (int elements : blocks(total / elementSize, (int) Math.min(block, Integer.MAX_VALUE))) {
      int bytes = elements * elementSize;
      int stored = EncodedHeader.blockStoredSize(encoded, in, NAME);
      in += 4;
      decompress(encoded, in, stored, transposed, bytes);
      BitTranspose.untranspose(transposed, 0, out, offset, elements, elementSize);
      in += stored;
      offset += bytes;
    }
    int rest = total - offset; // the last elements short of a multiple of 8, stored as they are
    if (encoded.length - in < rest) {
      throw new Hdf5FormatException(
          NAME
              + " chunk ends "
              + (rest - (encoded.length - in))
              + " bytes short of its last elements (truncated or corrupt chunk)");
    }
    System.arraycopy(encoded, in, out, offset, rest);
    return out;
  }

  private void decompress(byte[] src, int off, int len, byte[] dst, int expected) {
    if (compression == LZ4) {
      Lz4BlockFilter.decompressBlock(src, off, len, dst, 0, expected);
      return;
    }
    int n;
    try (ZstdDecompressCtx zstd = new ZstdDecompressCtx()) {
      n = zstd.decompressByteArray(dst, 0, expected, src, off, len);
    } catch (ZstdException e) {
      throw new Hdf5FormatException(
          "corrupt " + NAME + " zstd block at byte " + off + ": " + e.getMessage(), e);
    }
    if (n != expected) {
      throw new Hdf5FormatException(
          NAME
              + " zstd block at byte "
              + off
              + " decodes to "
              + n
              + " bytes, expected "
              + expected);
    }
  }

  private void checkWholeElements(long bytes) {
    if (bytes % elementSize != 0) {
      throw new Hdf5FormatException(
          NAME
              + " chunk of "
              + bytes
              + " bytes is not a whole number of "
              + elementSize
              + "-byte elements (corrupt chunk)");
    }
  }

  /**
   * The element counts of the transposed blocks, as bitshuffle cuts them: full blocks, then one
   * block of the remaining elements rounded down to a multiple of 8.
   */
  private static int[] blocks(int elements, int block) {
    int full = elements / block;
    int last = elements % block / 8 * 8;
    int[] out = new int[full + (last > 0 ? 1 : 0)];
    java.util.Arrays.fill(out, 0, full, block);
    if (last > 0) {
      out[full] = last;
    }
    return out;
  }
}
