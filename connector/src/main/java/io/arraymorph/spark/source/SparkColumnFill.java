package io.arraymorph.spark.source;

import io.arraymorph.array.DataType;
import io.arraymorph.array.Float16;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.Decimal;

/** Copies runs of little-endian elements into Spark column vectors, in bulk where types allow. */
final class SparkColumnFill {
  private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private SparkColumnFill() {}

  /** Copies {@code count} elements starting at element {@code first} of {@code src}. */
  static void copy(
      WritableColumnVector v, int rowId, int count, DataType type, byte[] src, long first) {
    int off = Math.toIntExact(first * type.byteSize());
    // Bulk copies are unchecked memory copies: check bounds here so bad input fails, not the JVM.
    if (first < 0 || off + (long) count * type.byteSize() > src.length) {
      throw new IllegalStateException(
          "Copy of "
              + count
              + " elements from element "
              + first
              + " of a "
              + src.length
              + "-byte "
              + type.zarrName()
              + " buffer to row "
              + rowId
              + " is out of bounds");
    }
    switch (type) {
      case INT8 -> v.putBytes(rowId, count, src, off);
      case INT16 -> {
        if (NATIVE_LE) {
          v.putShorts(rowId, count, src, off);
        } else {
          for (int i = 0; i < count; i++) {
            v.putShort(rowId + i, (short) le16(src, off + 2 * i));
          }
        }
      }
      case INT32 -> v.putIntsLittleEndian(rowId, count, src, off);
      case INT64 -> v.putLongsLittleEndian(rowId, count, src, off);
      case FLOAT32 -> v.putFloatsLittleEndian(rowId, count, src, off);
      case FLOAT64 -> v.putDoublesLittleEndian(rowId, count, src, off);
      case BOOL -> {
        for (int i = 0; i < count; i++) {
          v.putBoolean(rowId + i, src[off + i] != 0);
        }
      }
      case UINT8 -> {
        for (int i = 0; i < count; i++) {
          v.putShort(rowId + i, (short) (src[off + i] & 0xff));
        }
      }
      case UINT16 -> {
        for (int i = 0; i < count; i++) {
          v.putInt(rowId + i, le16(src, off + 2 * i));
        }
      }
      case UINT32 -> {
        for (int i = 0; i < count; i++) {
          v.putLong(rowId + i, le32(src, off + 4 * i) & 0xffffffffL);
        }
      }
      case UINT64 -> {
        for (int i = 0; i < count; i++) {
          v.putDecimal(rowId + i, uint64(le64(src, off + 8 * i)), 20);
        }
      }
      case FLOAT16 -> {
        for (int i = 0; i < count; i++) {
          v.putFloat(rowId + i, Float16.toFloat((short) le16(src, off + 2 * i)));
        }
      }
    }
  }

  /** One element as the Java value Spark's row format expects for the type's Spark type. */
  static Object value(DataType type, byte[] src, long index) {
    int off = Math.toIntExact(index * type.byteSize());
    return switch (type) {
      case BOOL -> src[off] != 0;
      case INT8 -> src[off];
      case UINT8 -> (short) (src[off] & 0xff);
      case INT16 -> (short) le16(src, off);
      case UINT16 -> le16(src, off);
      case INT32 -> le32(src, off);
      case UINT32 -> le32(src, off) & 0xffffffffL;
      case INT64 -> le64(src, off);
      case UINT64 -> uint64(le64(src, off));
      case FLOAT16 -> Float16.toFloat((short) le16(src, off));
      case FLOAT32 -> Float.intBitsToFloat(le32(src, off));
      case FLOAT64 -> Double.longBitsToDouble(le64(src, off));
    };
  }

  static Decimal uint64(long bits) {
    BigInteger v = BigInteger.valueOf(bits);
    if (bits < 0) {
      v = v.add(BigInteger.ONE.shiftLeft(64));
    }
    return Decimal.apply(new BigDecimal(v), 20, 0);
  }

  private static int le16(byte[] b, int p) {
    return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
  }

  private static int le32(byte[] b, int p) {
    return (b[p] & 0xff)
        | (b[p + 1] & 0xff) << 8
        | (b[p + 2] & 0xff) << 16
        | (b[p + 3] & 0xff) << 24;
  }

  private static long le64(byte[] b, int p) {
    return (le32(b, p) & 0xffffffffL) | ((long) le32(b, p + 4)) << 32;
  }
}
