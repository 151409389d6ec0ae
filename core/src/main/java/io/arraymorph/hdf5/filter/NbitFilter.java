package io.arraymorph.hdf5.filter;

import io.arraymorph.hdf5.Hdf5FormatException;
import io.arraymorph.hdf5.Hdf5UnsupportedException;

/**
 * HDF5 filter 5, nbit (libhdf5 built-in), for integer and floating-point types, decoded from the
 * HDF5 specification's description: of each element only its {@code precision} significant bits
 * (starting {@code offset} bits up) are stored, packed most significant bit first ({@link
 * PackedBits}); decoding puts them back in place, with the other bits zero, in the type's byte
 * order. Interpreting a narrower precision (sign extension) is the datatype's business, not the
 * filter's.
 *
 * <p>Client data: parameter count, a flag that the filter left the data as it was, elements per
 * chunk, then the type: class (1 atomic; 2 array, 3 compound and 4 no-op types are refused here),
 * size, byte order (0 little, 1 big), precision and offset.
 */
final class NbitFilter implements ChunkFilter {
  static final String NAME = "nbit";
  private static final int ATOMIC = 1;

  private final boolean passThrough;
  private final long elements;
  private final int size;
  private final boolean bigEndian;
  private final int precision;
  private final int offset;

  private NbitFilter(int[] cd, String path) {
    if (cd.length < 3) {
      throw new Hdf5FormatException(
          NAME + " filter of '" + path + "' has " + cd.length + " parameters, expected at least 3");
    }
    passThrough = cd[1] != 0;
    elements = cd[2] & 0xffffffffL;
    if (passThrough) {
      size = 0;
      bigEndian = false;
      precision = 0;
      offset = 0;
      return;
    }
    if (cd.length < 8) {
      throw new Hdf5FormatException(
          NAME + " filter of '" + path + "' has " + cd.length + " parameters, expected 8");
    }
    if (cd[3] != ATOMIC) {
      throw new Hdf5UnsupportedException(
          NAME
              + " filter on "
              + (cd[3] == 2 ? "an array" : cd[3] == 3 ? "a compound" : "a")
              + " type",
          path,
          "only integer and floating-point types are decoded; rewrite it with h5repack -f NONE",
          null);
    }
    size = cd[4];
    bigEndian = cd[5] == 1;
    precision = cd[6];
    offset = cd[7];
    if (size < 1
        || size > 8
        || precision < 1
        || offset < 0
        || (long) precision + offset > size * 8L) {
      throw new Hdf5FormatException(
          NAME
              + " filter of '"
              + path
              + "' describes a "
              + size
              + "-byte type with "
              + precision
              + " bits at offset "
              + offset
              + " (corrupt filter parameters)");
    }
  }

  static NbitFilter of(int[] clientData, String path) {
    return new NbitFilter(clientData, path);
  }

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    if (passThrough) {
      return encoded;
    }
    long total = elements * size;
    if (total > maxOutput) {
      throw corrupt("declares " + elements + " elements, more than the chunk holds");
    }
    int n = (int) elements;
    if (!PackedBits.fits(encoded.length, 0, n, precision)) {
      throw corrupt("ends before its " + n + " values of " + precision + " bits (truncated?)");
    }
    byte[] out = new byte[(int) total];
    PackedBits packed = new PackedBits(encoded, 0);
    for (int i = 0; i < n; i++) {
      ElementBytes.put(out, i * size, size, bigEndian, packed.next(precision) << offset);
    }
    return out;
  }

  private static Hdf5FormatException corrupt(String problem) {
    return new Hdf5FormatException(NAME + " chunk " + problem + " (corrupt chunk)");
  }
}
