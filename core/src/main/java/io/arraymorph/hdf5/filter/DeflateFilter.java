package io.arraymorph.hdf5.filter;

import io.arraymorph.codec.CodecException;
import io.arraymorph.codec.ZlibDecoder;
import io.arraymorph.hdf5.Hdf5FormatException;

/** HDF5 filter 1: zlib (deflate) streams, inflated by {@link ZlibDecoder}. */
final class DeflateFilter implements ChunkFilter {

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    try {
      return ZlibDecoder.inflate(encoded, maxOutput);
    } catch (CodecException e) {
      throw new Hdf5FormatException("deflate stream: " + e.getMessage() + " (corrupt chunk)", e);
    }
  }
}
