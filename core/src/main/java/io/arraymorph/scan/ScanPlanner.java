package io.arraymorph.scan;

import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
   */
  public record Source(
      String location, List<DatasetRef> datasets, ChunkGrid grid, long bytesPerChunk) {}

  /**
   * The task groups: chunks overlapping {@code region}, packed until a group reaches {@code
   * targetBytes}; with {@code limit >= 0}, planning stops once the chunks hold that many selected
   * elements. Each group holds one task per location it reaches, each task naming its location by
   * its index in {@code sources}.
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
    return new Planned(
        index,
        new ChunkTask(
            src.location(),
            src.datasets().stream().map(r -> r.forChunks(src.grid(), coords)).toList(),
            coords,
            boxes));
  }
}
