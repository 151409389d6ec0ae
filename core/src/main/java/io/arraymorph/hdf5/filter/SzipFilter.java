package io.arraymorph.hdf5.filter;

import io.arraymorph.hdf5.Hdf5FormatException;
import io.arraymorph.hdf5.Hdf5UnsupportedException;

/**
 * HDF5 filter 4, szip, as libhdf5 writes it through szip or its free replacement libaec: a stored
 * chunk is the decoded size (4 bytes, little-endian) followed by a CCSDS 121.0-B stream ({@link
 * AdaptiveEntropyDecoder}).
 *
 * <p>Client data: option mask, pixels per block, bits per pixel, pixels per scanline. In the mask,
 * 32 (nearest neighbour) turns the predictor on and 16 says samples of 9 to 32 bits are stored most
 * significant byte first (otherwise least); the other bits (raw, chip, allow k=13, entropy coding)
 * change nothing when decoding. Pixels of 32 or 64 bits are coded as bytes: the chunk's bytes are
 * first regrouped into planes (every element's first byte, then every second byte, ...). Each
 * scanline is one reference sample interval; when it is not a whole number of blocks, the writer
 * padded every scanline to whole blocks, and the padding is dropped here.
 */
final class SzipFilter implements ChunkFilter {
  static final String NAME = "szip";
  private static final int MSB = 16;
  private static final int NEAREST_NEIGHBOUR = 32;
  private static final int HEADER = 4;

  private final boolean msb;
  private final int pixelsPerScanline;
  private final int bitsPerPixel;
  private final int sampleBits;
  private final int sampleBytes;
  private final AdaptiveEntropyDecoder decoder;

  private SzipFilter(int[] cd, String path) {
    if (cd.length < 4) {
      throw new Hdf5FormatException(
          NAME + " filter of '" + path + "' has " + cd.length + " parameters, expected 4");
    }
    int mask = cd[0];
    int pixelsPerBlock = cd[1];
    bitsPerPixel = cd[2];
    pixelsPerScanline = cd[3];
    if (pixelsPerBlock < 2 || pixelsPerBlock > 64 || pixelsPerBlock % 2 != 0) {
      throw new Hdf5FormatException(
          NAME + " filter of '" + path + "' has " + pixelsPerBlock + " pixels per block");
    }
    if (pixelsPerScanline < 1 || pixelsPerScanline > 1 << 16) {
      throw new Hdf5FormatException(
          NAME + " filter of '" + path + "' has " + pixelsPerScanline + " pixels per scanline");
    }
    if (bitsPerPixel < 1 || (bitsPerPixel > 32 && bitsPerPixel != 64)) {
      throw new Hdf5UnsupportedException(
          NAME + " filter with " + bitsPerPixel + " bits per pixel",
          path,
          "szip codes 1-32 or 64 bits per pixel",
          null);
    }
    msb = (mask & MSB) != 0;
    sampleBits = bitsPerPixel == 32 || bitsPerPixel == 64 ? 8 : bitsPerPixel;
    sampleBytes = sampleBits > 16 ? 4 : sampleBits > 8 ? 2 : 1;
    int rsiBlocks = (pixelsPerScanline + pixelsPerBlock - 1) / pixelsPerBlock;
    decoder =
        new AdaptiveEntropyDecoder(
            sampleBits, pixelsPerBlock, rsiBlocks, (mask & NEAREST_NEIGHBOUR) != 0);
  }

  static SzipFilter of(int[] clientData, String path) {
    return new SzipFilter(clientData, path);
  }

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    if (encoded.length < HEADER) {
      throw new Hdf5FormatException(
          NAME + " chunk of " + encoded.length + " bytes is shorter than its size header");
    }
    long size =
        (encoded[0] & 0xffL)
            | (encoded[1] & 0xffL) << 8
            | (encoded[2] & 0xffL) << 16
            | (encoded[3] & 0xffL) << 24;
    int wordBytes = bitsPerPixel == 64 ? 8 : bitsPerPixel == 32 ? 4 : sampleBytes;
    if (size > maxOutput || size % wordBytes != 0) {
      throw new Hdf5FormatException(
          NAME
              + " chunk claims "
              + size
              + " decoded bytes (at most "
              + maxOutput
              + ", a multiple of "
              + wordBytes
              + ") (corrupt chunk)");
    }
    int samples = (int) size / sampleBytes;
    int rsiSamples = decoder.rsiSamples();
    boolean padded = rsiSamples != pixelsPerScanline;
    int scanlines = (samples + pixelsPerScanline - 1) / pixelsPerScanline;
    long coded = padded ? (long) scanlines * rsiSamples : samples;
    if (coded > Integer.MAX_VALUE - 8) {
      throw new Hdf5FormatException(NAME + " chunk of " + size + " bytes is too large");
    }
    int[] decoded = decoder.decode(encoded, HEADER, (int) coded);
    byte[] bytes = new byte[(int) size];
    long max = (1L << sampleBits) - 1;
    for (int i = 0; i < samples; i++) {
      int at = padded ? i / pixelsPerScanline * rsiSamples + i % pixelsPerScanline : i;
      long v = Integer.toUnsignedLong(decoded[at]);
      if (v > max) {
        throw new Hdf5FormatException(
            NAME + " stream holds a sample above " + sampleBits + " bits (corrupt chunk)");
      }
      put(bytes, i * sampleBytes, (int) v);
    }
    return sampleBits == bitsPerPixel ? bytes : fromBytePlanes(bytes, bitsPerPixel / 8);
  }

  private void put(byte[] out, int at, int v) {
    for (int b = 0; b < sampleBytes; b++) {
      int shift = 8 * (msb ? sampleBytes - 1 - b : b);
      out[at + b] = (byte) (v >>> shift);
    }
  }

  /** Undoes the regrouping of 4- and 8-byte pixels into byte planes. */
  private static byte[] fromBytePlanes(byte[] planes, int wordBytes) {
    int words = planes.length / wordBytes;
    byte[] out = new byte[planes.length];
    for (int j = 0; j < wordBytes; j++) {
      int base = j * words;
      for (int i = 0; i < words; i++) {
        out[i * wordBytes + j] = planes[base + i];
      }
    }
    return out;
  }
}
