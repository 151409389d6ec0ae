package io.arraymorph.hdf5.filter;

import io.arraymorph.codec.BloscFrame;
import io.arraymorph.codec.CodecException;
import io.arraymorph.hdf5.Hdf5FormatException;

/**
 * HDF5 filter 32001 (hdf5-blosc, also h5py's hdf5plugin.Blosc): each chunk is one Blosc 1.x frame
 * ({@link BloscFrame}). The frame describes itself (element size, shuffle, codec, block size), so
 * the filter's client data (filter and Blosc versions, element size, chunk size, level, shuffle,
 * codec) is not needed to decode it.
 */
final class BloscFilter implements ChunkFilter {
  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    try {
      return BloscFrame.decode(encoded, maxOutput);
    } catch (CodecException e) {
      throw new Hdf5FormatException(e.getMessage(), e);
    }
  }
}
