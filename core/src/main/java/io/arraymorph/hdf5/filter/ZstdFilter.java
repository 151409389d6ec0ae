package io.arraymorph.hdf5.filter;

import io.arraymorph.codec.CodecException;
import io.arraymorph.codec.ZstdCodec;
import io.arraymorph.hdf5.Hdf5FormatException;

/**
 * HDF5 filter 32015 (zstd, as registered by the HDF Group and written by hdf5plugin): the chunk is
 * one zstd frame. Decoded by the Zarr zstd codec, which bounds the output by the chunk size.
 */
final class ZstdFilter implements ChunkFilter {
  private static final ZstdCodec CODEC = new ZstdCodec(1, false);

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    try {
      return CODEC.decode(encoded, maxOutput);
    } catch (CodecException e) {
      throw new Hdf5FormatException("zstd filter: " + e.getMessage(), e);
    }
  }
}
