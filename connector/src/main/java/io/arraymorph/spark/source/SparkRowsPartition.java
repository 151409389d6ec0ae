package io.arraymorph.spark.source;

import io.arraymorph.spark.SparkOptions;
import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * A rows-layout input partition: ranges {@code [lo, hi)} of the first axis, chunk-aligned, of the
 * datasets at {@code location}; {@code firstAxisTimes} are the first axis's timestamps when it has
 * a time coordinate, else null.
 */
record SparkRowsPartition(
    SparkOptions options,
    String location,
    List<SparkArrayInfo> datasets,
    List<long[]> ranges,
    long[] firstAxisTimes)
    implements InputPartition {

  @Override
  public String toString() {
    return "SparkRowsPartition[" + ranges.size() + " ranges]";
  }
}
