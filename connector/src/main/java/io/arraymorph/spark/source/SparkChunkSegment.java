package io.arraymorph.spark.source;

import io.arraymorph.scan.ChunkTask;
import io.arraymorph.scan.Region;
import java.io.Serializable;
import java.util.List;

/**
 * A core {@link ChunkTask} (whole chunks of one location's primary grid, each with the boxes of
 * indices to emit from it) with what Spark needs to turn it into columns.
 *
 * @param task the chunks and the datasets' metadata, as core planned them
 * @param label the {@code file} column's value, or null
 * @param primary the dataset whose chunk grid the chunks belong to
 * @param datasets the datasets to read (value columns), possibly none
 */
record SparkChunkSegment(
    ChunkTask task, String label, SparkArrayInfo primary, List<SparkArrayInfo> datasets)
    implements Serializable {

  String location() {
    return task.location();
  }

  List<long[]> chunkCoords() {
    return task.chunkCoords();
  }

  List<List<Region.Box>> boxes() {
    return task.boxes();
  }
}
