package io.arraymorph.spark.source;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ArrayReader;
import io.arraymorph.hdf5.Hdf5Values;
import io.arraymorph.scan.VersionCheck;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import io.arraymorph.store.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;

/**
 * Reads a rows-layout partition: one row per index of the first axis, the remaining axes as nested
 * arrays. Each chunk-aligned range is read with one asynchronous selection read per dataset, the
 * next range fetched while the current one is emitted.
 */
final class SparkRowsReader implements PartitionReader<InternalRow> {
  private final SparkRowsPartition part;
  private final ArrayStore store;
  private final List<Dataset> datasets = new ArrayList<>();

  /** Per range, per dataset: an {@link NdArray} of numbers or the {@link Hdf5Values} of values. */
  private final List<List<CompletableFuture<?>>> slabs = new ArrayList<>();

  private long chunksFetched;
  private int range = -1;
  private long row;
  private List<Object> current;
  private InternalRow value;
  private boolean verified;

  SparkRowsReader(SparkRowsPartition part) {
    this.part = part;
    this.store =
        ArrayStore.openShared(
            part.location(),
            part.options().storeSettings(),
            part.datasets().stream().map(SparkArrayInfo::ref).toList());
    for (SparkArrayInfo a : part.datasets()) {
      // Built from the metadata the driver read: no request (checked once, after the read).
      datasets.add(store.dataset(a.ref()));
    }
  }

  private void fetch(int r) {
    while (slabs.size() <= r && slabs.size() < part.ranges().size()) {
      long[] rg = part.ranges().get(slabs.size());
      List<CompletableFuture<?>> f = new ArrayList<>();
      for (Dataset ds : datasets) {
        long[] start = new long[ds.shape().length];
        long[] count = ds.shape();
        start[0] = rg[0];
        count[0] = rg[1] - rg[0];
        Hyperslab slab = Hyperslab.box(start, count);
        chunksFetched += ds.grid().plan(slab).chunkCount();
        f.add(
            SparkValueColumns.isValues(ds)
                ? ds.readValuesAsync(slab)
                : new ArrayReader(ds.chunkSource(), part.options().maxConcurrency())
                    .readAsync(slab));
      }
      slabs.add(f);
    }
  }

  @Override
  public boolean next() {
    while (current == null || row >= part.ranges().get(range)[1]) {
      if (range + 1 >= part.ranges().size()) {
        verifyVersionsOnce();
        return false;
      }
      if (range >= 0) {
        slabs.set(range, null);
      }
      range++;
      fetch(range + 1);
      current = new ArrayList<>();
      for (CompletableFuture<?> f : slabs.get(range)) {
        current.add(Futures.join(f));
      }
      row = part.ranges().get(range)[0];
    }
    Object[] values = new Object[1 + current.size()];
    values[0] = part.firstAxisTimes() == null ? row : part.firstAxisTimes()[(int) row];
    long local = row - part.ranges().get(range)[0];
    for (int k = 0; k < current.size(); k++) {
      SparkArrayInfo info = part.datasets().get(k);
      long[] shape = info.shape().clone();
      long inner = 1;
      for (int d = 1; d < shape.length; d++) {
        inner *= shape[d];
      }
      Object slab = current.get(k);
      values[1 + k] = nested(leaf(slab, info), shape, 1, local * inner);
    }
    value = new GenericInternalRow(values);
    row++;
    return true;
  }

  /** After the last range: the datasets must still have the version the query planned with. */
  private void verifyVersionsOnce() {
    if (!verified) {
      verified = true;
      String where = part.options().redact(part.location());
      for (SparkArrayInfo a : part.datasets()) {
        VersionCheck.verify(store.objectStore(), a.path(), a.generation(), where);
      }
    }
  }

  /** How one element of {@code slab}, by flat index, becomes a Spark value. */
  private static LongFunction<Object> leaf(Object slab, SparkArrayInfo info) {
    if (slab instanceof Hdf5Values v) {
      return i -> SparkValueColumns.internal(v, Math.toIntExact(i), info.sparkType());
    }
    NdArray a = (NdArray) slab;
    SparkCfDecoder decoder = info.decoder();
    return decoder.isIdentity()
        ? i -> SparkColumnFill.value(a.dataType(), a.bytes(), i)
        : i -> decoder.value(a.bytes(), i);
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
    return SparkReadMetrics.taskValues(chunksFetched, store.stats());
  }

  @Override
  public void close() {
    for (List<CompletableFuture<?>> l : slabs) {
      if (l != null) {
        l.forEach(f -> f.exceptionally(e -> null).join());
      }
    }
    store.close();
  }
}
