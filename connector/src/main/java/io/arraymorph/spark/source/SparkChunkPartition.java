package io.arraymorph.spark.source;

import io.arraymorph.spark.SparkOptions;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * A cells-layout input partition: whole chunks of one or more files ({@link SparkChunkSegment}s),
 * plus the resolved options for opening stores on the executor.
 *
 * @param fileColumn whether rows carry the {@code file} column (many-files reads)
 * @param dimColumns the dimensions whose index columns the query reads, in order (the others are
 *     pruned: a {@code sum(value)} fills no index column)
 */
record SparkChunkPartition(
    SparkOptions options,
    List<SparkChunkSegment> segments,
    boolean fileColumn,
    List<Integer> dimColumns)
    implements InputPartition {

  @Override
  public String toString() {
    return "SparkChunkPartition["
        + segments.size()
        + " files, "
        + segments.stream().mapToInt(s -> s.chunkCoords().size()).sum()
        + " chunks]";
  }
}
