package io.arraymorph.scan;

import io.arraymorph.array.ChunkGrid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chunks of a grid that a {@link Region} overlaps, in row-major grid order, each with the parts
 * of the region's boxes inside it: what a scan plans and what each chunk task emits. A limit stops
 * the walk once the chunks visited hold that many selected elements.
 */
public final class RegionChunks {
  private RegionChunks() {}

  /** Receives chunks with their boxes; returns false to stop. */
  @FunctionalInterface
  public interface Visitor {
    boolean visit(long[] chunkCoords, List<Region.Box> parts);
  }

  /** The region's boxes cut to an array's shape (files of one read may differ in shape). */
  public static List<Region.Box> within(Region region, long[] shape) {
    List<Region.Box> out = new ArrayList<>();
    for (Region.Box b : region.boxes()) {
      long[] hi = b.hi().clone();
      boolean empty = false;
      for (int d = 0; d < hi.length; d++) {
        hi[d] = Math.min(hi[d], shape[d]);
        empty |= b.lo()[d] >= hi[d];
      }
      if (!empty) {
        out.add(new Region.Box(b.lo(), hi));
      }
    }
    return out;
  }

  /**
   * Visits the chunks of {@code grid} overlapping {@code region} in row-major grid order until the
   * limit (negative: none) is covered; {@code planned[0]} counts the elements visited so far and
   * may carry over from earlier walks (several files). A single box is walked directly; several are
   * first gathered per chunk so each chunk is visited once.
   */
  public static void walk(
      ChunkGrid grid, Region region, long limit, long[] planned, Visitor visitor) {
    List<Region.Box> boxes = within(region, grid.arrayShape());
    if (boxes.isEmpty() || (limit >= 0 && planned[0] >= limit)) {
      return;
    }
    if (boxes.size() == 1) {
      walkBox(
          grid,
          boxes.get(0),
          (coords, parts) -> {
            planned[0] += parts.get(0).size();
            return visitor.visit(coords, parts) && (limit < 0 || planned[0] < limit);
          });
      return;
    }
    TreeMap<Long, List<Region.Box>> chunks = new TreeMap<>();
    for (Region.Box box : boxes) {
      boolean more =
          walkBox(
              grid,
              box,
              (coords, parts) -> {
                chunks
                    .computeIfAbsent(grid.linearIndex(coords), k -> new ArrayList<>())
                    .addAll(parts);
                planned[0] += parts.get(0).size();
                return limit < 0 || planned[0] < limit;
              });
      if (!more) {
        break;
      }
    }
    for (Map.Entry<Long, List<Region.Box>> e : chunks.entrySet()) {
      if (!visitor.visit(grid.chunkCoords(e.getKey()), e.getValue())) {
        return;
      }
    }
  }

  /** Visits the chunks one box overlaps, with the box's part inside each; false if stopped. */
  private static boolean walkBox(ChunkGrid grid, Region.Box box, Visitor visitor) {
    int[] chunk = grid.chunkShape();
    long[] shape = grid.arrayShape();
    int rank = chunk.length;
    long[] first = new long[rank];
    long[] last = new long[rank];
    for (int d = 0; d < rank; d++) {
      first[d] = box.lo()[d] / chunk[d];
      last[d] = (box.hi()[d] - 1) / chunk[d];
    }
    long[] c = first.clone();
    while (true) {
      long[] lo = new long[rank];
      long[] hi = new long[rank];
      for (int d = 0; d < rank; d++) {
        long origin = c[d] * chunk[d];
        lo[d] = Math.max(box.lo()[d], origin);
        hi[d] = Math.min(Math.min(box.hi()[d], origin + chunk[d]), shape[d]);
      }
      if (!visitor.visit(c.clone(), List.of(new Region.Box(lo, hi)))) {
        return false;
      }
      int d = rank - 1;
      while (d >= 0 && ++c[d] > last[d]) {
        c[d] = first[d];
        d--;
      }
      if (d < 0) {
        return true;
      }
    }
  }
}
