package io.arraymorph.hdf5.filter;

import io.arraymorph.hdf5.Hdf5ChecksumException;
import io.arraymorph.hdf5.Hdf5FormatException;
import java.util.Arrays;

/**
 * HDF5 filter 3: a Fletcher-32 checksum appended (little-endian) to the chunk. Decoding verifies it
 * and strips it; a mismatch is an error, never silently ignored.
 */
final class Fletcher32Filter implements ChunkFilter {

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    if (encoded.length < 4) {
      throw new Hdf5FormatException("fletcher32 chunk shorter than its 4-byte checksum");
    }
    int n = encoded.length - 4;
    long stored =
        (encoded[n] & 0xffL)
            | (encoded[n + 1] & 0xffL) << 8
            | (encoded[n + 2] & 0xffL) << 16
            | (encoded[n + 3] & 0xffL) << 24;
    long computed = checksum(encoded, n);
    // libhdf5 before 1.6.3 computed it with the bytes of each 16-bit half swapped on little-endian
    // machines; libhdf5 still accepts that form, so files written then stay readable.
    long legacy = ((computed & 0x00ff00ffL) << 8) | ((computed >>> 8) & 0x00ff00ffL);
    if (stored != computed && stored != legacy) {
      throw new Hdf5ChecksumException(
          String.format(
              "fletcher32 checksum mismatch: stored %08x, computed %08x (corrupt chunk)",
              stored, computed));
    }
    return Arrays.copyOf(encoded, n);
  }

  /** The checksum as libhdf5 computes it: big-endian 16-bit words, reduced every 360 words. */
  static long checksum(byte[] data, int length) {
    long sum1 = 0;
    long sum2 = 0;
    int words = length / 2;
    int i = 0;
    while (words > 0) {
      int block = Math.min(words, 360);
      words -= block;
      for (int k = 0; k < block; k++, i += 2) {
        sum1 += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
        sum2 += sum1;
      }
      sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
      sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
    }
    if ((length & 1) != 0) {
      sum1 += (data[length - 1] & 0xff) << 8;
      sum2 += sum1;
      sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
      sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
    }
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
    return ((sum2 << 16) | sum1) & 0xffffffffL;
  }
}
