package io.arraymorph.rechunk;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.scan.Region;

/** The target chunks (or shards) a box of the array overlaps, and the piece of each it covers. */
final class TargetOverlaps {
  private TargetOverlaps() {}

  /** What is told of each overlapped target chunk. */
  @FunctionalInterface
  interface Visitor {
    /**
     * Takes the piece of the box that falls in one target chunk.
     *
     * @param target the target chunk's row-major index in the grid
     * @param lo the piece's first local index in the target chunk per dimension
     * @param hi the piece's end (exclusive) in the target chunk per dimension
     * @param srcAt the piece's first index relative to the box
     * @param extent the piece's extent per dimension
     */
    void visit(long target, int[] lo, int[] hi, long[] srcAt, long[] extent);
  }

  /** Visits the target chunks {@code box} overlaps, in target grid order. */
  static void forEach(ChunkGrid grid, Region.Box box, Visitor visitor) {
    int[] objects = grid.chunkShape();
    int rank = objects.length;
    long[] first = new long[rank];
    long[] last = new long[rank];
    for (int d = 0; d < rank; d++) {
      if (box.hi()[d] <= box.lo()[d]) {
        return;
      }
      first[d] = box.lo()[d] / objects[d];
      last[d] = (box.hi()[d] - 1) / objects[d];
    }
    long[] c = first.clone();
    while (true) {
      long[] origin = grid.chunkOrigin(c);
      int[] lo = new int[rank];
      int[] hi = new int[rank];
      long[] srcAt = new long[rank];
      long[] extent = new long[rank];
      for (int d = 0; d < rank; d++) {
        long from = Math.max(box.lo()[d], origin[d]);
        long to = Math.min(box.hi()[d], origin[d] + objects[d]);
        lo[d] = (int) (from - origin[d]);
        hi[d] = (int) (to - origin[d]);
        srcAt[d] = from - box.lo()[d];
        extent[d] = to - from;
      }
      visitor.visit(grid.linearIndex(c), lo, hi, srcAt, extent);
      int d = rank - 1;
      while (d >= 0 && ++c[d] > last[d]) {
        c[d] = first[d];
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }
}
