package io.arraymorph.spark.source;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.hdf5.Hdf5Values;
import io.arraymorph.scan.ChunkTaskReader;
import io.arraymorph.scan.Region;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;

/**
 * Reads a rows-layout partition: one row per index of the first axis, the remaining axes as nested
 * arrays. Core's {@link ChunkTaskReader} reads the task's row bands (one band ahead of the rows
 * emitted) and makes the task's version check after the last one, as for the cells layout; this
 * class only turns its buffers into rows.
 */
final class SparkRowsReader implements PartitionReader<InternalRow> {
  /** Bands fetched ahead of the one being emitted (a band can hold many chunks). */
  private static final int BANDS_AHEAD = 2;

  private final SparkRowsPartition part;
  private final ArrayStore store;
  private final ChunkTaskReader reader;
  private final String where;

  private int chunk;
  private int box;
  private boolean inBox;
  private long row;
  private InternalRow value;
  private boolean verified;

  SparkRowsReader(SparkRowsPartition part) {
    this.part = part;
    this.store =
        ArrayStore.openShared(
            part.location(), part.options().storeSettings(), part.task().datasets());
    this.where = part.options().redact(part.location());
    try {
      List<Dataset> datasets = new ArrayList<>();
      for (DatasetRef ref : part.task().datasets()) {
        // Built from the metadata the driver read (for files, the task's chunk locations): no
        // request (checked once, after the read).
        datasets.add(store.dataset(ref));
      }
      this.reader =
          new ChunkTaskReader(
              part.task(),
              datasets,
              part.bandShape(),
              part.options().maxConcurrency(),
              BANDS_AHEAD);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  @Override
  public boolean next() {
    try {
      return advance();
    } catch (RuntimeException e) {
      throw reader.explain(e, store, where);
    }
  }

  private boolean advance() {
    List<List<Region.Box>> bands = part.task().boxes();
    while (true) {
      if (chunk >= bands.size()) {
        verifyVersionsOnce();
        return false;
      }
      List<Region.Box> parts = bands.get(chunk);
      if (box >= parts.size()) {
        reader.release(chunk);
        chunk++;
        box = 0;
        continue;
      }
      Region.Box b = parts.get(box);
      if (!inBox) {
        row = b.lo()[0];
        inBox = true;
      }
      if (b.isEmpty() || row >= b.hi()[0]) {
        inBox = false;
        box++;
        continue;
      }
      reader.prefetchFrom(chunk);
      value = rowOf(b);
      row++;
      return true;
    }
  }

  /** Row {@link #row} of box {@code b} of the current band. */
  private InternalRow rowOf(Region.Box b) {
    Object[] values = new Object[1 + part.datasets().size()];
    values[0] = part.firstAxisTimes() == null ? row : part.firstAxisTimes()[(int) row];
    for (int k = 0; k < part.datasets().size(); k++) {
      SparkArrayInfo info = part.datasets().get(k);
      long[] shape = info.shape();
      LongFunction<Object> leaf;
      long first;
      if (reader.isValues(k)) {
        Hdf5Values v = reader.values(chunk, k, box);
        long inner = 1;
        for (int d = 1; d < shape.length; d++) {
          inner *= shape[d];
        }
        first = (row - b.lo()[0]) * inner;
        leaf = i -> SparkValueColumns.internal(v, Math.toIntExact(i), info.sparkType());
      } else {
        ChunkTaskReader.Buffer buf = reader.numbers(chunk, k, box);
        long[] idx = new long[shape.length];
        idx[0] = row;
        first = buf.elementOf(idx);
        byte[] data = buf.data();
        SparkCfDecoder decoder = info.decoder();
        leaf =
            decoder.isIdentity()
                ? i -> SparkColumnFill.value(info.dataType(), data, i)
                : i -> decoder.value(data, i);
      }
      values[1 + k] = nested(leaf, shape, 1, first);
    }
    return new GenericInternalRow(values);
  }

  /** After the last band: the datasets and files must still be the ones the query planned. */
  private void verifyVersionsOnce() {
    if (!verified) {
      verified = true;
      reader.verifyVersions(
          store, part.datasets().stream().map(SparkArrayInfo::generation).toList(), where);
    }
  }

  /**
   * The elements from {@code first} on, nested along dimensions {@code d..}; leaves from {@code
   * leaf}.
   */
  private static Object nested(LongFunction<Object> leaf, long[] shape, int d, long first) {
    if (d == shape.length) {
      return leaf.apply(first);
    }
    int n = (int) shape[d];
    long step = 1;
    for (int e = d + 1; e < shape.length; e++) {
      step *= shape[e];
    }
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      out[i] = nested(leaf, shape, d + 1, first + i * step);
    }
    return new GenericArrayData(out);
  }

  @Override
  public InternalRow get() {
    return value;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return SparkReadMetrics.taskValues(reader.chunksFetched(), store.stats());
  }

  @Override
  public void close() {
    reader.close();
    store.close();
  }
}
