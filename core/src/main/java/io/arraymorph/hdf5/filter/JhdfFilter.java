package io.arraymorph.hdf5.filter;

import io.arraymorph.hdf5.Hdf5FormatException;
import io.jhdf.filter.Filter;
import java.util.function.ToLongFunction;

/**
 * A filter decoded by jhdf's implementation (lzf, lz4), guarded: the size the encoded header claims
 * is checked against the chunk size first, since jhdf allocates whatever the header says.
 */
final class JhdfFilter implements ChunkFilter {
  private final Filter filter;
  private final int[] clientData;
  private final ToLongFunction<byte[]> claimedSize;

  JhdfFilter(Filter filter, int[] clientData, ToLongFunction<byte[]> claimedSize) {
    this.filter = filter;
    this.clientData = clientData.clone();
    this.claimedSize = claimedSize;
  }

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    long claimed = claimedSize.applyAsLong(encoded);
    if (claimed < 0 || claimed > maxOutput) {
      throw new Hdf5FormatException(
          filter.getName() + " chunk claims " + claimed + " decoded bytes, more than " + maxOutput);
    }
    try {
      return filter.decode(encoded, clientData);
    } catch (RuntimeException e) {
      throw new Hdf5FormatException("corrupt " + filter.getName() + " chunk: " + e.getMessage(), e);
    }
  }
}
