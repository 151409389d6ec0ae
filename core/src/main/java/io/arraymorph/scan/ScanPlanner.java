package io.arraymorph.scan;

import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

/**
 * Plans a chunked read: from the locations of a read (each with its datasets' metadata and chunk
 * grid), a region and an optional limit to groups of {@link ChunkTask}s of about a target decoded
 * size each. Chunks are taken in location order, then grid order; each group is one unit of work (a
 * Spark input partition) and never splits a chunk.
 */
public final class ScanPlanner {
  private ScanPlanner() {}

  /**
   * One location of a read.
   *
   * @param location the store or file location
   * @param datasets the datasets read there (their metadata as planned)
   * @param grid the chunk grid the chunks are walked on
   * @param bytesPerChunk the decoded bytes one chunk of the datasets costs (the packing weight)
   * @param datasetGrids per dataset, its own chunk grid where it may differ from {@code grid} (a
   *     task then carries the chunks of that grid its boxes overlap: {@link DatasetRef#forChunks}),
   *     or null when every dataset is chunked on {@code grid}
   */
  public record Source(
      String location,
      List<DatasetRef> datasets,
      ChunkGrid grid,
      long bytesPerChunk,
      List<ChunkGrid> datasetGrids) {

    /** A location whose datasets are all chunked on {@code grid}. */
    public Source(String location, List<DatasetRef> datasets, ChunkGrid grid, long bytesPerChunk) {
      this(location, datasets, grid, bytesPerChunk, null);
    }

    /** The chunk grid of dataset {@code k}. */
    ChunkGrid gridOf(int k) {
      return datasetGrids == null ? grid : datasetGrids.get(k);
    }
  }

  /**
   * The grid of the row bands of {@code grid}: its chunking along the first axis, whole along the
   * others. A rows read ({@link #planRows}) walks these bands, so a task never splits a row.
   */
  public static ChunkGrid bands(ChunkGrid grid) {
    long[] shape = grid.arrayShape();
    int[] band = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      band[d] = d == 0 ? grid.chunkShape()[0] : Math.toIntExact(Math.max(1, shape[d]));
    }
    return new ChunkGrid(shape, band);
  }

  /**
   * Plans a read of whole rows (every element of each selected index of the first axis): the chunks
   * of the tasks are the {@link #bands} of {@code source}'s grid (its {@code bytesPerChunk} is the
   * cost of one band), covering the first-axis indices of {@code region}'s boxes; with {@code
   * rowLimit >= 0}, planning stops once the bands hold that many rows. Each group holds one task.
   * The datasets' references carry the chunks of their own grids ({@link Source#datasetGrids}) the
   * bands overlap, so tasks read files without parsing them again.
   */
  public static List<ChunkTask> planRows(
      Source source, Region region, long rowLimit, long targetBytes) {
    long[] shape = source.grid().arrayShape();
    List<long[]> rows = new ArrayList<>();
    for (Region.Box b : RegionChunks.within(region, shape)) {
      rows.add(new long[] {b.lo()[0], b.hi()[0]});
    }
    rows.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] iv : rows) {
      long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && iv[0] <= last[1]) {
        last[1] = Math.max(last[1], iv[1]);
      } else {
        merged.add(iv.clone());
      }
    }
    long perRow = 1;
    for (int d = 1; d < shape.length; d++) {
      perRow = Math.multiplyExact(perRow, shape[d]);
    }
    long limit =
        rowLimit < 0
            ? -1
            : rowLimit > Long.MAX_VALUE / Math.max(1, perRow) ? -1 : rowLimit * perRow;
    Source bands =
        new Source(
            source.location(),
            source.datasets(),
            bands(source.grid()),
            source.bytesPerChunk(),
            datasetGridsOf(source));
    List<ChunkTask> out = new ArrayList<>();
    for (List<Planned> group :
        plan(List.of(bands), Region.ofIntervals(shape, 0, merged), limit, targetBytes)) {
      for (Planned p : group) {
        out.add(p.task());
      }
    }
    return out;
  }

  private static List<ChunkGrid> datasetGridsOf(Source source) {
    List<ChunkGrid> grids = new ArrayList<>();
    for (int k = 0; k < source.datasets().size(); k++) {
      grids.add(source.gridOf(k));
    }
    return grids;
  }

  /**
   * The task groups: chunks overlapping {@code region}, packed until a group reaches {@code
   * targetBytes}; with {@code limit >= 0}, planning stops once the chunks hold that many selected
   * elements. Each group holds one task per location it reaches, each task naming its location by
   * its index in {@code sources}. A dataset chunked on another grid than its location's ({@link
   * Source#datasetGrids}) carries the chunks of its own grid the task's boxes overlap, so a task
   * reads every dataset of a file without parsing the file again.
   */
  public static List<List<Planned>> plan(
      List<Source> sources, Region region, long limit, long targetBytes) {
    return plan(sources, Collections.nCopies(sources.size(), region), limit, targetBytes);
  }

  /**
   * As {@link #plan(List, Region, long, long)} with one region per location ({@code regions.get(s)}
   * for {@code sources.get(s)}): a location whose region is empty gets no task (e.g. a file whose
   * coordinates cannot match, {@link CoordinateResolver#regions}).
   */
  public static List<List<Planned>> plan(
      List<Source> sources, List<Region> regions, long limit, long targetBytes) {
    List<List<Planned>> groups = new ArrayList<>();
    List<Planned> group = new ArrayList<>();
    long[] bytes = {0};
    long[] planned = {0};
    for (int s = 0; s < sources.size(); s++) {
      Source src = sources.get(s);
      int index = s;
      List<Region.Box> within = RegionChunks.within(regions.get(s), src.grid().arrayShape());
      if (limit < 0 && within.size() == 1) {
        // One box, no limit: the groups follow from the chunk count, so tasks name runs of the
        // box's chunks and planning costs one step per task, not per chunk.
        planRuns(index, src, within.get(0), targetBytes, bytes, group, groups);
        continue;
      }
      List<long[]> coords = new ArrayList<>();
      List<List<Region.Box>> boxes = new ArrayList<>();
      RegionChunks.walk(
          src.grid(),
          regions.get(s),
          limit,
          planned,
          (c, parts) -> {
            coords.add(c);
            boxes.add(parts);
            bytes[0] += src.bytesPerChunk();
            if (bytes[0] >= targetBytes) {
              group.add(task(index, src, new ArrayList<>(coords), new ArrayList<>(boxes)));
              groups.add(List.copyOf(group));
              coords.clear();
              boxes.clear();
              group.clear();
              bytes[0] = 0;
            }
            return true;
          });
      if (!coords.isEmpty()) {
        group.add(task(index, src, new ArrayList<>(coords), new ArrayList<>(boxes)));
      }
    }
    if (!group.isEmpty()) {
      groups.add(List.copyOf(group));
    }
    return groups;
  }

  /**
   * Packs the chunks of {@code box} as {@link #plan} packs walked chunks (the same groups, in the
   * same order), each task naming a {@link ChunkRun}.
   */
  private static void planRuns(
      int index,
      Source src,
      Region.Box box,
      long targetBytes,
      long[] bytes,
      List<Planned> group,
      List<List<Planned>> groups) {
    long n = ChunkRun.chunkCount(src.grid(), box);
    long cost = Math.max(1, src.bytesPerChunk());
    long pos = 0;
    while (pos < n) {
      // Chunks until the group reaches the target: at least one, as in the walk.
      long need = Math.max(1, -Math.floorDiv(bytes[0] - targetBytes, cost));
      long take = Math.min(need, n - pos);
      ChunkRun run = ChunkRun.of(src.grid(), box, pos, pos + take);
      pos += take;
      bytes[0] += take * cost;
      group.add(task(index, src, run.coords(), run.parts()));
      if (bytes[0] >= targetBytes) {
        groups.add(List.copyOf(group));
        group.clear();
        bytes[0] = 0;
      }
    }
  }

  /** A task of a group and the index of its location among the plan's sources. */
  public record Planned(int source, ChunkTask task) {}

  private static Planned task(
      int index, Source src, List<long[]> coords, List<List<Region.Box>> boxes) {
    List<DatasetRef> refs = new ArrayList<>();
    for (int k = 0; k < src.datasets().size(); k++) {
      DatasetRef ref = src.datasets().get(k);
      ChunkGrid own = src.gridOf(k);
      if (ref.inFile() == null || ref.opensWithoutFile()) {
        refs.add(ref); // nothing to narrow: spare the walk of another grid's chunks
      } else {
        refs.add(ref.forChunks(own, own.equals(src.grid()) ? coords : overlapped(own, boxes)));
      }
    }
    return new Planned(index, new ChunkTask(src.location(), refs, coords, boxes));
  }

  /** The chunks of {@code grid} that the boxes overlap, in grid order. */
  static List<long[]> overlapped(ChunkGrid grid, List<List<Region.Box>> boxes) {
    TreeSet<Long> linear = new TreeSet<>();
    int rank = grid.rank();
    int[] chunk = grid.chunkShape();
    for (List<Region.Box> parts : boxes) {
      for (Region.Box b : parts) {
        if (b.isEmpty()) {
          continue;
        }
        long[] first = new long[rank];
        long[] last = new long[rank];
        for (int d = 0; d < rank; d++) {
          first[d] = b.lo()[d] / chunk[d];
          last[d] = (b.hi()[d] - 1) / chunk[d];
        }
        long[] c = first.clone();
        while (true) {
          linear.add(grid.linearIndex(c));
          int d = rank - 1;
          while (d >= 0 && ++c[d] > last[d]) {
            c[d] = first[d];
            d--;
          }
          if (d < 0) {
            break;
          }
        }
      }
    }
    List<long[]> out = new ArrayList<>(linear.size());
    for (long l : linear) {
      out.add(grid.chunkCoords(l));
    }
    return out;
  }
}
