package io.arraymorph.scan;

import io.arraymorph.array.DataType;
import io.arraymorph.array.Float16;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A running count, sum, minimum and maximum of one numeric dataset's elements, fed in the order a
 * scan emits them: the partial result of an aggregate pushed into one task.
 *
 * <p>Semantics are those of SQL engines that widen before adding: integers (signed and unsigned up
 * to 32 bits, and int64) sum into a {@code long}, floating-point values (float16 and float32
 * widened first) into a {@code double}, starting from 0. A float32 or float64 run of contiguous
 * elements is added in four interleaved partial sums (elements 0, 4, 8, ... into the first, 1, 5,
 * 9, ... into the second and so on), combined as {@code (s0 + s1) + (s2 + s3)} and then added to
 * the running sum: four independent additions per step instead of one chain, so the sum keeps up
 * with the transfer. The result is deterministic for a given task and within rounding of the
 * one-at-a-time sum in scan order (the order in which Spark adds the tasks' partial sums is not
 * fixed either; which order overflows to an infinity, or meets both infinities, differs likewise).
 * An integer sum that leaves the {@code long} range is refused ({@link ArithmeticException}), never
 * wrapped: engines disagree on overflow (wrap, error or null), and a refused pushdown can be run
 * unpushed. Minimum and maximum order floating-point values with NaN above every other value and
 * equal to itself, and {@code -0.0} equal to {@code 0.0}; on ties the first value seen is kept.
 * Every element counts: a missing chunk contributes its fill value, as a scan would emit it. uint64
 * and bool are not aggregated ({@link #supports}).
 */
public final class ChunkAggregate {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private final DataType type;
  private final boolean floating;
  private final boolean minMax;
  private boolean seen;
  private long count;
  private long longSum;
  private double doubleSum;
  private long longMin;
  private long longMax;
  private double doubleMin;
  private double doubleMax;

  /**
   * An empty aggregate of elements of {@code type} (see {@link #supports}); {@code minMax}: whether
   * to track the minimum and maximum of floating-point values too (integers always track them).
   */
  public ChunkAggregate(DataType type, boolean minMax) {
    if (!supports(type)) {
      throw new IllegalArgumentException(
          "Aggregates over " + type.zarrName() + " elements are not computed in the scan");
    }
    this.type = type;
    this.floating = type.isFloatingPoint();
    this.minMax = minMax;
  }

  /** Whether elements of {@code type} can be aggregated (every numeric type but uint64). */
  public static boolean supports(DataType type) {
    return type != DataType.BOOL && type != DataType.UINT64;
  }

  /**
   * Adds the elements of dataset {@code k} that {@code task} emits, read through {@code reader}, in
   * the order a scan emits them (chunk by chunk, box by box, C order within a box).
   */
  public void addTask(ChunkTask task, ChunkTaskReader reader, int k) {
    int nChunks = task.chunkCoords().size();
    for (int i = 0; i < nChunks; i++) {
      reader.prefetchFrom(i);
      List<Region.Box> boxes = task.boxes().get(i);
      for (int b = 0; b < boxes.size(); b++) {
        Region.Box box = boxes.get(b);
        if (!box.isEmpty()) {
          addBox(reader.numbers(i, k, b), box);
        }
      }
      reader.release(i);
    }
  }

  private void addBox(ChunkTaskReader.Buffer buf, Region.Box box) {
    int rank = box.lo().length;
    if (rank == 0) {
      add(buf.data(), 0, 1);
      return;
    }
    // Trailing dimensions the box spans whole in the buffer are contiguous there: one run (a whole
    // chunk is one run instead of one per row).
    int last = rank - 1;
    long run = box.hi()[last] - box.lo()[last];
    while (last > 0 && spansWhole(buf, box, last)) {
      last--;
      run *= box.hi()[last] - box.lo()[last];
    }
    int lineLen = Math.toIntExact(run);
    long[] idx = box.lo().clone();
    while (true) {
      add(buf.data(), buf.elementOf(idx), lineLen);
      int d = last - 1;
      while (d >= 0 && ++idx[d] >= box.hi()[d]) {
        idx[d] = box.lo()[d];
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }

  /** Whether {@code box} covers all of {@code buf}'s extent in dimension {@code d}. */
  private static boolean spansWhole(ChunkTaskReader.Buffer buf, Region.Box box, int d) {
    return box.lo()[d] == buf.origin()[d] && box.hi()[d] == buf.origin()[d] + buf.shape()[d];
  }

  /**
   * Adds {@code n} contiguous little-endian elements of {@code src} starting at element {@code
   * first} (floating-point values in four partial sums, see the class comment).
   */
  public void add(byte[] src, long first, int n) {
    int size = type.byteSize();
    long off = first * size;
    if (first < 0 || off + (long) n * size > src.length) {
      throw new IllegalStateException(
          "Aggregate of " + n + " elements from element " + first + " is out of bounds");
    }
    int o = (int) off;
    // One loop per type with the sum in a local: this runs once per element of a pushed scan.
    switch (type) {
      case FLOAT32 -> {
        doubleSum += floatRunSum(src, o, n);
        if (minMax) {
          for (int t = 0; t < n; t++) {
            minMaxDouble((float) FLOAT.get(src, o + 4 * t));
          }
        }
      }
      case FLOAT64 -> {
        doubleSum += doubleRunSum(src, o, n);
        if (minMax) {
          for (int t = 0; t < n; t++) {
            minMaxDouble((double) DOUBLE.get(src, o + 8 * t));
          }
        }
      }
      case FLOAT16 -> {
        for (int t = 0; t < n; t++) {
          double v = Float16.toFloat((short) SHORT.get(src, o + 2 * t));
          doubleSum += v;
          if (minMax) {
            minMaxDouble(v);
          }
        }
      }
      case INT64 -> {
        for (int t = 0; t < n; t++) {
          addLong((long) LONG.get(src, o + 8 * t));
        }
      }
      default -> {
        for (int t = 0; t < n; t++) {
          addLong(smallIntAt(src, o + t * size));
        }
      }
    }
    count += n;
  }

  /**
   * The sum of {@code n} float32 values at byte {@code o}, widened, in four interleaved partial
   * sums: four independent chains of additions, where one chain would be bound by their latency.
   */
  private static double floatRunSum(byte[] src, int o, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int t = 0;
    for (; t + 4 <= n; t += 4) {
      int p = o + 4 * t;
      s0 += (float) FLOAT.get(src, p);
      s1 += (float) FLOAT.get(src, p + 4);
      s2 += (float) FLOAT.get(src, p + 8);
      s3 += (float) FLOAT.get(src, p + 12);
    }
    for (; t < n; t++) {
      s0 += (float) FLOAT.get(src, o + 4 * t);
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** As {@link #floatRunSum}, for float64 values. */
  private static double doubleRunSum(byte[] src, int o, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int t = 0;
    for (; t + 4 <= n; t += 4) {
      int p = o + 8 * t;
      s0 += (double) DOUBLE.get(src, p);
      s1 += (double) DOUBLE.get(src, p + 8);
      s2 += (double) DOUBLE.get(src, p + 16);
      s3 += (double) DOUBLE.get(src, p + 24);
    }
    for (; t < n; t++) {
      s0 += (double) DOUBLE.get(src, o + 8 * t);
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Updates min and max with {@code v}; the first value of the aggregate sets both. */
  private void minMaxDouble(double v) {
    if (!seen) {
      doubleMin = v;
      doubleMax = v;
      seen = true;
      return;
    }
    if (greater(doubleMin, v)) {
      doubleMin = v;
    }
    if (greater(v, doubleMax)) {
      doubleMax = v;
    }
  }

  private void addLong(long v) {
    if (!seen) {
      longMin = v;
      longMax = v;
      seen = true;
    } else {
      longMin = Math.min(longMin, v);
      longMax = Math.max(longMax, v);
    }
    try {
      longSum = Math.addExact(longSum, v);
    } catch (ArithmeticException e) {
      throw new ArithmeticException(
          "The sum of "
              + type.zarrName()
              + " values leaves the 64-bit range within one task; set option"
              + " push_aggregates=false so the query engine sums them by its own overflow rules");
    }
  }

  /** a > b with NaN largest and equal to itself, -0.0 equal to 0.0. */
  private static boolean greater(double a, double b) {
    return a != b && Double.compare(a, b) > 0;
  }

  /** An integer element of up to 32 bits, sign- or zero-extended by its type. */
  private long smallIntAt(byte[] b, int p) {
    return switch (type) {
      case INT8 -> b[p];
      case UINT8 -> b[p] & 0xff;
      case INT16 -> (short) SHORT.get(b, p);
      case UINT16 -> ((short) SHORT.get(b, p)) & 0xffff;
      case INT32 -> (int) INT.get(b, p);
      case UINT32 -> ((int) INT.get(b, p)) & 0xffffffffL;
      default -> throw new IllegalStateException("not a small integer type: " + type);
    };
  }

  /** Whether values are floating point (sum, min and max are then doubles). */
  public boolean isFloatingPoint() {
    return floating;
  }

  /** Elements added. */
  public long count() {
    return count;
  }

  /** The integer sum (0 when empty); for integer types. */
  public long longSum() {
    return longSum;
  }

  /** The floating-point sum (0 when empty); for floating-point types. */
  public double doubleSum() {
    return doubleSum;
  }

  /** The smallest integer (undefined when empty). */
  public long longMin() {
    return longMin;
  }

  /** The largest integer (undefined when empty). */
  public long longMax() {
    return longMax;
  }

  /** The smallest floating-point value, NaN only when every value is NaN (undefined when empty). */
  public double doubleMin() {
    return doubleMin;
  }

  /** The largest floating-point value, NaN when any is NaN (undefined when empty). */
  public double doubleMax() {
    return doubleMax;
  }
}
