package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Values an independent library (numpy via zarr-python or h5py) wrote as little-endian C-order
 * bytes, compared with the rows of a cells-layout read: every row's value must equal the reference
 * element at its indices, and every element of the expected box must come exactly once.
 *
 * @param dtype numpy's type string, e.g. {@code <i4}, {@code >f8}, {@code |b1}
 * @param shape the array's shape
 * @param bytes the reference values, little-endian, C order
 */
record SparkReferenceValues(String dtype, long[] shape, byte[] bytes) {

  /**
   * Checks rows with one long column per dimension, then the value column, against the box {@code
   * [lo, hi)} of the reference.
   */
  void assertRowsMatch(List<Row> rows, long[] lo, long[] hi, String label) {
    int rank = shape.length;
    long boxSize = 1;
    for (int d = 0; d < rank; d++) {
      boxSize *= hi[d] - lo[d];
    }
    assertEquals(boxSize, rows.size(), label + ": rows");
    BitSet seen = new BitSet();
    for (Row r : rows) {
      long flat = 0;
      long boxFlat = 0;
      for (int d = 0; d < rank; d++) {
        long i = r.getLong(d);
        assertTrue(i >= lo[d] && i < hi[d], label + ": index " + i + " outside the filter");
        flat = flat * shape[d] + i;
        boxFlat = boxFlat * (hi[d] - lo[d]) + (i - lo[d]);
      }
      assertTrue(!seen.get((int) boxFlat), label + ": element " + flat + " returned twice");
      seen.set((int) boxFlat);
      assertValue(r.get(rank), flat, label);
    }
  }

  /** Checks one value read by Spark against reference element {@code flat}. */
  void assertValue(Object actual, long flat, String label) {
    char kind = dtype.charAt(1);
    int size = Integer.parseInt(dtype.substring(2));
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int at = (int) (flat * size);
    String where = label + " element " + flat;
    switch (kind) {
      case 'b' -> assertEquals(bytes[at] != 0, actual, where);
      case 'f' -> {
        double expected =
            switch (size) {
              case 2 -> halfToDouble(b.getShort(at));
              case 4 -> b.getFloat(at);
              default -> b.getDouble(at);
            };
        double got = ((Number) actual).doubleValue();
        if (!(Double.isNaN(expected) && Double.isNaN(got))) {
          assertEquals(expected, got, 0.0, where);
        }
      }
      case 'i' -> {
        long expected =
            switch (size) {
              case 1 -> bytes[at];
              case 2 -> b.getShort(at);
              case 4 -> b.getInt(at);
              default -> b.getLong(at);
            };
        assertEquals(expected, ((Number) actual).longValue(), where);
      }
      case 'u' -> {
        BigInteger expected =
            switch (size) {
              case 1 -> BigInteger.valueOf(bytes[at] & 0xFF);
              case 2 -> BigInteger.valueOf(b.getShort(at) & 0xFFFF);
              case 4 -> BigInteger.valueOf(b.getInt(at) & 0xFFFFFFFFL);
              default -> new BigInteger(Long.toUnsignedString(b.getLong(at)));
            };
        BigInteger got =
            actual instanceof BigDecimal d
                ? d.toBigIntegerExact()
                : BigInteger.valueOf(((Number) actual).longValue());
        assertEquals(expected, got, where);
      }
      default -> fail("Unexpected dtype " + dtype);
    }
  }

  /** IEEE 754 half precision to double, written out here so the check does not use core's. */
  static double halfToDouble(short bits) {
    int sign = (bits >> 15) & 1;
    int exp = (bits >> 10) & 0x1F;
    int mant = bits & 0x3FF;
    double v;
    if (exp == 0) {
      v = mant * Math.pow(2, -24);
    } else if (exp == 31) {
      v = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    } else {
      v = (1 + mant / 1024.0) * Math.pow(2, exp - 15);
    }
    return sign == 1 ? -v : v;
  }
}
