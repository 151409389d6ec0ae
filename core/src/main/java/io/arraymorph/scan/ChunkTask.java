package io.arraymorph.scan;

import io.arraymorph.api.DatasetRef;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Chunks of one location that one task reads, with the metadata the planner read, so the task
 * reopens its datasets without a metadata request. It travels compactly ({@link Packed}): the chunk
 * coordinates and boxes as varints of their differences, since a task over many files repeats them
 * for every file.
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

  /**
   * Ships as {@link Packed}, unless its chunks are a {@link ChunkRun}, which is already a few
   * hundred bytes whatever its length (packing would list every chunk).
   */
  @Serial
  private Object writeReplace() {
    return ChunkRun.isRun(chunkCoords) ? this : Packed.of(this);
  }

  /**
   * The serialized form of a {@link ChunkTask}: the rank, the number of chunks, then per chunk its
   * coordinates and the number of its boxes, then per box its low corner and shape, all in one
   * {@link PackedLongs}.
   */
  private record Packed(String location, List<DatasetRef> datasets, PackedLongs numbers)
      implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    static Packed of(ChunkTask t) {
      PackedLongs.Writer w = new PackedLongs.Writer();
      int rank = t.chunkCoords().isEmpty() ? 0 : t.chunkCoords().get(0).length;
      w.add(rank).add(t.chunkCoords().size());
      for (int i = 0; i < t.chunkCoords().size(); i++) {
        for (long c : t.chunkCoords().get(i)) {
          w.add(c);
        }
        List<Region.Box> parts = t.boxes().get(i);
        w.add(parts.size());
        for (Region.Box b : parts) {
          for (int d = 0; d < rank; d++) {
            w.add(b.lo()[d]);
          }
          for (int d = 0; d < rank; d++) {
            w.add(b.hi()[d] - b.lo()[d]);
          }
        }
      }
      return new Packed(t.location(), t.datasets(), w.done());
    }

    @Serial
    private Object readResolve() {
      long[] v = numbers.toArray();
      int at = 0;
      int rank = (int) v[at++];
      int n = (int) v[at++];
      List<long[]> coords = new ArrayList<>(n);
      List<List<Region.Box>> boxes = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long[] c = new long[rank];
        for (int d = 0; d < rank; d++) {
          c[d] = v[at++];
        }
        coords.add(c);
        int parts = (int) v[at++];
        List<Region.Box> list = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
          long[] lo = new long[rank];
          long[] hi = new long[rank];
          for (int d = 0; d < rank; d++) {
            lo[d] = v[at++];
          }
          for (int d = 0; d < rank; d++) {
            hi[d] = lo[d] + v[at++];
          }
          list.add(new Region.Box(lo, hi));
        }
        boxes.add(list);
      }
      return new ChunkTask(location, datasets, coords, boxes);
    }
  }
}
