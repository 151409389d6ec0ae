package io.arraymorph.codec;

import java.nio.ByteOrder;

/**
 * The Zarr v3 {@code bytes} codec: elements as raw bytes in a given byte order. In memory elements
 * are little-endian, so little-endian storage is a no-op and big-endian swaps each element.
 */
public final class EndianCodec {
  private final ByteOrder order;

  public EndianCodec(ByteOrder order) {
    this.order = order;
  }

  public ByteOrder order() {
    return order;
  }

  /** Converts little-endian elements to the stored order, in place when a swap is needed. */
  public byte[] encode(byte[] littleEndian, int elementSize) {
    return order == ByteOrder.LITTLE_ENDIAN
        ? littleEndian
        : swap(littleEndian.clone(), elementSize);
  }

  /** Converts stored elements to little-endian, in place. */
  public byte[] decode(byte[] stored, int elementSize) {
    return order == ByteOrder.LITTLE_ENDIAN ? stored : swap(stored, elementSize);
  }

  /** Reverses the bytes of each element of {@code data}, in place. */
  public static byte[] swap(byte[] data, int elementSize) {
    if (elementSize == 1) {
      return data;
    }
    for (int p = 0; p + elementSize <= data.length; p += elementSize) {
      for (int i = 0, j = elementSize - 1; i < j; i++, j--) {
        byte t = data[p + i];
        data[p + i] = data[p + j];
        data[p + j] = t;
      }
    }
    return data;
  }
}
