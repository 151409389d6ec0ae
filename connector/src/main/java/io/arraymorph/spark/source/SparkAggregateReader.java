package io.arraymorph.spark.source;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.scan.ChunkAggregate;
import io.arraymorph.scan.ChunkTaskReader;
import io.arraymorph.spark.SparkOptions;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import io.arraymorph.store.StoreStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;

/**
 * Returns a task's one partial aggregate row: core's {@link ChunkAggregate} over the elements the
 * task's segments emit, the version of each dataset checked after its chunks as a plain read does.
 */
final class SparkAggregateReader implements PartitionReader<InternalRow> {
  private final SparkAggregatePartition part;
  private final StoreStats stats = new StoreStats();
  private long chunksFetched;
  private InternalRow row;
  private boolean returned;

  SparkAggregateReader(SparkAggregatePartition part) {
    this.part = part;
  }

  @Override
  public boolean next() {
    if (row == null) {
      row = compute();
      return true;
    }
    returned = true;
    return false;
  }

  private InternalRow compute() {
    SparkAggregates aggs = part.aggregates();
    SparkOptions options = part.chunks().options();
    ChunkAggregate agg =
        aggs.readsValues() ? new ChunkAggregate(aggs.elementType(), aggs.needsMinMax()) : null;
    long elements = 0;
    for (SparkChunkSegment seg : part.chunks().segments()) {
      elements += seg.task().elements();
      if (agg != null) {
        addSegment(options, seg, agg);
      }
    }
    return aggs.row(elements, agg);
  }

  private void addSegment(SparkOptions options, SparkChunkSegment seg, ChunkAggregate agg) {
    try (ArrayStore store =
        ArrayStore.openShared(seg.location(), options.storeSettings(), seg.task().datasets())) {
      List<Dataset> datasets = new ArrayList<>();
      for (DatasetRef ref : seg.task().datasets()) {
        datasets.add(store.dataset(ref));
      }
      try (ChunkTaskReader reader =
          new ChunkTaskReader(
              seg.task(), datasets, seg.primary().chunkShape(), options.maxConcurrency())) {
        String where = options.redact(seg.location());
        try {
          agg.addTask(seg.task(), reader, 0);
        } catch (RuntimeException e) {
          throw reader.explain(e, store, where);
        }
        reader.verifyVersions(
            store, seg.datasets().stream().map(SparkArrayInfo::generation).toList(), where);
        chunksFetched += reader.chunksFetched();
      }
      stats.add(store.stats());
    }
  }

  @Override
  public InternalRow get() {
    if (returned || row == null) {
      throw new IllegalStateException("no current row");
    }
    return row;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return SparkReadMetrics.taskValues(chunksFetched, stats);
  }

  @Override
  public void close() {}
}
