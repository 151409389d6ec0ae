package io.arraymorph.engine;

import io.arraymorph.array.Shapes;

/** Buffers filled with a fill value. */
public final class Fill {
  private Fill() {}

  /** A buffer of {@code elements} copies of one element's bytes. */
  public static byte[] chunk(byte[] element, long elements) {
    int size = Shapes.checkedIntSize(new long[] {elements}, element.length);
    byte[] out = new byte[size];
    if (isZero(element)) {
      return out;
    }
    System.arraycopy(element, 0, out, 0, element.length);
    for (int filled = element.length; filled < size; filled *= 2) {
      System.arraycopy(out, 0, out, filled, Math.min(filled, size - filled));
    }
    return out;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
