package io.arraymorph.hdf5.filter;

import io.arraymorph.codec.ByteShuffle;

/** HDF5 filter 2: byte shuffle ({@link ByteShuffle}). */
final class ShuffleFilter implements ChunkFilter {
  private final int elementSize;

  ShuffleFilter(int elementSize) {
    this.elementSize = elementSize;
  }

  /** The element size whose bytes were shuffled (1 or less: no shuffling). */
  int elementSize() {
    return Math.max(1, elementSize);
  }

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    if (elementSize <= 1) {
      return encoded;
    }
    byte[] out = new byte[encoded.length];
    ByteShuffle.unshuffle(encoded, 0, out, 0, encoded.length, elementSize);
    return out;
  }
}
