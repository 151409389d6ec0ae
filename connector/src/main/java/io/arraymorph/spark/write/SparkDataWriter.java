package io.arraymorph.spark.write;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.spark.SparkOptions;
import io.arraymorph.spark.metrics.SparkWriteMetrics;
import io.arraymorph.write.ChunkAssembler;
import io.arraymorph.write.TaskChunks;
import io.arraymorph.write.TaskResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Writes one task's rows: turns Spark rows into element writes on core's {@link ChunkAssembler}
 * (one per dataset), which assembles chunks in whatever order rows arrive, writes each chunk once
 * it is whole and stages the rest as fragments for the merge at commit, refusing duplicate
 * coordinates.
 */
final class SparkDataWriter implements DataWriter<InternalRow> {
  private final SparkWritePlan plan;
  private final ArrayStore store;
  private final int rank;
  private final List<SparkWriteTarget> targets;
  private final ChunkAssembler[] assemblers;
  private final SparkRunCopier[] runs;
  private final long[] maxIndex;
  private final long[] idx;
  private long rows;

  SparkDataWriter(SparkWritePlan plan) {
    this.plan = plan;
    this.rank = plan.rank();
    this.targets = plan.targets();
    this.store = ArrayStore.openShared(plan.options().location(), plan.options().storeSettings());
    this.assemblers = new ChunkAssembler[targets.size()];
    // The task's budget is shared by the datasets it writes.
    long budget = Math.max(1, plan.options().writeBufferBytes() / targets.size());
    for (int k = 0; k < assemblers.length; k++) {
      assemblers[k] =
          new ChunkAssembler(
              targets.get(k).write(), store.objectStore(), budget, plan.options().maxConcurrency());
    }
    this.runs = new SparkRunCopier[targets.size()];
    if (plan.layout() == SparkOptions.Layout.ROWS && rank > 1) {
      for (int k = 0; k < runs.length; k++) {
        runs[k] = SparkRunCopier.of(targets.get(k), plan.chunks()[rank - 1]);
      }
    }
    this.maxIndex = new long[rank];
    Arrays.fill(maxIndex, -1);
    this.idx = new long[rank];
  }

  @Override
  public void write(InternalRow row) {
    rows++;
    idx[0] = index(row, 0);
    if (plan.layout() == SparkOptions.Layout.CELLS) {
      for (int d = 1; d < rank; d++) {
        idx[d] = index(row, d);
      }
      for (int k = 0; k < targets.size(); k++) {
        SparkWriteTarget t = targets.get(k);
        if (!row.isNullAt(t.column())) {
          put(k, row, t.column(), t.sparkType());
        }
      }
    } else {
      for (int k = 0; k < targets.size(); k++) {
        SparkWriteTarget t = targets.get(k);
        if (row.isNullAt(t.column())) {
          continue;
        }
        if (rank == 1) {
          put(k, row, t.column(), t.sparkType());
        } else {
          writeNested(row.getArray(t.column()), 1, k, t);
        }
      }
    }
  }

  private void writeNested(ArrayData a, int d, int k, SparkWriteTarget t) {
    int n = a.numElements();
    if (plan.shapeKnown(d) && n > plan.shape()[d]) {
      throw new IllegalArgumentException(
          "Column '"
              + t.columnName()
              + "' has an array of "
              + n
              + " elements along dimension "
              + d
              + " but the shape is "
              + Arrays.toString(plan.shape()));
    }
    if (d == rank - 1 && runs[k] != null) {
      writeRun(a, n, d, k);
      return;
    }
    for (int i = 0; i < n; i++) {
      if (a.isNullAt(i)) {
        continue;
      }
      idx[d] = i;
      maxIndex[d] = Math.max(maxIndex[d], i);
      if (d == rank - 1) {
        put(k, a, i, t.sparkType());
      } else {
        writeNested(a.getArray(i), d + 1, k, t);
      }
    }
  }

  /**
   * Writes an innermost array as runs of non-null elements, each given to core at once (one chunk
   * lookup per run, not per element): the rows layout's hot loop.
   */
  private void writeRun(ArrayData a, int n, int d, int k) {
    SparkRunCopier r = runs[k];
    int start = 0;
    for (int i = 0; i <= n; i++) {
      if (i < n && !a.isNullAt(i)) {
        continue;
      }
      if (i > start) {
        idx[d] = start;
        r.copy(a, start, i - start, assemblers[k], idx);
        maxIndex[d] = Math.max(maxIndex[d], i - 1);
      }
      start = i + 1;
    }
  }

  private long index(InternalRow row, int d) {
    int col = plan.dimColumns()[d];
    String name = plan.dimNames().get(d);
    if (row.isNullAt(col)) {
      throw new IllegalArgumentException("Index column '" + name + "' holds a null");
    }
    org.apache.spark.sql.types.DataType t = plan.dimTypes()[d];
    long v =
        t.equals(DataTypes.LongType)
            ? row.getLong(col)
            : t.equals(DataTypes.IntegerType)
                ? row.getInt(col)
                : t.equals(DataTypes.ShortType) ? row.getShort(col) : row.getByte(col);
    if (v < 0) {
      throw new IllegalArgumentException(
          "Index column '" + name + "' holds the negative index " + v + "; indices start at 0");
    }
    if (plan.shapeKnown(d) && v >= plan.shape()[d]) {
      throw new IllegalArgumentException(
          "Index column '"
              + name
              + "' holds "
              + v
              + ", outside the shape "
              + Arrays.toString(plan.shape())
              + " (option 'shape')");
    }
    maxIndex[d] = Math.max(maxIndex[d], v);
    return v;
  }

  private void put(
      int k,
      org.apache.spark.sql.catalyst.expressions.SpecializedGetters src,
      int ordinal,
      org.apache.spark.sql.types.DataType type) {
    SparkWriteTarget t = targets.get(k);
    ChunkAssembler a = assemblers[k];
    DataType dt = t.dataType();
    if (type.equals(DataTypes.BooleanType)) {
      a.setLong(idx, src.getBoolean(ordinal) ? 1 : 0);
    } else if (type.equals(DataTypes.FloatType)) {
      a.setDouble(idx, src.getFloat(ordinal));
    } else if (type.equals(DataTypes.DoubleType)) {
      a.setDouble(idx, src.getDouble(ordinal));
    } else if (type instanceof DecimalType d) {
      BigDecimal v = src.getDecimal(ordinal, d.precision(), d.scale()).toJavaBigDecimal();
      if (dt.isFloatingPoint()) {
        a.setDouble(idx, v.doubleValue());
      } else if (dt == DataType.UINT64) {
        if (v.signum() < 0 || v.toBigInteger().bitLength() > 64) {
          throw outOfRange(t, v.toString());
        }
        a.setLong(idx, v.toBigInteger().longValue());
      } else {
        long x = v.longValue();
        checkRange(t, x);
        a.setLong(idx, x);
      }
    } else {
      long x =
          type.equals(DataTypes.LongType)
              ? src.getLong(ordinal)
              : type.equals(DataTypes.IntegerType)
                  ? src.getInt(ordinal)
                  : type.equals(DataTypes.ShortType) ? src.getShort(ordinal) : src.getByte(ordinal);
      if (dt.isFloatingPoint()) {
        a.setDouble(idx, (double) x);
      } else {
        checkRange(t, x);
        a.setLong(idx, x);
      }
    }
  }

  private static void checkRange(SparkWriteTarget t, long x) {
    if (x < minOf(t.dataType()) || x > maxOf(t.dataType())) {
      throw outOfRange(t, Long.toString(x));
    }
  }

  /** The smallest integral value dtype {@code dt} holds. */
  static long minOf(DataType dt) {
    return switch (dt) {
      case BOOL, UINT8, UINT16, UINT32, UINT64 -> 0;
      case INT8 -> Byte.MIN_VALUE;
      case INT16 -> Short.MIN_VALUE;
      case INT32 -> Integer.MIN_VALUE;
      default -> Long.MIN_VALUE;
    };
  }

  /** The largest integral value dtype {@code dt} holds (uint64: as a non-negative long). */
  static long maxOf(DataType dt) {
    return switch (dt) {
      case BOOL -> 1;
      case INT8 -> Byte.MAX_VALUE;
      case UINT8 -> 255;
      case INT16 -> Short.MAX_VALUE;
      case UINT16 -> 65535;
      case INT32 -> Integer.MAX_VALUE;
      case UINT32 -> 0xffffffffL;
      default -> Long.MAX_VALUE;
    };
  }

  static IllegalArgumentException outOfRange(SparkWriteTarget t, String v) {
    return new IllegalArgumentException(
        "Column '"
            + t.columnName()
            + "' holds "
            + v
            + ", which does not fit dtype "
            + t.dataType().zarrName()
            + " (option 'dtype')");
  }

  @Override
  public WriterCommitMessage commit() {
    List<TaskChunks> chunks = new ArrayList<>();
    for (ChunkAssembler a : assemblers) {
      chunks.add(a.finish());
    }
    return new SparkWriteCommitMessage(new TaskResult(List.of(), maxIndex, rows), chunks);
  }

  /** Waits for this task's puts and deletes nothing (see {@link ChunkAssembler#abort}). */
  @Override
  public void abort() {
    for (ChunkAssembler a : assemblers) {
      a.abort();
    }
  }

  /**
   * Spark reads task metrics before {@link #commit()}, so chunks still buffered count as fragments
   * (the commit stages them); bytes count what was put so far.
   */
  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    long chunks = 0;
    long fragments = 0;
    long peak = 0;
    for (ChunkAssembler a : assemblers) {
      chunks += a.chunksWritten();
      fragments += a.fragmentsStaged();
      peak += a.peakBufferedBytes();
    }
    return SparkWriteMetrics.taskValues(chunks, fragments, store.stats(), peak);
  }

  @Override
  public void close() {
    store.close();
  }
}
