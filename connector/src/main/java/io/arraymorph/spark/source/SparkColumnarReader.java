package io.arraymorph.spark.source;

import io.arraymorph.spark.metrics.SparkReadMetrics;
import io.arraymorph.store.StoreStats;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.execution.vectorized.ConstantColumnVector;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Reads a chunk partition into column batches, one segment (file) after another through a {@link
 * SparkChunkCursor}; a batch never mixes files, so the {@code file} column is a constant vector.
 */
final class SparkColumnarReader implements PartitionReader<ColumnarBatch> {
  static final int BATCH_ROWS = 32768;

  private final SparkChunkPartition part;
  private final OnHeapColumnVector[] vectors;
  private final ConstantColumnVector fileVector;
  private final ColumnarBatch batch;
  private final StoreStats closedStats = new StoreStats();
  private long closedChunks;
  private int segment = -1;
  private SparkChunkCursor cursor;

  SparkColumnarReader(SparkChunkPartition part) {
    this.part = part;
    SparkChunkSegment first = part.segments().get(0);
    StructType schema = new StructType();
    for (int d : part.dimColumns()) {
      schema = schema.add("d" + d, first.primary().dimensionType(d), false);
    }
    for (SparkArrayInfo a : first.datasets()) {
      schema = schema.add(a.columnName(), a.sparkType(), a.nullable());
    }
    this.vectors = OnHeapColumnVector.allocateColumns(BATCH_ROWS, schema);
    ColumnVector[] columns = new ColumnVector[vectors.length + (part.fileColumn() ? 1 : 0)];
    System.arraycopy(vectors, 0, columns, 0, vectors.length);
    if (part.fileColumn()) {
      fileVector = new ConstantColumnVector(BATCH_ROWS, DataTypes.StringType);
      columns[vectors.length] = fileVector;
    } else {
      fileVector = null;
    }
    this.batch = new ColumnarBatch(columns);
  }

  @Override
  public boolean next() {
    for (OnHeapColumnVector v : vectors) {
      v.reset();
    }
    while (true) {
      if (cursor == null || cursor.done()) {
        if (!nextSegment()) {
          batch.setNumRows(0);
          return false;
        }
      }
      int rows = cursor.fill((WritableColumnVector[]) vectors, 0, BATCH_ROWS);
      if (rows > 0) {
        batch.setNumRows(rows);
        return true;
      }
    }
  }

  private boolean nextSegment() {
    if (cursor != null && cursor.done()) {
      cursor.verifyVersions();
    }
    closeCursor();
    if (segment + 1 >= part.segments().size()) {
      return false;
    }
    segment++;
    SparkChunkSegment seg = part.segments().get(segment);
    cursor = new SparkChunkCursor(part.options(), seg, part.dimColumns());
    if (fileVector != null) {
      fileVector.setUtf8String(UTF8String.fromString(seg.label()));
    }
    return true;
  }

  private void closeCursor() {
    if (cursor != null) {
      closedChunks += cursor.chunksFetched();
      closedStats.add(cursor.stats());
      cursor.close();
      cursor = null;
    }
  }

  @Override
  public ColumnarBatch get() {
    return batch;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    StoreStats total = new StoreStats();
    total.add(closedStats);
    long chunks = closedChunks;
    if (cursor != null) {
      total.add(cursor.stats());
      chunks += cursor.chunksFetched();
    }
    return SparkReadMetrics.taskValues(chunks, total);
  }

  @Override
  public void close() {
    closeCursor();
    batch.close();
  }
}
