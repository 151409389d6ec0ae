package io.arraymorph.scan;

import io.arraymorph.api.DatasetRef;
import java.io.Serializable;
import java.util.List;

/**
 * Chunks of one location that one task reads, with the metadata the planner read, so the task
 * reopens its datasets without a metadata request.
 *
 * @param location the store or file location
 * @param datasets the datasets to read from each chunk, possibly none (indices only)
 * @param chunkCoords the chunks of the location's grid, in grid order
 * @param boxes per chunk, the parts of the scan's region inside it: the elements to emit
 */
public record ChunkTask(
    String location,
    List<DatasetRef> datasets,
    List<long[]> chunkCoords,
    List<List<Region.Box>> boxes)
    implements Serializable {

  /** The number of elements the task emits. */
  public long elements() {
    long n = 0;
    for (List<Region.Box> parts : boxes) {
      for (Region.Box b : parts) {
        n += b.size();
      }
    }
    return n;
  }
}
