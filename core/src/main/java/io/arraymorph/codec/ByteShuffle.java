package io.arraymorph.codec;

/**
 * Undoes a byte shuffle, as HDF5's shuffle filter and Blosc write it: for {@code n} whole elements
 * of {@code size} bytes, byte {@code j} of every element is stored together ({@code n} bytes each,
 * in element order); bytes past the last whole element are stored as they are.
 */
public final class ByteShuffle {
  private ByteShuffle() {}

  /** Unshuffles {@code length} bytes at {@code in[inOff..]} into {@code out[outOff..]}. */
  public static void unshuffle(byte[] in, int inOff, byte[] out, int outOff, int length, int size) {
    if (size <= 1) {
      System.arraycopy(in, inOff, out, outOff, length);
      return;
    }
    int elements = length / size;
    for (int b = 0; b < size; b++) {
      int src = inOff + b * elements;
      for (int i = 0, dst = outOff + b; i < elements; i++, dst += size) {
        out[dst] = in[src + i];
      }
    }
    int whole = elements * size;
    System.arraycopy(in, inOff + whole, out, outOff + whole, length - whole);
  }
}
