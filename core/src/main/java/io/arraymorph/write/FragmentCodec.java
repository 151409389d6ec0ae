package io.arraymorph.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;

/**
 * The object format of a {@link Fragment}: a header, the validity bitmap (one bit per element of
 * the chunk, row-major) and the given elements only, packed in order. Packing is the compression
 * that matters here: a fragment of a sparse partial chunk stores its given values and one bit per
 * other element, whatever the codec, and encoding stays a copy (no general-purpose compressor is
 * run on data that is usually floating-point and would gain little).
 *
 * <p>Both directions copy runs of consecutive given elements at once, found a bitmap word at a time
 * (a fragment of rows in random order has runs of one element; of ordered rows, runs of a whole
 * chunk row or more).
 */
final class FragmentCodec {
  private static final int MAGIC = 0x414d4652; // "AMFR"
  private static final int HEADER = 16;

  private FragmentCodec() {}

  static byte[] encode(ChunkBuffer chunk, int elementSize) {
    BitSet given = chunk.given();
    byte[] data = chunk.bytes();
    int elements = data.length / elementSize;
    int count = given.cardinality();
    int words = (elements + 63) / 64;
    int values = HEADER + words * 8;
    byte[] out = new byte[values + count * elementSize];
    ByteBuffer head = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    head.putInt(MAGIC).putInt(elementSize).putInt(elements).putInt(count);
    long[] bits = given.toLongArray();
    for (int w = 0; w < words; w++) {
      head.putLong(w < bits.length ? bits[w] : 0L);
    }
    copyRuns(bits, elementSize, data, out, values, false);
    return out;
  }

  /**
   * Copies each run of set bits of {@code bits} between the chunk's dense bytes and a fragment's
   * packed values (from {@code packed}'s offset {@code at} on): packs them when {@code unpack} is
   * false, else scatters them back.
   */
  private static void copyRuns(
      long[] bits, int size, byte[] dense, byte[] packed, int at, boolean unpack) {
    int w = 0;
    while (w < bits.length) {
      long word = bits[w];
      if (word == 0) {
        w++;
        continue;
      }
      int bit = Long.numberOfTrailingZeros(word);
      int start = w * 64 + bit;
      // The run goes on while bits are set, possibly through whole words of ones.
      long ones = ~(word >>> bit);
      int run = ones == 0 ? 64 - bit : Long.numberOfTrailingZeros(ones);
      int end = start + run;
      if (bit + run == 64) {
        w++;
        while (w < bits.length && bits[w] == -1L) {
          end += 64;
          w++;
        }
        if (w < bits.length) {
          int more = Long.numberOfTrailingZeros(~bits[w]);
          end += more;
          bits[w] &= more == 64 ? 0 : -1L << more;
        }
      } else {
        bits[w] = word & ~(((1L << run) - 1) << bit);
      }
      int bytes = (end - start) * size;
      if (unpack) {
        System.arraycopy(packed, at, dense, start * size, bytes);
      } else {
        System.arraycopy(dense, start * size, packed, at, bytes);
      }
      at += bytes;
    }
  }

  /** A decoded fragment: which elements of the chunk it gives, and their values. */
  static final class Decoded {
    private final BitSet given;
    private final long[] bits;
    private final byte[] bytes;
    private final int values;
    private final int elementSize;

    private Decoded(long[] bits, byte[] bytes, int values, int elementSize) {
      this.given = BitSet.valueOf(bits);
      this.bits = bits;
      this.bytes = bytes;
      this.values = values;
      this.elementSize = elementSize;
    }

    /** The elements the fragment gives (row-major within the chunk). */
    BitSet given() {
      return given;
    }

    /** Copies the given elements' values into the chunk's dense bytes {@code dest}. */
    void copyTo(byte[] dest) {
      copyRuns(bits.clone(), elementSize, dest, bytes, values, true);
    }
  }

  /**
   * Decodes {@code bytes} (read from {@code key}).
   *
   * @throws IllegalStateException when the object is not a whole fragment of this chunk layout
   */
  static Decoded decode(byte[] bytes, String key, int elementSize, int elements) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int words = (elements + 63) / 64;
    if (bytes.length < HEADER
        || in.getInt() != MAGIC
        || in.getInt() != elementSize
        || in.getInt() != elements) {
      throw new IllegalStateException(
          "Staged fragment '"
              + key
              + "' is not a fragment of this chunk layout; run the write again");
    }
    int count = in.getInt();
    if (bytes.length != HEADER + words * 8 + (long) count * elementSize) {
      throw new IllegalStateException(
          "Staged fragment '" + key + "' is truncated; run the write again");
    }
    long[] bits = new long[words];
    int set = 0;
    for (int w = 0; w < words; w++) {
      bits[w] = in.getLong();
      set += Long.bitCount(bits[w]);
    }
    if (set != count || (elements % 64 != 0 && bits[words - 1] >>> (elements % 64) != 0)) {
      throw new IllegalStateException(
          "Staged fragment '"
              + key
              + "' has a bitmap that does not match its values; run the write again");
    }
    return new Decoded(bits, bytes, HEADER + words * 8, elementSize);
  }
}
