package io.arraymorph.write;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one write task reports to the job's commit: the chunks it wrote (the same for every dataset
 * of the job), the largest index it saw per dimension (-1 for none) and how many rows it wrote.
 */
public record TaskResult(List<long[]> chunks, long[] maxIndex, long rows) implements Serializable {

  /** The results of every committed task as one: chunks without duplicates, the largest indices. */
  public static TaskResult merge(int rank, List<TaskResult> results) {
    long[] max = new long[rank];
    Arrays.fill(max, -1);
    Map<String, long[]> chunks = new LinkedHashMap<>();
    long rows = 0;
    for (TaskResult r : results) {
      for (int d = 0; d < rank; d++) {
        max[d] = Math.max(max[d], r.maxIndex()[d]);
      }
      for (long[] c : r.chunks()) {
        chunks.putIfAbsent(Arrays.toString(c), c);
      }
      rows += r.rows();
    }
    return new TaskResult(new ArrayList<>(chunks.values()), max, rows);
  }
}
