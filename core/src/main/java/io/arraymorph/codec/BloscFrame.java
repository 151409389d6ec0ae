package io.arraymorph.codec;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Decodes a Blosc 1.x frame (format version 2: what c-blosc 1.x, numcodecs/zarr-python 2 and the
 * HDF5 filter 32001 write), in Java, with the inner codecs the project already has.
 *
 * <p>A frame is a 16-byte header (format version, codec format version, flags, element size, then
 * little-endian 32-bit decoded size, block size and frame size), then, unless the frame is a plain
 * copy of the data, the offset of each block. A block holds one stream, or one stream per byte of
 * the element when it is split (full blocks of at least 128 elements of at most 16 bytes, unless
 * flag 0x10 forbids it); each stream is its stored size and the codec's output, or the raw bytes
 * when the size equals the stream's decoded size. Flags say whether each decoded block is byte- or
 * bit-shuffled and which codec made the streams (bits 5-7: 0 BloscLZ, 1 LZ4/LZ4HC, 2 Snappy, 3
 * zlib, 4 Zstd).
 *
 * <p>Every header field and offset is checked against the frame before anything is allocated or
 * copied, so a corrupt frame fails with a {@link CodecException} naming Blosc and the problem.
 */
public final class BloscFrame {
  /** The header's size in bytes. */
  public static final int HEADER = 16;

  private static final int FORMAT_VERSION = 2;
  private static final int SHUFFLE = 0x1;
  private static final int MEMCPYED = 0x2;
  private static final int BITSHUFFLE = 0x4;
  private static final int RESERVED = 0x8;
  private static final int DONT_SPLIT = 0x10;
  private static final int MAX_SPLITS = 16;
  private static final int MIN_SPLIT_ELEMENTS = 128;
  private static final String[] CODECS = {"blosclz", "lz4", "snappy", "zlib", "zstd"};

  /** Pure-Java lz4 that checks every offset (as {@code LZ4_decompress_safe}). */
  private static final LZ4SafeDecompressor LZ4 = LZ4Factory.safeInstance().safeDecompressor();

  private BloscFrame() {}

  /**
   * Decodes one frame.
   *
   * @param maxDecodedSize the most bytes a valid frame can decode to (the chunk's size)
   * @throws CodecException when the frame is corrupt, truncated, larger than the limit, or uses a
   *     format this decoder does not know
   */
  public static byte[] decode(byte[] frame, int maxDecodedSize) {
    if (frame.length < HEADER) {
      throw corrupt("is " + frame.length + " bytes, shorter than its 16-byte header");
    }
    int version = frame[0] & 0xff;
    int codecVersion = frame[1] & 0xff;
    int flags = frame[2] & 0xff;
    int typeSize = frame[3] & 0xff;
    long nbytes = uint32(frame, 4);
    long blockSize = uint32(frame, 8);
    long frameSize = uint32(frame, 12);
    if (version != FORMAT_VERSION) {
      throw new CodecException(
          "Blosc frame has format version "
              + version
              + "; only version 2 (Blosc 1.x: numcodecs, zarr-python 2, hdf5-blosc) can be read");
    }
    if ((flags & RESERVED) != 0) {
      throw new CodecException(
          "Blosc frame sets reserved flag 0x08 (written by a newer Blosc?); it cannot be read");
    }
    if (frameSize < HEADER || frameSize > frame.length) {
      throw corrupt(
          "header gives a frame size of "
              + frameSize
              + " bytes, but "
              + frame.length
              + " bytes are stored (truncated?)");
    }
    if (nbytes > maxDecodedSize) {
      throw corrupt(
          "header declares "
              + nbytes
              + " decoded bytes, more than the "
              + maxDecodedSize
              + " the chunk holds");
    }
    int size = (int) nbytes;
    if (size == 0) {
      return new byte[0];
    }
    if (typeSize == 0 || blockSize == 0) {
      throw corrupt("header gives element size " + typeSize + " and block size " + blockSize);
    }
    if ((flags & MEMCPYED) != 0) {
      if (frameSize != nbytes + HEADER) {
        throw corrupt(
            "is a plain copy of "
                + nbytes
                + " bytes but its header gives a frame size of "
                + frameSize);
      }
      byte[] out = new byte[size];
      System.arraycopy(frame, HEADER, out, 0, size);
      return out;
    }
    int codec = flags >>> 5;
    checkCodec(codec, codecVersion);
    int block = (int) Math.min(blockSize, nbytes);
    long blocks = (nbytes + blockSize - 1) / blockSize;
    if (blocks > (frameSize - HEADER) / 4) {
      throw corrupt(
          "header declares "
              + blocks
              + " blocks, more than a frame of "
              + frameSize
              + " bytes can index");
    }
    return new Decoding(frame, (int) frameSize, flags, typeSize, codec, size, block)
        .run((int) blocks);
  }

  /** The codec's name for a flags byte, e.g. {@code lz4}, for descriptions and errors. */
  static String codecName(int codec) {
    return codec < CODECS.length ? CODECS[codec] : "codec " + codec;
  }

  private static void checkCodec(int codec, int codecVersion) {
    if (codec >= CODECS.length) {
      throw new CodecException(
          "Blosc frame uses codec number "
              + codec
              + ", which Blosc 1.x does not define (supported: blosclz, lz4, lz4hc, snappy, zlib,"
              + " zstd)");
    }
    if (codecVersion != 1) {
      throw new CodecException(
          "Blosc frame's "
              + codecName(codec)
              + " streams have format version "
              + codecVersion
              + "; only version 1 is known");
    }
  }

  /** The decoding of one frame: its fields and scratch buffer. */
  private static final class Decoding {
    private final byte[] frame;
    private final int frameSize;
    private final int flags;
    private final int typeSize;
    private final int codec;
    private final int blockSize;
    private final byte[] out;
    private final byte[] scratch;

    Decoding(byte[] frame, int frameSize, int flags, int typeSize, int codec, int size, int block) {
      this.frame = frame;
      this.frameSize = frameSize;
      this.flags = flags;
      this.typeSize = typeSize;
      this.codec = codec;
      this.blockSize = block;
      this.out = new byte[size];
      this.scratch = (flags & (SHUFFLE | BITSHUFFLE)) != 0 ? new byte[block] : null;
    }

    byte[] run(int blocks) {
      for (int b = 0; b < blocks; b++) {
        int offset = b * blockSize;
        int bsize = Math.min(blockSize, out.length - offset);
        int start = (int) uint32(frame, HEADER + 4 * b);
        decodeBlock(b, start, offset, bsize, bsize < blockSize);
      }
      return out;
    }

    /** Mirrors c-blosc's blosc_d: streams into place (or scratch), then the unshuffle. */
    private void decodeBlock(int b, int start, int offset, int bsize, boolean leftover) {
      boolean shuffle = (flags & SHUFFLE) != 0 && typeSize > 1;
      boolean bitShuffle = !shuffle && (flags & BITSHUFFLE) != 0 && bsize >= typeSize;
      boolean split =
          (flags & DONT_SPLIT) == 0
              && typeSize <= MAX_SPLITS
              && bsize / typeSize >= MIN_SPLIT_ELEMENTS
              && !leftover;
      int streams = split ? typeSize : 1;
      if (bsize % streams != 0) {
        throw corrupt(
            "block " + b + " of " + bsize + " bytes cannot split into " + streams + " streams");
      }
      int streamSize = bsize / streams;
      byte[] target = shuffle || bitShuffle ? scratch : out;
      int at = shuffle || bitShuffle ? 0 : offset;
      int src = start;
      for (int s = 0; s < streams; s++) {
        if (src < HEADER || src > frameSize - 4) {
          throw corrupt("block " + b + " stream " + s + " starts at byte " + src + ", outside it");
        }
        long stored = uint32(frame, src);
        src += 4;
        if (stored > frameSize - src) {
          throw corrupt(
              "block "
                  + b
                  + " stream "
                  + s
                  + " claims "
                  + stored
                  + " bytes, only "
                  + (frameSize - src)
                  + " remain (truncated?)");
        }
        int len = (int) stored;
        if (len == streamSize) {
          System.arraycopy(frame, src, target, at, len);
        } else {
          int n = inflate(src, len, target, at, streamSize);
          if (n != streamSize) {
            throw corrupt(
                "block "
                    + b
                    + " stream "
                    + s
                    + " ("
                    + codecName(codec)
                    + ") decodes to "
                    + (n < 0 ? "an error" : n + " bytes")
                    + ", expected "
                    + streamSize);
          }
        }
        src += len;
        at += streamSize;
      }
      if (shuffle) {
        ByteShuffle.unshuffle(scratch, 0, out, offset, bsize, typeSize);
      } else if (bitShuffle) {
        int elements = bsize / typeSize;
        if (elements % 8 == 0) {
          BitTranspose.untranspose(scratch, 0, out, offset, elements, typeSize);
          int whole = elements * typeSize;
          System.arraycopy(scratch, whole, out, offset + whole, bsize - whole);
        } else {
          System.arraycopy(scratch, 0, out, offset, bsize); // Blosc leaves such blocks as they are
        }
      }
    }

    /** Decodes one stream; returns the bytes written, or -1 when the codec rejects it. */
    private int inflate(int src, int len, byte[] dst, int dstOff, int expected) {
      switch (codec) {
        case 0:
          return BloscLz.decompress(frame, src, len, dst, dstOff, expected);
        case 1:
          try {
            return LZ4.decompress(frame, src, len, dst, dstOff, expected);
          } catch (LZ4Exception | ArrayIndexOutOfBoundsException e) {
            return -1;
          }
        case 2:
          try {
            return new SnappyDecompressor().decompress(frame, src, len, dst, dstOff, expected);
          } catch (MalformedInputException
              | IllegalArgumentException
              | IndexOutOfBoundsException e) {
            return -1;
          }
        case 3:
          return zlib(src, len, dst, dstOff, expected);
        default:
          try (ZstdDecompressCtx zstd = new ZstdDecompressCtx()) {
            return zstd.decompressByteArray(dst, dstOff, expected, frame, src, len);
          } catch (ZstdException e) {
            return -1;
          }
      }
    }

    /** A whole zlib (RFC 1950) stream that must end exactly at {@code expected} bytes. */
    private int zlib(int src, int len, byte[] dst, int dstOff, int expected) {
      Inflater inflater = new Inflater();
      try {
        inflater.setInput(frame, src, len);
        int n = 0;
        while (n < expected && !inflater.finished()) {
          int k = inflater.inflate(dst, dstOff + n, expected - n);
          if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            return -1;
          }
          n += k;
        }
        if (!inflater.finished() && inflater.inflate(new byte[1]) > 0) {
          return -1; // more data than the stream may hold
        }
        return inflater.finished() ? n : -1;
      } catch (DataFormatException e) {
        return -1;
      } finally {
        inflater.end();
      }
    }
  }

  private static long uint32(byte[] b, int offset) {
    return (b[offset] & 0xffL)
        | (b[offset + 1] & 0xffL) << 8
        | (b[offset + 2] & 0xffL) << 16
        | (b[offset + 3] & 0xffL) << 24;
  }

  private static CodecException corrupt(String problem) {
    return new CodecException("Corrupt Blosc frame: " + problem);
  }
}
