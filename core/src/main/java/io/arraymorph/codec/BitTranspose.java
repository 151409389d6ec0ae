package io.arraymorph.codec;

/**
 * Undoes bitshuffle's bit transpose of one block. A block of {@code n} elements (a multiple of 8)
 * of {@code s} bytes is stored as {@code 8 * s} rows of {@code n} bits: row {@code 8 * j + k} holds
 * bit {@code k} of byte {@code j} of every element, element {@code i} at bit {@code i % 8} of the
 * row's byte {@code i / 8}. Shared by HDF5's bitshuffle filter and Blosc's bit shuffle, which use
 * the same layout.
 */
public final class BitTranspose {
  private BitTranspose() {}

  /**
   * Writes the {@code n} elements of {@code size} bytes transposed at {@code in[inOff..]} to {@code
   * out[outOff..]} in element order; {@code n} must be a multiple of 8.
   */
  public static void untranspose(byte[] in, int inOff, byte[] out, int outOff, int n, int size) {
    int rowBytes = n / 8;
    for (int j = 0; j < size; j++) {
      int rows = inOff + 8 * j * rowBytes; // rows 8j .. 8j+7: bits 0..7 of byte j
      for (int g = 0; g < rowBytes; g++) {
        // Byte k of x: bit k of byte j of elements 8g .. 8g+7 (one bit per element).
        long x = 0;
        for (int k = 0; k < 8; k++) {
          x |= (in[rows + k * rowBytes + g] & 0xffL) << (8 * k);
        }
        x = transpose8x8(x);
        // Byte e of x is now byte j of element 8g + e.
        int element = outOff + 8 * g * size + j;
        for (int e = 0; e < 8; e++, element += size) {
          out[element] = (byte) (x >>> (8 * e));
        }
      }
    }
  }

  /** Transposes the 8x8 bit matrix whose row {@code r} is byte {@code r} (bit c: column c). */
  static long transpose8x8(long x) {
    long t = (x ^ (x >>> 7)) & 0x00AA00AA00AA00AAL;
    x = x ^ t ^ (t << 7);
    t = (x ^ (x >>> 14)) & 0x0000CCCC0000CCCCL;
    x = x ^ t ^ (t << 14);
    t = (x ^ (x >>> 28)) & 0x00000000F0F0F0F0L;
    return x ^ t ^ (t << 28);
  }
}
