package io.arraymorph.spark;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.array.Shapes;
import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.engine.Fill;
import io.arraymorph.store.Futures;
import io.arraymorph.zarr.ZarrDataset;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Writes one task's rows. Rows arrive clustered and sorted by chunk key, so the writer fills one
 * chunk buffer at a time (cells not given keep the fill value, or for an append the stored value),
 * encodes it and puts it asynchronously when the key changes. Duplicate coordinates are an error.
 */
final class SparkDataWriter implements DataWriter<InternalRow> {
  private final SparkWritePlan plan;
  private final ArrayStore store;
  private final int rank;
  private final int[] chunks;
  private final long[] chunkShape;
  private final int chunkElements;
  private final List<SparkWriteTarget> targets;
  private final ZarrDataset[] outs;
  private final ChunkSource[] existing;
  private final AsyncLimiter limiter;
  private final Map<Coords, Buffer> open = new LinkedHashMap<>();
  private final Set<Coords> flushed = new HashSet<>();
  private final Set<Long> rowsSeen = new HashSet<>();
  private final List<long[]> written = new ArrayList<>();
  private final List<CompletableFuture<Void>> puts = new ArrayList<>();
  private final long[] maxIndex;
  private long rows;
  private Long currentKey;
  private Buffer last;

  SparkDataWriter(SparkWritePlan plan) {
    this.plan = plan;
    this.rank = plan.rank();
    this.chunks = plan.chunks();
    this.chunkShape = Shapes.toLong(chunks);
    this.chunkElements = Math.toIntExact(Shapes.product(chunks));
    this.targets = plan.targets();
    this.store = ArrayStore.openShared(plan.options().location(), plan.options().storeSettings());
    this.outs = new ZarrDataset[targets.size()];
    this.existing = new ChunkSource[targets.size()];
    for (int k = 0; k < outs.length; k++) {
      SparkWriteTarget t = targets.get(k);
      outs[k] = store.prepareDataset(plan.writePath(t), t.spec(plan.provisionalShape(), chunks));
      if (t.mode() == SparkWriteTarget.Mode.APPEND) {
        existing[k] = store.dataset(t.path()).chunkSource();
      }
    }
    this.limiter = new AsyncLimiter(plan.options().maxConcurrency());
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

  /** One chunk being filled: per target its bytes and which elements were given. */
  private final class Buffer {
    final long[] coords;
    final NdArray[] data = new NdArray[targets.size()];
    final BitSet[] given = new BitSet[targets.size()];
    final BitSet cells = new BitSet();

    Buffer(long[] coords) {
      this.coords = coords;
      for (int k = 0; k < data.length; k++) {
        DataType t = targets.get(k).dataType();
        byte[] fill = outs[k].fillValue();
        data[k] = NdArray.wrap(t, chunkShape, Fill.chunk(fill, chunkElements));
        given[k] = new BitSet();
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
              + " (option 'shape' or the existing dataset's)");
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
    NdArray a = b.data[k];
    DataType dt = t.dataType();
    b.given[k].set(flat);
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
      byte[] bytes = b.data[k].bytes();
      if (existing[k] != null && b.given[k].cardinality() < chunkElements) {
        // Append: elements this write does not give keep their stored values.
        byte[] old = Futures.join(existing[k].readChunk(b.coords));
        if (old != null) {
          int size = targets.get(k).dataType().byteSize();
          BitSet given = b.given[k];
          for (int e = given.nextClearBit(0); e < chunkElements; e = given.nextClearBit(e + 1)) {
            System.arraycopy(old, e * size, bytes, e * size, size);
          }
        }
      }
      ZarrDataset out = outs[k];
      long[] coords = b.coords;
      puts.add(limiter.submit(() -> out.writeChunk(coords, bytes)));
    }
    written.add(b.coords);
  }

  @Override
  public WriterCommitMessage commit() {
    flushAll();
    Futures.join(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
    return new SparkWriteCommitMessage(written, maxIndex, rows);
  }

  /**
   * Waits for this task's puts and deletes nothing: chunk keys are deterministic, so another
   * attempt of this task (a retry or a speculative copy) may have written the same keys and be the
   * one that commits. The job's commit removes chunks no committed task reported, and its abort
   * removes everything the job wrote.
   */
  @Override
  public void abort() {
    for (CompletableFuture<Void> p : puts) {
      p.exceptionally(e -> null).join();
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
