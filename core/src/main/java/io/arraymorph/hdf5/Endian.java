package io.arraymorph.hdf5;

/** Byte-order conversion of element arrays. */
final class Endian {
  private Endian() {}

  /** Reverses the bytes of every element in place (big-endian to little-endian or back). */
  static byte[] swapInPlace(byte[] data, int elementSize) {
    if (elementSize <= 1) {
      return data;
    }
    for (int start = 0; start + elementSize <= data.length; start += elementSize) {
      for (int i = start, j = start + elementSize - 1; i < j; i++, j--) {
        byte t = data[i];
        data[i] = data[j];
        data[j] = t;
      }
    }
    return data;
  }
}
