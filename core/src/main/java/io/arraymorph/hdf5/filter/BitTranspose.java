package io.arraymorph.hdf5.filter;

/**
 * Undoes bitshuffle's bit transpose of one block. A block of {@code n} elements (a multiple of 8)
 * of {@code s} bytes is stored as {@code 8 * s} rows of {@code n} bits: row {@code 8 * j + k} holds
 * bit {@code k} of byte {@code j} of every element, element {@code i} at bit {@code i % 8} of the
 * row's byte {@code i / 8}.
 */
final class BitTranspose {
  private BitTranspose() {}

  static void untranspose(byte[] in, int inOff, byte[] out, int outOff, int n, int size) {
    int rowBytes = n / 8;
    java.util.Arrays.fill(out, outOff, outOff + n * size, (byte) 0);
    for (int j = 0; j < size; j++) {
      for (int k = 0; k < 8; k++) {
        int row = inOff + (8 * j + k) * rowBytes;
        int bit = 1 << k;
        for (int g = 0; g < rowBytes; g++) {
          int v = in[row + g] & 0xff;
          if (v == 0) {
            continue; // sparse rows (high bits of small values) are common
          }
          int element = outOff + g * 8 * size + j;
          for (int e = 0; e < 8; e++, element += size) {
            if ((v & (1 << e)) != 0) {
              out[element] |= (byte) bit;
            }
          }
        }
      }
    }
  }
}
