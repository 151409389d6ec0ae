package io.arraymorph.spark.source;

import io.arraymorph.array.DataType;
import io.arraymorph.array.Float16;
import io.arraymorph.cf.CfEncoding;
import io.arraymorph.spark.SparkTypes;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Writes a variable's values into Spark columns decoded by the CF conventions ({@link CfEncoding}):
 * {@code _Unsigned} reinterprets, missing and out-of-valid-range values become null, packed values
 * are unpacked to float/double, times become timestamps (microseconds since the epoch) or, in model
 * calendars such as {@code 360_day}, strings {@code YYYY-MM-DD hh:mm:ss[.ffffff]}.
 */
final class SparkCfDecoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final CfEncoding cf;

  SparkCfDecoder(CfEncoding cf) {
    this.cf = cf;
  }

  CfEncoding encoding() {
    return cf;
  }

  /** Whether values are copied as stored. */
  boolean isIdentity() {
    return cf.isIdentity();
  }

  /** Whether the column can hold nulls (missing values). */
  boolean nullable() {
    return cf.hasMissing();
  }

  /** The Spark type of decoded values. */
  org.apache.spark.sql.types.DataType sparkType() {
    return switch (cf.decoded()) {
      case AS_STORED -> SparkTypes.toSpark(cf.stored());
      case FLOAT32 -> DataTypes.FloatType;
      case FLOAT64 -> DataTypes.DoubleType;
      case TIMESTAMP -> DataTypes.TimestampType;
      case DATE_STRING -> DataTypes.StringType;
    };
  }

  /** Decodes {@code count} elements starting at element {@code first} of {@code src}. */
  void fill(WritableColumnVector v, int rowId, int count, byte[] src, long first) {
    DataType type = cf.stored();
    if (cf.decoded() == CfEncoding.Decoded.AS_STORED) {
      SparkColumnFill.copy(v, rowId, count, type, src, first);
      if (cf.hasMissing()) {
        ByteBuffer b = ByteBuffer.wrap(src).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < count; t++) {
          if (missing(b, first + t)) {
            v.putNull(rowId + t);
          }
        }
      }
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(src).order(ByteOrder.LITTLE_ENDIAN);
    for (int t = 0; t < count; t++) {
      long i = first + t;
      if (cf.hasMissing() && missing(b, i)) {
        v.putNull(rowId + t);
        continue;
      }
      switch (cf.decoded()) {
        case FLOAT32 -> v.putFloat(rowId + t, cf.unpackFloat((float) raw(b, i)));
        case FLOAT64 -> v.putDouble(rowId + t, cf.unpack(raw(b, i)));
        case DATE_STRING -> v.putByteArray(rowId + t, dateText(b, i).getBytes());
        default -> v.putLong(rowId + t, micros(b, i));
      }
    }
  }

  /** One decoded element as Spark's internal value, or null when missing. */
  Object value(byte[] src, long index) {
    ByteBuffer b = ByteBuffer.wrap(src).order(ByteOrder.LITTLE_ENDIAN);
    if (cf.hasMissing() && missing(b, index)) {
      return null;
    }
    return switch (cf.decoded()) {
      case AS_STORED -> SparkColumnFill.value(cf.stored(), src, index);
      case FLOAT32 -> cf.unpackFloat((float) raw(b, index));
      case FLOAT64 -> cf.unpack(raw(b, index));
      case TIMESTAMP -> micros(b, index);
      case DATE_STRING -> dateText(b, index);
    };
  }

  /** A model-calendar time as its date text. */
  private UTF8String dateText(ByteBuffer b, long i) {
    return UTF8String.fromString(cf.time().format(micros(b, i)));
  }

  /** Decodes one element of a time variable to microseconds since the epoch. */
  long micros(ByteBuffer b, long i) {
    boolean integral = cf.stored().kind() != DataType.Kind.FLOAT;
    if (integral && cf.scale() == null && cf.offset() == null) {
      return cf.time().toMicros(rawLong(b, i));
    }
    return cf.time().toMicros(cf.unpack(raw(b, i)));
  }

  private boolean missing(ByteBuffer b, long i) {
    return cf.stored().kind() == DataType.Kind.FLOAT
        ? cf.isMissing(raw(b, i))
        : cf.isMissing(rawLong(b, i));
  }

  private double raw(ByteBuffer b, long i) {
    return switch (cf.stored()) {
      case FLOAT16 -> Float16.toFloat(b.getShort(at(i, 2)));
      case FLOAT32 -> b.getFloat(at(i, 4));
      case FLOAT64 -> b.getDouble(at(i, 8));
      case UINT64 -> {
        long bits = b.getLong(at(i, 8));
        yield bits >= 0 ? bits : (double) (bits >>> 1) * 2.0 + (bits & 1);
      }
      default -> rawLong(b, i);
    };
  }

  private long rawLong(ByteBuffer b, long i) {
    return switch (cf.stored()) {
      case BOOL, INT8 -> b.get(at(i, 1));
      case UINT8 -> b.get(at(i, 1)) & 0xffL;
      case INT16 -> b.getShort(at(i, 2));
      case UINT16 -> b.getShort(at(i, 2)) & 0xffffL;
      case INT32 -> b.getInt(at(i, 4));
      case UINT32 -> b.getInt(at(i, 4)) & 0xffffffffL;
      case INT64, UINT64 -> b.getLong(at(i, 8));
      case FLOAT16, FLOAT32, FLOAT64 -> (long) raw(b, i);
    };
  }

  private static int at(long index, int size) {
    return Math.toIntExact(index * size);
  }
}
