package io.arraymorph.hdf5.filter;

import io.arraymorph.hdf5.Hdf5FormatException;

/**
 * Big-endian size fields of the plugin filters' chunk formats (lz4, bitshuffle), read with a bounds
 * check so a truncated chunk fails naming the filter instead of with an index error.
 */
final class EncodedHeader {
  private EncodedHeader() {}

  /** The unsigned 64-bit big-endian value at {@code offset}; negative when it exceeds a long. */
  static long uint64(byte[] b, int offset, String filter, String field) {
    require(b, offset, 8, filter, field);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[offset + i] & 0xff);
    }
    return v;
  }

  /** The unsigned 32-bit big-endian value at {@code offset}. */
  static long uint32(byte[] b, int offset, String filter, String field) {
    require(b, offset, 4, filter, field);
    return ((b[offset] & 0xffL) << 24)
        | ((b[offset + 1] & 0xffL) << 16)
        | ((b[offset + 2] & 0xffL) << 8)
        | (b[offset + 3] & 0xffL);
  }

  private static void require(byte[] b, int offset, int n, String filter, String field) {
    if (offset < 0 || b.length - offset < n) {
      throw new Hdf5FormatException(
          filter
              + " chunk is truncated: its "
              + field
              + " needs bytes "
              + offset
              + ".."
              + (offset + n)
              + " of "
              + b.length
              + " (truncated or corrupt chunk)");
    }
  }

  /**
   * Checks the decoded size a header declares against what the chunk can hold, before allocating.
   */
  static int decodedSize(long declared, int maxOutput, String filter) {
    if (declared < 0 || declared > maxOutput) {
      throw new Hdf5FormatException(
          filter
              + " chunk header declares "
              + Long.toUnsignedString(declared)
              + " decoded bytes, more than the "
              + maxOutput
              + " a chunk can hold (corrupt chunk)");
    }
    return (int) declared;
  }

  /**
   * The stored size of the block whose 4-byte size field is at {@code offset}, checked against the
   * bytes that follow it.
   */
  static int blockStoredSize(byte[] b, int offset, String filter) {
    long stored = uint32(b, offset, filter, "block stored size");
    int remaining = b.length - offset - 4;
    if (stored > remaining) {
      throw new Hdf5FormatException(
          filter
              + " block at byte "
              + offset
              + " claims "
              + stored
              + " stored bytes, only "
              + remaining
              + " remain (truncated or corrupt chunk)");
    }
    return (int) stored;
  }
}
