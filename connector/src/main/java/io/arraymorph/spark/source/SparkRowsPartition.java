package io.arraymorph.spark.source;

import io.arraymorph.scan.ChunkTask;
import io.arraymorph.spark.SparkOptions;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * A rows-layout input partition: a core {@link ChunkTask} over the row bands of the datasets'
 * location ({@link io.arraymorph.scan.ScanPlanner#planRows}), with what Spark needs to turn its
 * bands into rows.
 *
 * @param task the bands and the datasets' metadata, as core planned them
 * @param bandShape the chunk shape of the band grid the task's chunks belong to
 * @param datasets the datasets to read (value columns), in the task's order
 * @param firstAxisTimes the first axis's timestamps when it has a time coordinate, else null
 */
record SparkRowsPartition(
    SparkOptions options,
    ChunkTask task,
    int[] bandShape,
    List<SparkArrayInfo> datasets,
    long[] firstAxisTimes)
    implements InputPartition {

  String location() {
    return task.location();
  }

  @Override
  public String toString() {
    return "SparkRowsPartition[" + task.chunkCoords().size() + " bands]";
  }
}
