package io.arraymorph.spark.write;

import io.arraymorph.spark.SparkOptions;
import java.io.Serializable;
import java.util.List;

/**
 * Everything a write's tasks and its commit need, decided on the driver.
 *
 * @param dimColumns input ordinals of the index columns (one for the rows layout)
 * @param shape the array shape, -1 entries where it follows from the data (inferred or grown at
 *     commit)
 * @param chunks the shape of the objects every target writes (a chunk, or a shard when sharded)
 */
record SparkWritePlan(
    SparkOptions options,
    SparkOptions.Layout layout,
    String queryId,
    List<String> dimNames,
    int[] dimColumns,
    org.apache.spark.sql.types.DataType[] dimTypes,
    long[] shape,
    int[] chunks,
    List<SparkWriteTarget> targets)
    implements Serializable {

  int rank() {
    return chunks.length;
  }

  /** Whether the extent of dimension {@code d} is fixed before the job runs. */
  boolean shapeKnown(int d) {
    return shape[d] >= 0;
  }
}
