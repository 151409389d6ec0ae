package io.arraymorph.hdf5.filter;

import io.arraymorph.hdf5.Hdf5FormatException;
import java.util.Arrays;

/**
 * Decoder of the CCSDS 121.0-B lossless adaptive entropy code (Rice coding), the coder inside szip
 * and its free replacement libaec, for unsigned samples of 1 to 32 bits.
 *
 * <p>Hand-written from the CCSDS 121.0-B-2 description because Maven Central has no maintained
 * pure-Java szip/libaec decoder (the project reads files in place on any JVM, so a native library
 * is not an option). The stream is a sequence of blocks of {@code blockSize} samples grouped into
 * reference sample intervals (RSI) of {@code rsiBlocks} blocks. Each block starts with an option id
 * of 3, 4 or 5 bits (samples of up to 8, 16 or 32 bits):
 *
 * <ul>
 *   <li>id 0: low entropy; one more bit chooses a run of zero blocks (its length a fundamental
 *       sequence: 1-4 blocks, 5 "to the end of the segment of 64 blocks or of the RSI", above 5 one
 *       fewer) or the second extension (pairs coded as one fundamental sequence each);
 *   <li>the largest id: the block's samples stored whole;
 *   <li>any other id: split sample with {@code k = id - 1}: first every sample's high part as a
 *       fundamental sequence (zeros ended by a one), then every sample's {@code k} low bits.
 * </ul>
 *
 * <p>With preprocessing (szip's "nearest neighbour" coding) the first block of each RSI carries a
 * reference sample stored whole after the id (except in a stored-whole block, where it is the first
 * sample), and every other sample is the mapped difference from its predecessor, undone here.
 */
final class AdaptiveEntropyDecoder {
  /** Second-extension code words above this value are corrupt (13 * 14 / 2 - 1). */
  private static final int SE_MAX = 90;

  /** A zero-block count of this value means "to the end of the segment or the RSI". */
  private static final int REST_OF_SEGMENT = 5;

  private final int bitsPerSample;
  private final int blockSize;
  private final int rsiBlocks;
  private final boolean preprocess;
  private final int idLength;
  private final long maxSample;

  /**
   * @param bitsPerSample 1 to 32
   * @param blockSize samples per block (even, at most 64)
   * @param rsiBlocks blocks per reference sample interval
   * @param preprocess whether samples are predicted from their neighbour (szip's NN option)
   */
  AdaptiveEntropyDecoder(int bitsPerSample, int blockSize, int rsiBlocks, boolean preprocess) {
    if (bitsPerSample < 1 || bitsPerSample > 32) {
      throw new IllegalArgumentException("bits per sample must be 1-32: " + bitsPerSample);
    }
    if (blockSize < 2 || blockSize > 64 || blockSize % 2 != 0) {
      throw new IllegalArgumentException("block size must be even, 2-64: " + blockSize);
    }
    if (rsiBlocks < 1 || (long) rsiBlocks * blockSize > 1 << 20) {
      throw new IllegalArgumentException("blocks per RSI out of range: " + rsiBlocks);
    }
    this.bitsPerSample = bitsPerSample;
    this.blockSize = blockSize;
    this.rsiBlocks = rsiBlocks;
    this.preprocess = preprocess;
    this.idLength = bitsPerSample > 16 ? 5 : bitsPerSample > 8 ? 4 : 3;
    this.maxSample = (1L << bitsPerSample) - 1;
  }

  /** Samples in one reference sample interval. */
  int rsiSamples() {
    return rsiBlocks * blockSize;
  }

  /**
   * Decodes the first {@code count} samples of the stream starting at {@code offset}.
   *
   * @return the samples, unsigned (read with {@link Integer#toUnsignedLong})
   * @throws Hdf5FormatException when the stream is truncated or not a valid code
   */
  int[] decode(byte[] in, int offset, int count) {
    int rsiSamples = rsiSamples();
    long capacity = ((long) count + rsiSamples - 1) / rsiSamples * rsiSamples;
    if (capacity > Integer.MAX_VALUE - 8) {
      throw new Hdf5FormatException("szip chunk of " + count + " samples is too large");
    }
    int[] out = new int[(int) capacity];
    Bits bits = new Bits(in, offset);
    int pos = 0;
    while (pos < count) {
      int rsiStart = pos;
      int rsiEnd = rsiStart + rsiSamples;
      while (pos < rsiEnd && pos < count) {
        pos = block(bits, out, pos, pos == rsiStart && preprocess, rsiStart, rsiEnd);
      }
      if (preprocess) {
        unmap(out, rsiStart, pos);
      }
    }
    return out.length == count ? out : Arrays.copyOf(out, count);
  }

  /** Decodes one block (or a run of zero blocks) at {@code pos}; returns the next position. */
  private int block(Bits bits, int[] out, int pos, boolean reference, int rsiStart, int rsiEnd) {
    int id = bits.read(idLength);
    int ref = reference ? 1 : 0;
    if (id == (1 << idLength) - 1) {
      for (int i = 0; i < blockSize; i++) {
        out[pos++] = (int) bits.readLong(bitsPerSample);
      }
      return pos;
    }
    if (id == 0) {
      boolean secondExtension = bits.read(1) == 1;
      int blockStart = pos;
      if (reference) {
        out[pos++] = (int) bits.readLong(bitsPerSample);
      }
      return secondExtension
          ? secondExtension(bits, out, pos, ref)
          : zeroBlocks(bits, pos, blockStart, ref, rsiStart, rsiEnd);
    }
    int k = id - 1;
    if (reference) {
      out[pos++] = (int) bits.readLong(bitsPerSample);
    }
    int n = blockSize - ref;
    for (int i = 0; i < n; i++) {
      long high = bits.fundamentalSequence();
      if (high > (maxSample >>> k)) {
        throw corrupt("a split sample above " + bitsPerSample + " bits");
      }
      out[pos + i] = (int) (high << k);
    }
    if (k > 0) {
      for (int i = 0; i < n; i++) {
        out[pos + i] |= (int) bits.readLong(k);
      }
    }
    return pos + n;
  }

  private int secondExtension(Bits bits, int[] out, int pos, int ref) {
    for (int i = ref; i < blockSize; ) {
      long m = bits.fundamentalSequence();
      if (m > SE_MAX) {
        throw corrupt("a second-extension code word of " + m);
      }
      // m = (a + b)(a + b + 1) / 2 + b: beta = a + b is the largest with beta(beta+1)/2 <= m.
      int beta = (int) ((Math.sqrt(8.0 * m + 1) - 1) / 2);
      while ((long) (beta + 1) * (beta + 2) / 2 <= m) {
        beta++;
      }
      while ((long) beta * (beta + 1) / 2 > m) {
        beta--;
      }
      long second = m - (long) beta * (beta + 1) / 2;
      if (i % 2 == 0) {
        out[pos++] = (int) (beta - second);
        i++;
      }
      out[pos++] = (int) second;
      i++;
    }
    return pos;
  }

  private int zeroBlocks(Bits bits, int pos, int blockStart, int ref, int rsiStart, int rsiEnd) {
    long blocks = bits.fundamentalSequence() + 1;
    if (blocks == REST_OF_SEGMENT) {
      int used = (blockStart - rsiStart) / blockSize;
      blocks = Math.min(rsiBlocks - used, 64 - used % 64);
    } else if (blocks > REST_OF_SEGMENT) {
      blocks--;
    }
    long zeros = blocks * blockSize - ref;
    if (zeros > rsiEnd - pos) {
      throw corrupt("a run of " + blocks + " zero blocks past the end of its interval");
    }
    // out is zero-initialised and every position is written once.
    return pos + (int) zeros;
  }

  /** Undoes the predictor's mapping over one RSI, whose first sample is the reference. */
  private void unmap(int[] out, int from, int to) {
    if (from >= to) {
      return;
    }
    long xmax = maxSample;
    long med = xmax / 2 + 1;
    long data = Integer.toUnsignedLong(out[from]);
    if (data > xmax) {
      throw corrupt("a reference sample above " + bitsPerSample + " bits");
    }
    for (int i = from + 1; i < to; i++) {
      long d = Integer.toUnsignedLong(out[i]);
      long mask = data >= med ? xmax : 0;
      long theta = mask ^ data;
      long halfUp = (d >>> 1) + (d & 1);
      if (halfUp <= theta) {
        data += (d & 1) == 0 ? d >>> 1 : -((d + 1) >>> 1);
      } else {
        data = mask ^ d;
      }
      if (data < 0 || data > xmax) {
        throw corrupt("a prediction error outside " + bitsPerSample + " bits");
      }
      out[i] = (int) data;
    }
  }

  private static Hdf5FormatException corrupt(String what) {
    return new Hdf5FormatException("szip stream holds " + what + " (corrupt chunk)");
  }

  /** Big-endian bit reader over the stream; running out of bytes is a corrupt (truncated) chunk. */
  private static final class Bits {
    private final byte[] in;
    private int next;
    private long acc;
    private int count;

    Bits(byte[] in, int offset) {
      this.in = in;
      this.next = offset;
    }

    int read(int n) {
      return (int) readLong(n);
    }

    /** The next {@code n} (at most 32) bits as an unsigned value. */
    long readLong(int n) {
      while (count < n) {
        pull();
      }
      count -= n;
      return (acc >>> count) & ((1L << n) - 1);
    }

    /** Counts zero bits up to and including the next one bit; returns the zeros. */
    long fundamentalSequence() {
      long zeros = 0;
      while (true) {
        if (count == 0) {
          pull();
        }
        long window = acc & ((1L << count) - 1);
        if (window == 0) {
          zeros += count;
          count = 0;
        } else {
          int top = 63 - Long.numberOfLeadingZeros(window);
          zeros += count - 1 - top;
          count = top;
          return zeros;
        }
      }
    }

    private void pull() {
      if (next >= in.length) {
        throw new Hdf5FormatException("szip stream ends early (truncated or corrupt chunk)");
      }
      acc = (acc << 8) | (in[next++] & 0xff);
      count += 8;
    }
  }
}
