package io.arraymorph.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * A cells-layout input partition: whole chunks of the primary dataset's grid, each with the boxes
 * of indices to emit from it, plus the resolved options for opening the store on the executor.
 */
record SparkChunkPartition(
    SparkOptions options,
    SparkArrayInfo primary,
    List<SparkArrayInfo> datasets,
    List<long[]> chunkCoords,
    List<List<IndexRegion.Box>> boxes)
    implements InputPartition {

  @Override
  public String toString() {
    return "SparkChunkPartition[" + chunkCoords.size() + " chunks]";
  }
}
