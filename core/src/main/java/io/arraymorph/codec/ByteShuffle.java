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
    // Element by element: sequential writes and one sequential read stream per byte position,
    // several times faster than writing with a stride of the element size.
    if (size == 4) {
      int s1 = inOff + elements;
      int s2 = s1 + elements;
      int s3 = s2 + elements;
      for (int i = 0, dst = outOff; i < elements; i++, dst += 4) {
        out[dst] = in[inOff + i];
        out[dst + 1] = in[s1 + i];
        out[dst + 2] = in[s2 + i];
        out[dst + 3] = in[s3 + i];
      }
    } else {
      for (int i = 0, dst = outOff; i < elements; i++) {
        for (int b = 0, src = inOff + i; b < size; b++, src += elements) {
          out[dst++] = in[src];
        }
      }
    }
    int whole = elements * size;
    System.arraycopy(in, inOff + whole, out, outOff + whole, length - whole);
  }
}
