package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkSource;
import java.util.concurrent.CompletableFuture;

/**
 * The chunks of an n-bit integer dataset (an integer type whose value is {@code precision} bits
 * starting at bit {@code offset}, as HDF5 allows and the nbit filter packs), turned into plain
 * integers of the element's size: the value bits shifted down and, for signed types, sign-extended
 * from the top value bit, as libhdf5's conversion to a native integer does. Padding bits are
 * ignored.
 */
final class NbitIntegerSource implements ChunkSource {
  private final ChunkSource raw;
  private final ElementType type;

  /**
   * @param raw the stored elements, little-endian, and their stored fill value
   */
  NbitIntegerSource(ChunkSource raw, ElementType type) {
    this.raw = raw;
    this.type = type;
  }

  @Override
  public ChunkGrid grid() {
    return raw.grid();
  }

  @Override
  public DataType dataType() {
    return raw.dataType();
  }

  @Override
  public byte[] fillValue() {
    return values(raw.fillValue(), type);
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] chunkCoords) {
    return raw.readChunk(chunkCoords).thenApply(this::valuesOrNull);
  }

  @Override
  public CompletableFuture<byte[]> readChunk(ChunkSelection selection) {
    return raw.readChunk(selection).thenApply(this::valuesOrNull);
  }

  private byte[] valuesOrNull(byte[] chunk) {
    return chunk == null ? null : values(chunk, type);
  }

  /**
   * A new array of the values of little-endian elements of an n-bit type (a new array: sources may
   * reuse theirs).
   */
  static byte[] values(byte[] elements, ElementType type) {
    if (type.floatFields() != null) {
      return floats(elements, type);
    }
    int size = type.dataType().byteSize();
    int precision = type.precision();
    int offset = type.bitOffset();
    boolean signed = type.dataType().kind() == DataType.Kind.SIGNED;
    byte[] out = new byte[elements.length];
    long mask = precision == 64 ? -1L : (1L << precision) - 1;
    long sign = 1L << (precision - 1);
    for (int at = 0; at + size <= elements.length; at += size) {
      long v = (get(elements, at, size) >>> offset) & mask;
      if (signed && (v & sign) != 0) {
        v |= ~mask;
      }
      put(out, at, size, v);
    }
    return out;
  }

  /**
   * Values of an n-bit floating-point type as IEEE numbers of its size: sign, exponent and mantissa
   * taken from their fields (implied leading bit, denormals when the exponent is 0, infinities and
   * NaN when it is all ones), exact since the n-bit fields are narrower than the IEEE ones.
   */
  private static byte[] floats(byte[] elements, ElementType type) {
    ElementType.FloatFields f = type.floatFields();
    int size = type.dataType().byteSize();
    byte[] out = new byte[elements.length];
    long expMax = (1L << f.exponentBits()) - 1;
    long mantMask = (1L << f.mantissaBits()) - 1;
    for (int at = 0; at + size <= elements.length; at += size) {
      long v = get(elements, at, size);
      boolean negative = ((v >>> f.sign()) & 1) != 0;
      long e = (v >>> f.exponentAt()) & expMax;
      long m = (v >>> f.mantissaAt()) & mantMask;
      double d;
      if (e == expMax) {
        d = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
      } else if (e == 0) {
        d = Math.scalb((double) m, (int) (1 - f.bias() - f.mantissaBits()));
      } else {
        d =
            Math.scalb(
                (double) (m | (1L << f.mantissaBits())), (int) (e - f.bias() - f.mantissaBits()));
      }
      d = negative ? -d : d;
      put(
          out,
          at,
          size,
          size == 4
              ? Float.floatToRawIntBits((float) d) & 0xffffffffL
              : Double.doubleToRawLongBits(d));
    }
    return out;
  }

  private static long get(byte[] b, int at, int size) {
    long v = 0;
    for (int i = 0; i < size; i++) {
      v |= (b[at + i] & 0xffL) << (8 * i);
    }
    return v;
  }

  private static void put(byte[] b, int at, int size, long v) {
    for (int i = 0; i < size; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
