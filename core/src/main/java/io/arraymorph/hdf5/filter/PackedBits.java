package io.arraymorph.hdf5.filter;

/**
 * Reads the bit stream libhdf5's nbit and scaleoffset filters pack: values of a fixed number of
 * bits one after the other, most significant bit first, starting at the high bit of each byte.
 */
final class PackedBits {
  private final byte[] in;
  private int position; // the next byte
  private int left = 8; // bits of in[position] not yet read

  PackedBits(byte[] in, int offset) {
    this.in = in;
    this.position = offset;
  }

  /** Whether {@code count} values of {@code bits} bits each remain in the stream. */
  static boolean fits(int length, int offset, long count, int bits) {
    return (count * bits + 7) / 8 <= length - (long) offset;
  }

  /** The next {@code bits} (0 to 64) bits as an unsigned number. */
  long next(int bits) {
    long v = 0;
    while (bits > 0) {
      int take = Math.min(bits, left);
      int b = in[position] & 0xff;
      int chunk = (b >>> (left - take)) & ((1 << take) - 1);
      v = (v << take) | chunk;
      bits -= take;
      left -= take;
      if (left == 0) {
        position++;
        left = 8;
      }
    }
    return v;
  }
}
