package io.arraymorph.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Undoes a byte shuffle, as HDF5's shuffle filter and Blosc write it: for {@code n} whole elements
 * of {@code size} bytes, byte {@code j} of every element is stored together ({@code n} bytes each,
 * in element order); bytes past the last whole element are stored as they are.
 */
public final class ByteShuffle {
  // Each element's bytes are gathered into one 2-, 4- or 8-byte store: the JIT does not merge the
  // byte stores of a plain loop, and the rechunk of shuffled granules undoes 1 GB per pass.
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private ByteShuffle() {}

  /** Unshuffles {@code length} bytes at {@code in[inOff..]} into {@code out[outOff..]}. */
  public static void unshuffle(byte[] in, int inOff, byte[] out, int outOff, int length, int size) {
    if (size <= 1) {
      System.arraycopy(in, inOff, out, outOff, length);
      return;
    }
    int elements = length / size;
    unshuffleElements(in, inOff, elements, 0, elements, out, outOff, size);
    int whole = elements * size;
    System.arraycopy(in, inOff + whole, out, outOff + whole, length - whole);
  }

  /**
   * Unshuffles elements {@code [from, from + count)} of the {@code elements} elements of {@code
   * size} bytes shuffled at {@code in[inOff..]} into {@code out[outOff..]}, {@code count * size}
   * bytes: a part of a shuffled block, with no pass over the rest of it.
   */
  public static void unshuffleElements(
      byte[] in, int inOff, int elements, int from, int count, byte[] out, int outOff, int size) {
    // Element by element: sequential writes and one sequential read stream per byte position,
    // several times faster than writing with a stride of the element size.
    int p = inOff + from;
    int end = p + count;
    switch (size) {
      case 1 -> System.arraycopy(in, p, out, outOff, count);
      case 2 -> {
        int p1 = elements;
        for (int dst = outOff; p < end; p++, dst += 2) {
          SHORT_LE.set(out, dst, (short) ((in[p] & 0xff) | in[p + p1] << 8));
        }
      }
      case 4 -> {
        int p1 = elements;
        int p2 = 2 * elements;
        int p3 = 3 * elements;
        for (int dst = outOff; p < end; p++, dst += 4) {
          INT_LE.set(
              out,
              dst,
              (in[p] & 0xff)
                  | (in[p + p1] & 0xff) << 8
                  | (in[p + p2] & 0xff) << 16
                  | in[p + p3] << 24);
        }
      }
      case 8 -> {
        for (int dst = outOff; p < end; p++, dst += 8) {
          long v = 0;
          for (int b = 7, src = p + 7 * elements; b >= 0; b--, src -= elements) {
            v = v << 8 | (in[src] & 0xff);
          }
          LONG_LE.set(out, dst, v);
        }
      }
      default -> {
        for (int dst = outOff; p < end; p++) {
          for (int b = 0, src = p; b < size; b++, src += elements) {
            out[dst++] = in[src];
          }
        }
      }
    }
  }
}
