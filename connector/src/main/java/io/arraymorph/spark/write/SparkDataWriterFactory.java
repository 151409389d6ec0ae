package io.arraymorph.spark.write;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;

/** Creates a task's writer on the executor from the serialized plan. */
record SparkDataWriterFactory(SparkWritePlan plan) implements DataWriterFactory {
  @Override
  public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
    return new SparkDataWriter(plan);
  }
}
