package io.arraymorph.rechunk;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.NdArray;
import io.arraymorph.scan.Region;
import java.util.ArrayList;
import java.util.List;

/** Cuts one source read into the {@link Block}s of the target chunks it overlaps. */
public final class BlockCutter {
  private BlockCutter() {}

  /**
   * The blocks of {@code data}, the values of {@code box}: one per target chunk (or shard) the box
   * overlaps, in target grid order.
   */
  public static List<Block> cut(RechunkPlan plan, Region.Box box, NdArray data) {
    ChunkGrid grid = plan.targetGrid();
    int[] objects = grid.chunkShape();
    int rank = objects.length;
    int size = plan.dataType().byteSize();
    long[] boxShape = box.shape();
    long[] first = new long[rank];
    long[] last = new long[rank];
    for (int d = 0; d < rank; d++) {
      first[d] = box.lo()[d] / objects[d];
      last[d] = (box.hi()[d] - 1) / objects[d];
    }
    List<Block> out = new ArrayList<>();
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
      byte[] values = new byte[Math.toIntExact(RechunkPlanner.bytes(extent, size))];
      BoxCopy.copy(data.bytes(), boxShape, srcAt, values, extent, new long[rank], extent, size);
      out.add(new Block(grid.linearIndex(c), lo, hi, values));
      int d = rank - 1;
      while (d >= 0 && ++c[d] > last[d]) {
        c[d] = first[d];
        d--;
      }
      if (d < 0) {
        return out;
      }
    }
  }
}
