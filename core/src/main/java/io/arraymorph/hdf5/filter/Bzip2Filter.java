package io.arraymorph.hdf5.filter;

import io.airlift.compress.bzip2.BZip2HadoopStreams;
import io.arraymorph.hdf5.Hdf5FormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * HDF5 filter 307 (bzip2, as PyTables, hdf5plugin and the HDF Group's H5Zbzip2 write it): the chunk
 * is one bzip2 stream. Decoded by aircompressor's pure-Java bzip2 (already a dependency, for
 * Snappy), reading at most one byte more than a valid chunk holds.
 */
final class Bzip2Filter implements ChunkFilter {
  private static final BZip2HadoopStreams STREAMS = new BZip2HadoopStreams();

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    try (InputStream in = STREAMS.createInputStream(new ByteArrayInputStream(encoded))) {
      byte[] out = in.readNBytes(maxOutput);
      if (in.read() >= 0) {
        throw new Hdf5FormatException(
            "bzip2 filter: the chunk decodes to more than " + maxOutput + " bytes (corrupt chunk)");
      }
      return out;
    } catch (IOException | RuntimeException e) {
      if (e instanceof Hdf5FormatException f) {
        throw f;
      }
      throw new Hdf5FormatException("bzip2 filter: cannot decode the chunk: " + e, e);
    }
  }
}
