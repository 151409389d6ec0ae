package io.arraymorph.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;

/**
 * The object format of a {@link Fragment}: a header, which elements of the chunk it gives, and the
 * given elements' values only, packed in row-major order. Which elements are given is stored in
 * whichever of two forms is smaller:
 *
 * <ul>
 *   <li>a validity bitmap, one bit per element of the chunk (magic "AMFR", 16-byte header), for
 *       dense fragments;
 *   <li>positions, each as the gap since the one before in LEB128 (one byte for gaps below 128;
 *       magic "AMFP", 20-byte header ending with the positions' byte count), for sparse ones: a
 *       task given rows in random order stages fragments holding a sixteenth of each chunk, where
 *       this takes about one byte per given element against the bitmap's two (float32 at 1/16).
 * </ul>
 *
 * <p>Packing is the compression that matters here: whatever the codec, a fragment stores its given
 * values and an index of them, and encoding stays a copy (no general-purpose compressor is run on
 * data that is usually floating-point and would gain little).
 *
 * <p>Both directions copy runs of consecutive given elements at once, found a bitmap word at a time
 * (a fragment of rows in random order has runs of one element; of ordered rows, runs of a whole
 * chunk row or more).
 */
final class FragmentCodec {
  private static final int BITMAP_MAGIC = 0x414d4652; // "AMFR"
  private static final int POSITIONS_MAGIC = 0x414d4650; // "AMFP"
  private static final int HEADER = 16;
  private static final int POSITIONS_HEADER = 20;

  private FragmentCodec() {}

  static byte[] encode(ChunkBuffer chunk, int elementSize) {
    BitSet given = chunk.given();
    byte[] data = chunk.bytes();
    int elements = data.length / elementSize;
    int count = given.cardinality();
    int words = (elements + 63) / 64;
    long[] bits = given.toLongArray();
    int gapBytes = gapBytes(bits, POSITIONS_HEADER - HEADER + words * 8);
    boolean positions = POSITIONS_HEADER + gapBytes < HEADER + words * 8;
    int values = positions ? POSITIONS_HEADER + gapBytes : HEADER + words * 8;
    byte[] out = new byte[values + count * elementSize];
    ByteBuffer head = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    head.putInt(positions ? POSITIONS_MAGIC : BITMAP_MAGIC)
        .putInt(elementSize)
        .putInt(elements)
        .putInt(count);
    if (positions) {
      head.putInt(gapBytes);
      writeGaps(bits, out, POSITIONS_HEADER);
    } else {
      for (int w = 0; w < words; w++) {
        head.putLong(w < bits.length ? bits[w] : 0L);
      }
    }
    copyRuns(bits, elementSize, data, out, values, false);
    return out;
  }

  /**
   * Bytes of the set bits' positions as LEB128 gaps, or {@code limit} once they reach it (the
   * bitmap is smaller then: no need to count on).
   */
  private static int gapBytes(long[] bits, int limit) {
    int bytes = 0;
    long prev = -1;
    for (int w = 0; w < bits.length; w++) {
      long word = bits[w];
      while (word != 0) {
        long pos = w * 64L + Long.numberOfTrailingZeros(word);
        bytes += leb128Length(pos - prev - 1);
        if (bytes >= limit) {
          return limit;
        }
        prev = pos;
        word &= word - 1;
      }
    }
    return bytes;
  }

  private static int leb128Length(long v) {
    return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
  }

  private static void writeGaps(long[] bits, byte[] out, int at) {
    long prev = -1;
    for (int w = 0; w < bits.length; w++) {
      long word = bits[w];
      while (word != 0) {
        long pos = w * 64L + Long.numberOfTrailingZeros(word);
        long gap = pos - prev - 1;
        while (gap >= 0x80) {
          out[at++] = (byte) (gap | 0x80);
          gap >>>= 7;
        }
        out[at++] = (byte) gap;
        prev = pos;
        word &= word - 1;
      }
    }
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
    int magic = bytes.length < HEADER ? 0 : in.getInt();
    if ((magic != BITMAP_MAGIC && magic != POSITIONS_MAGIC)
        || in.getInt() != elementSize
        || in.getInt() != elements) {
      throw new IllegalStateException(
          "Staged fragment '"
              + key
              + "' is not a fragment of this chunk layout; run the write again");
    }
    int count = in.getInt();
    long[] bits;
    int values;
    if (magic == BITMAP_MAGIC) {
      values = HEADER + words * 8;
      checkLength(bytes, key, values, count, elementSize);
      bits = new long[words];
      int set = 0;
      for (int w = 0; w < words; w++) {
        bits[w] = in.getLong();
        set += Long.bitCount(bits[w]);
      }
      if (set != count || (elements % 64 != 0 && bits[words - 1] >>> (elements % 64) != 0)) {
        throw mismatch(key);
      }
    } else {
      int gapBytes = bytes.length < POSITIONS_HEADER ? -1 : in.getInt();
      if (gapBytes < 0 || gapBytes > bytes.length || count < 0) {
        throw truncated(key);
      }
      values = POSITIONS_HEADER + gapBytes;
      checkLength(bytes, key, values, count, elementSize);
      bits = readGaps(bytes, key, values, count, elements, words);
    }
    return new Decoded(bits, bytes, values, elementSize);
  }

  private static void checkLength(
      byte[] bytes, String key, long values, int count, int elementSize) {
    if (count < 0 || bytes.length != values + (long) count * elementSize) {
      throw truncated(key);
    }
  }

  /**
   * The bitmap of the {@code count} positions stored as LEB128 gaps in {@code bytes[20, end)}, each
   * inside the chunk and the gaps filling exactly that range.
   */
  private static long[] readGaps(
      byte[] bytes, String key, int end, int count, int elements, int words) {
    long[] bits = new long[words];
    int at = POSITIONS_HEADER;
    long pos = -1;
    for (int k = 0; k < count; k++) {
      long gap = 0;
      int shift = 0;
      while (true) {
        if (at >= end || shift > 28) {
          throw mismatch(key);
        }
        int b = bytes[at++];
        gap |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          break;
        }
        shift += 7;
      }
      pos += gap + 1;
      if (pos >= elements) {
        throw mismatch(key);
      }
      bits[(int) (pos >>> 6)] |= 1L << pos;
    }
    if (at != end) {
      throw mismatch(key);
    }
    return bits;
  }

  private static IllegalStateException truncated(String key) {
    return new IllegalStateException(
        "Staged fragment '" + key + "' is truncated; run the write again");
  }

  private static IllegalStateException mismatch(String key) {
    return new IllegalStateException(
        "Staged fragment '"
            + key
            + "' has an index of given elements that does not match its values; run the write"
            + " again");
  }
}
