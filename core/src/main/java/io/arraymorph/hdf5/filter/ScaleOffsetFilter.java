package io.arraymorph.hdf5.filter;

import io.arraymorph.hdf5.Hdf5FormatException;
import io.arraymorph.hdf5.Hdf5UnsupportedException;

/**
 * HDF5 filter 6, scaleoffset (libhdf5 built-in), decoded from the HDF5 specification's description:
 * each value is stored as its difference from the chunk's minimum in the fewest bits that hold the
 * chunk's range; floating-point values (D-scaling) are first multiplied by {@code 10^D} and
 * rounded, so they come back as {@code n / 10^D + min} in the type's own precision (lossy by
 * design, and equal to what libhdf5 reads).
 *
 * <p>A chunk starts with 21 bytes: the bit count (4 bytes, little-endian), the minimum's byte count
 * and the minimum (little-endian, for floats the value's bits), then the packed values ({@link
 * PackedBits}). A bit count equal to the type's width means the values are stored whole, in
 * little-endian order (the writer's memory order). With a fill value defined, the all-ones value
 * stands for it.
 *
 * <p>Client data: scale type (0 float D-scaling, 1 float E-scaling, 2 integer), scale factor (D, or
 * the integer bit count: the type's width means the filter did nothing), elements per chunk, class
 * (0 integer, 1 float), size, sign (0 unsigned, 1 two's complement), byte order (0 little, 1 big),
 * whether a fill value is defined, then the fill value's bytes, four to a value, little-endian.
 */
final class ScaleOffsetFilter implements ChunkFilter {
  static final String NAME = "scaleoffset";
  private static final int HEADER = 21;

  private final boolean floating;
  private final boolean passThrough;
  private final int size;
  private final boolean bigEndian;
  private final long elements;
  private final boolean fillDefined;
  private final long fillBits;
  private final int decimalScale;

  private ScaleOffsetFilter(int[] cd, String path) {
    if (cd.length < 8) {
      throw new Hdf5FormatException(
          NAME + " filter of '" + path + "' has " + cd.length + " parameters, expected at least 8");
    }
    int scaleType = cd[0];
    int classCode = cd[3];
    size = cd[4];
    floating = classCode == 1;
    bigEndian = cd[6] == 1;
    elements = cd[2] & 0xffffffffL;
    fillDefined = cd[7] == 1;
    long fill = 0;
    for (int i = 0; i < (size + 3) / 4 && 8 + i < cd.length; i++) {
      fill |= (cd[8 + i] & 0xffffffffL) << (32 * i);
    }
    fillBits = fill;
    if ((classCode != 0 && classCode != 1)
        || (floating && size != 4 && size != 8)
        || (!floating && size != 1 && size != 2 && size != 4 && size != 8)) {
      throw new Hdf5UnsupportedException(
          NAME + " filter on a " + size + "-byte " + (floating ? "float" : "class " + classCode),
          path);
    }
    if (floating && scaleType == 1) {
      throw new Hdf5UnsupportedException(
          NAME + " filter with E-scaling", path, "libhdf5 cannot decode it either", null);
    }
    if (floating ? scaleType != 0 : scaleType != 2) {
      throw new Hdf5FormatException(
          NAME + " filter of '" + path + "' has scale type " + scaleType + " for its class");
    }
    int factor = cd[1];
    if (!floating && factor > size * 8) {
      throw new Hdf5FormatException(
          NAME + " filter of '" + path + "' asks for " + factor + " bits of " + size * 8);
    }
    passThrough = !floating && factor == size * 8;
    decimalScale = factor;
  }

  static ScaleOffsetFilter of(int[] clientData, String path) {
    return new ScaleOffsetFilter(clientData, path);
  }

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    if (passThrough) {
      return encoded; // libhdf5 stores such chunks as they are
    }
    long total = elements * size;
    if (total > maxOutput) {
      throw corrupt("declares " + elements + " elements, more than the chunk holds");
    }
    if (encoded.length < HEADER) {
      throw corrupt("is " + encoded.length + " bytes, shorter than its 21-byte header");
    }
    long minBits = ElementBytes.get(encoded, 0, 4, false);
    if (minBits > size * 8L) {
      // No writer makes this (libhdf5 packs at most the type's width); the bits past the type
      // would be read from outside the element. Current libhdf5 refuses it too (H5Zscaleoffset.c,
      // H5Z__filter_scaleoffset: "minimum number of bits exceeds size of type", since
      // HDFGroup/hdf5#4234); 1.10 reads undefined values.
      throw corrupt(
          "packs values in "
              + minBits
              + " bits, wider than the "
              + size * 8
              + "-bit type; current libhdf5 refuses it too)");
    }
    int minvalSize = Math.min(8, encoded[4] & 0xff);
    long minval = ElementBytes.get(encoded, 5, minvalSize, false);
    int n = (int) elements;
    byte[] out = new byte[(int) total];
    if (minBits == size * 8L) {
      if (encoded.length - HEADER < total) {
        throw corrupt("ends before its " + total + " bytes of whole values");
      }
      for (int i = 0; i < n; i++) {
        long v = ElementBytes.get(encoded, HEADER + i * size, size, false);
        ElementBytes.put(out, i * size, size, bigEndian, v);
      }
      return out;
    }
    int bits = (int) minBits;
    if (!PackedBits.fits(encoded.length, HEADER, n, bits)) {
      throw corrupt("ends before its " + n + " values of " + bits + " bits (truncated?)");
    }
    PackedBits packed = new PackedBits(encoded, HEADER);
    long fillMarker = (1L << bits) - 1;
    if (!floating) {
      for (int i = 0; i < n; i++) {
        long v = bits == 0 ? 0 : packed.next(bits);
        v = fillDefined && v == fillMarker ? fillBits : v + minval;
        ElementBytes.put(out, i * size, size, bigEndian, v);
      }
    } else if (size == 4) {
      // As libhdf5: float arithmetic throughout (powf, then a float division and addition).
      // (float) Math.pow gives glibc's powf(10, D) for every D in -20..20 (checked).
      float scale = (float) Math.pow(10.0, decimalScale);
      float min = Float.intBitsToFloat((int) minval);
      for (int i = 0; i < n; i++) {
        long v = bits == 0 ? 0 : packed.next(bits);
        float f =
            fillDefined && v == fillMarker ? Float.intBitsToFloat((int) fillBits) : v / scale + min;
        ElementBytes.put(out, i * 4, 4, bigEndian, Float.floatToRawIntBits(f) & 0xffffffffL);
      }
    } else {
      // 10^D correctly rounded, as glibc's pow gives it (Math.pow is 1 ulp off at D = 23).
      double scale =
          new java.math.BigDecimal(java.math.BigInteger.ONE, -decimalScale).doubleValue();
      double min = Double.longBitsToDouble(minval);
      for (int i = 0; i < n; i++) {
        long v = bits == 0 ? 0 : packed.next(bits);
        double d =
            fillDefined && v == fillMarker ? Double.longBitsToDouble(fillBits) : v / scale + min;
        ElementBytes.put(out, i * 8, 8, bigEndian, Double.doubleToRawLongBits(d));
      }
    }
    return out;
  }

  private static Hdf5FormatException corrupt(String problem) {
    return new Hdf5FormatException(NAME + " chunk " + problem + " (corrupt chunk)");
  }
}
