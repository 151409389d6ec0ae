package io.arraymorph.hdf5.filter;

/**
 * HDF5 filter 2: byte shuffle. Writing groups byte 0 of every element, then byte 1, ...; decoding
 * interleaves them back. Trailing bytes that do not fill an element were left in place.
 */
final class ShuffleFilter implements ChunkFilter {
  private final int elementSize;

  ShuffleFilter(int elementSize) {
    this.elementSize = elementSize;
  }

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    if (elementSize <= 1) {
      return encoded;
    }
    int elements = encoded.length / elementSize;
    byte[] out = new byte[encoded.length];
    for (int b = 0; b < elementSize; b++) {
      int src = b * elements;
      for (int i = 0, dst = b; i < elements; i++, dst += elementSize) {
        out[dst] = encoded[src + i];
      }
    }
    int tail = elements * elementSize;
    System.arraycopy(encoded, tail, out, tail, encoded.length - tail);
    return out;
  }
}
