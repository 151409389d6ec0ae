package io.arraymorph.spark;

import io.arraymorph.store.Keys;
import java.io.Serializable;
import java.util.List;

/**
 * Everything a write's tasks and its commit need, decided on the driver.
 *
 * @param dimColumns input ordinals of the index columns (one for the rows layout)
 * @param shape the array shape, or null entries (-1) to infer as max index + 1 at commit
 * @param chunks the chunk shape shared by every target
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

  /** The root of this job's staged chunks. */
  String stagingRoot() {
    return Keys.join(".arraymorph-staging", queryId);
  }

  /** Where a target's chunks are written by tasks. */
  String writePath(SparkWriteTarget t) {
    return t.staged() ? Keys.join(stagingRoot(), t.path()) : t.path();
  }

  int rank() {
    return chunks.length;
  }

  /** Whether the extent of dimension {@code d} is known before the job runs. */
  boolean shapeKnown(int d) {
    return shape[d] >= 0;
  }

  /** A shape for tasks, whose chunk keys and encodings do not depend on it. */
  long[] provisionalShape() {
    long[] s = shape.clone();
    for (int d = 0; d < s.length; d++) {
      if (s[d] < 0) {
        s[d] = 1L << 40;
      }
    }
    return s;
  }
}
