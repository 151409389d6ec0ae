package io.arraymorph.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/** A rows-layout input partition: ranges {@code [lo, hi)} of the first axis, chunk-aligned. */
record SparkRowsPartition(SparkOptions options, List<SparkArrayInfo> datasets, List<long[]> ranges)
    implements InputPartition {

  @Override
  public String toString() {
    return "SparkRowsPartition[" + ranges.size() + " ranges]";
  }
}
