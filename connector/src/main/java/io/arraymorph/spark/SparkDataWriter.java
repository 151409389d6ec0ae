package io.arraymorph.spark;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.write.ChunkBuffer;
import io.arraymorph.write.TaskResult;
import io.arraymorph.write.TaskWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Writes one task's rows: turns Spark rows into core {@link ChunkBuffer}s and hands each finished
 * chunk to core's {@link TaskWriter} (which completes an append's chunk from the stored one,
 * encodes it with the dataset's codecs and puts it). Rows arrive clustered and sorted by chunk key,
 * so one chunk is filled at a time. Duplicate coordinates are an error.
 */
final class SparkDataWriter implements DataWriter<InternalRow> {
  private final SparkWritePlan plan;
  private final ArrayStore store;
  private final int rank;
  private final int[] chunks;
  private final List<SparkWriteTarget> targets;
  private final TaskWriter[] writers;
  private final Map<Coords, Buffer> open = new LinkedHashMap<>();
  private final Set<Coords> flushed = new HashSet<>();
  private final Set<Long> rowsSeen = new HashSet<>();
  private final List<long[]> written = new ArrayList<>();
  private final long[] maxIndex;
  private long rows;
  private Long currentKey;
  private Buffer last;

  SparkDataWriter(SparkWritePlan plan) {
    this.plan = plan;
    this.rank = plan.rank();
    this.chunks = plan.chunks();
    this.targets = plan.targets();
    this.store = ArrayStore.openShared(plan.options().location(), plan.options().storeSettings());
    this.writers = new TaskWriter[targets.size()];
    for (int k = 0; k < writers.length; k++) {
      writers[k] =
          targets.get(k).write().openTask(store.objectStore(), plan.options().maxConcurrency());
    }
    this.maxIndex = new long[rank];
    Arrays.fill(maxIndex, -1);
  }

  /** Chunk coordinates as a map key. */
  private record Coords(long[] c) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Coords x && Arrays.equals(c, x.c);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(c);
    }
  }

  /** One chunk being filled: per target core's chunk buffer, and which cells rows gave. */
  private final class Buffer {
    final long[] coords;
    final ChunkBuffer[] data = new ChunkBuffer[targets.size()];
    final BitSet cells = new BitSet();

    Buffer(long[] coords) {
      this.coords = coords;
      for (int k = 0; k < data.length; k++) {
        data[k] = writers[k].buffer(coords);
      }
    }
  }

  @Override
  public void write(InternalRow row) {
    rows++;
    long first = index(row, 0);
    if (plan.layout() == SparkOptions.Layout.CELLS) {
      long[] idx = new long[rank];
      idx[0] = first;
      for (int d = 1; d < rank; d++) {
        idx[d] = index(row, d);
      }
      Buffer b = buffer(idx);
      int flat = flatInChunk(idx);
      if (b.cells.get(flat)) {
        throw new IllegalArgumentException(
            "Duplicate coordinates "
                + coordText(idx)
                + " in the input: each element is written once");
      }
      b.cells.set(flat);
      for (int k = 0; k < targets.size(); k++) {
        SparkWriteTarget t = targets.get(k);
        if (!row.isNullAt(t.column())) {
          put(b, k, flat, row, t.column(), t.sparkType());
        }
      }
    } else {
      if (!rowsSeen.add(first)) {
        throw new IllegalArgumentException(
            "Duplicate coordinates (" + plan.dimNames().get(0) + "=" + first + ") in the input");
      }
      for (int k = 0; k < targets.size(); k++) {
        SparkWriteTarget t = targets.get(k);
        if (row.isNullAt(t.column())) {
          continue;
        }
        long[] idx = new long[rank];
        idx[0] = first;
        if (rank == 1) {
          Buffer b = buffer(idx);
          put(b, k, flatInChunk(idx), row, t.column(), t.sparkType());
        } else {
          writeNested(row.getArray(t.column()), 1, idx, k, t);
        }
      }
    }
  }

  private void writeNested(ArrayData a, int d, long[] idx, int k, SparkWriteTarget t) {
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
    for (int i = 0; i < n; i++) {
      if (a.isNullAt(i)) {
        continue;
      }
      idx[d] = i;
      maxIndex[d] = Math.max(maxIndex[d], i);
      if (d == rank - 1) {
        Buffer b = buffer(idx);
        put(b, k, flatInChunk(idx), a, i, t.sparkType());
      } else {
        writeNested(a.getArray(i), d + 1, idx, k, t);
      }
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

  private Buffer buffer(long[] idx) {
    long[] coords = new long[rank];
    for (int d = 0; d < rank; d++) {
      coords[d] = idx[d] / chunks[d];
    }
    if (last != null && Arrays.equals(last.coords, coords)) {
      return last;
    }
    long key = chunkKey(coords);
    if (currentKey != null && key != currentKey) {
      flushAll();
    }
    currentKey = key;
    Coords c = new Coords(coords);
    Buffer b = open.get(c);
    if (b == null) {
      if (flushed.contains(c)) {
        throw new IllegalStateException(
            "Rows of chunk "
                + Arrays.toString(coords)
                + " arrived after the chunk was written: the write's clustering by chunk was not"
                + " applied");
      }
      b = new Buffer(coords);
      open.put(c, b);
    }
    last = b;
    return b;
  }

  /** The sort key rows arrive in: the same value {@link SparkChunkIndexFunction} computes. */
  private long chunkKey(long[] coords) {
    int n = plan.layout() == SparkOptions.Layout.CELLS ? rank : 1;
    long key = 0;
    for (int d = 0; d < n; d++) {
      key = key * 0x9E3779B97F4A7C15L + coords[d];
    }
    return key;
  }

  private int flatInChunk(long[] idx) {
    long flat = 0;
    for (int d = 0; d < rank; d++) {
      flat = flat * chunks[d] + idx[d] % chunks[d];
    }
    return (int) flat;
  }

  private String coordText(long[] idx) {
    StringBuilder sb = new StringBuilder("(");
    for (int d = 0; d < idx.length; d++) {
      sb.append(d == 0 ? "" : ", ").append(plan.dimNames().get(d)).append('=').append(idx[d]);
    }
    return sb.append(')').toString();
  }

  private void put(
      Buffer b,
      int k,
      int flat,
      org.apache.spark.sql.catalyst.expressions.SpecializedGetters src,
      int ordinal,
      org.apache.spark.sql.types.DataType type) {
    SparkWriteTarget t = targets.get(k);
    ChunkBuffer a = b.data[k];
    DataType dt = t.dataType();
    if (type.equals(DataTypes.BooleanType)) {
      a.setLong(flat, src.getBoolean(ordinal) ? 1 : 0);
    } else if (type.equals(DataTypes.FloatType)) {
      a.setDouble(flat, src.getFloat(ordinal));
    } else if (type.equals(DataTypes.DoubleType)) {
      a.setDouble(flat, src.getDouble(ordinal));
    } else if (type instanceof DecimalType d) {
      BigDecimal v = src.getDecimal(ordinal, d.precision(), d.scale()).toJavaBigDecimal();
      if (dt.isFloatingPoint()) {
        a.setDouble(flat, v.doubleValue());
      } else if (dt == DataType.UINT64) {
        if (v.signum() < 0 || v.toBigInteger().bitLength() > 64) {
          throw outOfRange(t, v.toString());
        }
        a.setLong(flat, v.toBigInteger().longValue());
      } else {
        long x = v.longValue();
        checkRange(t, x);
        a.setLong(flat, x);
      }
    } else {
      long x =
          type.equals(DataTypes.LongType)
              ? src.getLong(ordinal)
              : type.equals(DataTypes.IntegerType)
                  ? src.getInt(ordinal)
                  : type.equals(DataTypes.ShortType) ? src.getShort(ordinal) : src.getByte(ordinal);
      if (dt.isFloatingPoint()) {
        a.setDouble(flat, x);
      } else {
        checkRange(t, x);
        a.setLong(flat, x);
      }
    }
  }

  private static void checkRange(SparkWriteTarget t, long x) {
    long min;
    long max;
    switch (t.dataType()) {
      case BOOL -> {
        min = 0;
        max = 1;
      }
      case INT8 -> {
        min = Byte.MIN_VALUE;
        max = Byte.MAX_VALUE;
      }
      case UINT8 -> {
        min = 0;
        max = 255;
      }
      case INT16 -> {
        min = Short.MIN_VALUE;
        max = Short.MAX_VALUE;
      }
      case UINT16 -> {
        min = 0;
        max = 65535;
      }
      case INT32 -> {
        min = Integer.MIN_VALUE;
        max = Integer.MAX_VALUE;
      }
      case UINT32 -> {
        min = 0;
        max = 0xffffffffL;
      }
      case UINT64 -> {
        min = 0;
        max = Long.MAX_VALUE;
      }
      default -> {
        min = Long.MIN_VALUE;
        max = Long.MAX_VALUE;
      }
    }
    if (x < min || x > max) {
      throw outOfRange(t, Long.toString(x));
    }
  }

  private static IllegalArgumentException outOfRange(SparkWriteTarget t, String v) {
    return new IllegalArgumentException(
        "Column '"
            + t.columnName()
            + "' holds "
            + v
            + ", which does not fit dtype "
            + t.dataType().zarrName()
            + " (option 'dtype')");
  }

  private void flushAll() {
    for (Buffer b : open.values()) {
      flush(b);
      flushed.add(new Coords(b.coords));
    }
    open.clear();
    last = null;
  }

  private void flush(Buffer b) {
    for (int k = 0; k < targets.size(); k++) {
      writers[k].write(b.data[k]);
    }
    written.add(b.coords);
  }

  @Override
  public WriterCommitMessage commit() {
    flushAll();
    for (TaskWriter w : writers) {
      w.finish();
    }
    return new SparkWriteCommitMessage(new TaskResult(written, maxIndex, rows));
  }

  /** Waits for this task's puts and deletes nothing (see {@link TaskWriter#abort}). */
  @Override
  public void abort() {
    for (TaskWriter w : writers) {
      w.abort();
    }
  }

  /**
   * Spark reads task metrics before {@link #commit()}, so chunks still buffered (written at commit)
   * count as written; bytes count what was put so far.
   */
  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    long chunks = (written.size() + (long) open.size()) * targets.size();
    return SparkWriteMetrics.taskValues(chunks, store.stats());
  }

  @Override
  public void close() {
    store.close();
  }
}
