package io.arraymorph.spark.write;

import io.arraymorph.array.DataType;
import io.arraymorph.write.ChunkAssembler;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataTypes;

/**
 * Copies runs of an innermost Spark array into one dataset's {@link ChunkAssembler} in bulk: the
 * element type is resolved once per task, values are gathered into a reused primitive buffer with
 * their range checked, and core takes the run at once. Converts exactly as {@link
 * SparkDataWriter}'s per-element path does.
 */
final class SparkRunCopier {
  private enum Source {
    BOOLEAN,
    BYTE,
    SHORT,
    INT,
    LONG,
    FLOAT,
    DOUBLE
  }

  private final SparkWriteTarget target;
  private final Source source;
  private final boolean toDouble;
  private final long min;
  private final long max;
  private long[] longs;
  private double[] doubles;

  private SparkRunCopier(SparkWriteTarget target, Source source, int capacity) {
    this.target = target;
    this.source = source;
    DataType dt = target.dataType();
    this.toDouble = source == Source.FLOAT || source == Source.DOUBLE || dt.isFloatingPoint();
    this.min = SparkDataWriter.minOf(dt);
    this.max = SparkDataWriter.maxOf(dt);
    this.longs = new long[toDouble ? 0 : capacity];
    this.doubles = new double[toDouble ? capacity : 0];
  }

  /**
   * A copier for {@code target}'s innermost element type, or null when that type has no bulk path
   * (decimals: the per-element path converts them).
   */
  static SparkRunCopier of(SparkWriteTarget target, int capacity) {
    org.apache.spark.sql.types.DataType t = target.sparkType();
    Source s;
    if (t.equals(DataTypes.BooleanType)) {
      s = Source.BOOLEAN;
    } else if (t.equals(DataTypes.ByteType)) {
      s = Source.BYTE;
    } else if (t.equals(DataTypes.ShortType)) {
      s = Source.SHORT;
    } else if (t.equals(DataTypes.IntegerType)) {
      s = Source.INT;
    } else if (t.equals(DataTypes.LongType)) {
      s = Source.LONG;
    } else if (t.equals(DataTypes.FloatType)) {
      s = Source.FLOAT;
    } else if (t.equals(DataTypes.DoubleType)) {
      s = Source.DOUBLE;
    } else {
      return null;
    }
    return new SparkRunCopier(target, s, Math.max(1, capacity));
  }

  /**
   * Gives the {@code n} non-null elements {@code a[from..from+n)} to {@code to}, the first at
   * {@code index}.
   */
  void copy(ArrayData a, int from, int n, ChunkAssembler to, long[] index) {
    if (toDouble) {
      if (doubles.length < n) {
        doubles = new double[n];
      }
      double[] v = doubles;
      switch (source) {
        case FLOAT -> {
          for (int i = 0; i < n; i++) {
            v[i] = a.getFloat(from + i);
          }
        }
        case DOUBLE -> {
          for (int i = 0; i < n; i++) {
            v[i] = a.getDouble(from + i);
          }
        }
        default -> {
          for (int i = 0; i < n; i++) {
            v[i] = integral(a, from + i);
          }
        }
      }
      to.setDoubles(index, v, n);
      return;
    }
    if (longs.length < n) {
      longs = new long[n];
    }
    long[] v = longs;
    switch (source) {
      case BOOLEAN -> {
        for (int i = 0; i < n; i++) {
          v[i] = a.getBoolean(from + i) ? 1 : 0;
        }
      }
      case BYTE -> {
        for (int i = 0; i < n; i++) {
          v[i] = check(a.getByte(from + i));
        }
      }
      case SHORT -> {
        for (int i = 0; i < n; i++) {
          v[i] = check(a.getShort(from + i));
        }
      }
      case INT -> {
        for (int i = 0; i < n; i++) {
          v[i] = check(a.getInt(from + i));
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          v[i] = check(a.getLong(from + i));
        }
      }
    }
    to.setLongs(index, v, n);
  }

  private long integral(ArrayData a, int i) {
    return switch (source) {
      case BOOLEAN -> a.getBoolean(i) ? 1 : 0;
      case BYTE -> a.getByte(i);
      case SHORT -> a.getShort(i);
      case INT -> a.getInt(i);
      default -> a.getLong(i);
    };
  }

  private long check(long x) {
    if (x < min || x > max) {
      throw SparkDataWriter.outOfRange(target, Long.toString(x));
    }
    return x;
  }
}
