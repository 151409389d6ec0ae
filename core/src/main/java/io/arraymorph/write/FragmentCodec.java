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
    ByteBuffer out =
        ByteBuffer.allocate(HEADER + words * 8 + count * elementSize)
            .order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(MAGIC).putInt(elementSize).putInt(elements).putInt(count);
    long[] bits = given.toLongArray();
    for (int w = 0; w < words; w++) {
      out.putLong(w < bits.length ? bits[w] : 0L);
    }
    for (int e = given.nextSetBit(0); e >= 0; e = given.nextSetBit(e + 1)) {
      int run = given.nextClearBit(e) - e;
      out.put(data, e * elementSize, run * elementSize);
      e += run - 1;
    }
    return out.array();
  }

  /** Receives a fragment's elements while it is decoded. */
  interface Sink {
    /** Element {@code flat}'s value is at {@code offset} of {@code source}. */
    void element(int flat, byte[] source, int offset);
  }

  /**
   * Decodes {@code bytes} (read from {@code key}) into {@code sink}, element by element in order.
   *
   * @throws IllegalStateException when the object is not a fragment of this chunk layout
   */
  static void decode(byte[] bytes, String key, int elementSize, int elements, Sink sink) {
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
    for (int w = 0; w < words; w++) {
      bits[w] = in.getLong();
    }
    BitSet given = BitSet.valueOf(bits);
    int offset = HEADER + words * 8;
    for (int e = given.nextSetBit(0); e >= 0; e = given.nextSetBit(e + 1)) {
      sink.element(e, bytes, offset);
      offset += elementSize;
    }
  }
}
