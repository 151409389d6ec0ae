package io.arraymorph.spark.source;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Creates columnar readers for chunk partitions, and row readers for the rows layout, lists and
 * partial aggregates.
 */
final class SparkPartitionReaderFactory implements PartitionReaderFactory {

  @Override
  public boolean supportColumnarReads(InputPartition partition) {
    return partition instanceof SparkChunkPartition;
  }

  @Override
  public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
    return new SparkColumnarReader((SparkChunkPartition) partition);
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    if (partition instanceof SparkRowsPartition rows) {
      return new SparkRowsReader(rows);
    }
    if (partition instanceof SparkAggregatePartition aggregate) {
      return new SparkAggregateReader(aggregate);
    }
    if (partition instanceof SparkListPartition list) {
      return new SparkListReader(list);
    }
    throw new IllegalStateException("Unexpected partition " + partition);
  }
}
