package io.arraymorph.hdf5.filter;

/** Writes and reads fixed-size integers of either byte order in a chunk's bytes. */
final class ElementBytes {
  private ElementBytes() {}

  static void put(byte[] out, int at, int size, boolean bigEndian, long v) {
    for (int i = 0; i < size; i++) {
      out[bigEndian ? at + size - 1 - i : at + i] = (byte) (v >>> (8 * i));
    }
  }

  static long get(byte[] in, int at, int size, boolean bigEndian) {
    long v = 0;
    for (int i = 0; i < size; i++) {
      v |= (in[bigEndian ? at + size - 1 - i : at + i] & 0xffL) << (8 * i);
    }
    return v;
  }
}
