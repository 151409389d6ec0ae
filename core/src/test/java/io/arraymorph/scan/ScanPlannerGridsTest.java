package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A cells read of several datasets of one file chunked differently is walked on the first dataset's
 * grid, and each dataset's reference carries exactly the chunks of its own grid that the task's
 * boxes overlap: the task reads every dataset without parsing the file again, and a chunk it needs
 * is never missing from what travelled (it would read as the fill value).
 */
class ScanPlannerGridsTest {
  private static final long[] SHAPE = {40, 30};
  private final ChunkGrid walked = new ChunkGrid(SHAPE, new int[] {10, 10});
  private final ChunkGrid odd = new ChunkGrid(SHAPE, new int[] {7, 13});
  private final ChunkGrid whole = new ChunkGrid(SHAPE, new int[] {40, 30});

  private ScanPlanner.Source file(DatasetRef zarrLike) {
    return new ScanPlanner.Source(
        "f.h5",
        List.of(
            DatasetRef.inFile("/a", RecordingChunks.planned()),
            DatasetRef.inFile("/b", RecordingChunks.planned()),
            DatasetRef.inFile("/c", RecordingChunks.planned()),
            zarrLike),
        walked,
        400,
        List.of(walked, odd, whole, odd));
  }

  @Test
  void oneBoxEachTaskCarriesTheChunksOfEachGridItsBoxesOverlap() {
    checkEveryTask(Region.all(SHAPE), -1, 1000);
  }

  @Test
  void manyBoxesAndALimitEachTaskCarriesTheChunksOfEachGridItsBoxesOverlap() {
    Region rows = Region.ofIntervals(SHAPE, 0, List.of(new long[] {3, 9}, new long[] {15, 33}));
    Region cells =
        rows.intersect(
            Region.ofIntervals(SHAPE, 1, List.of(new long[] {5, 6}, new long[] {12, 27})));
    checkEveryTask(cells, -1, 700);
    checkEveryTask(cells, 100, 700);
  }

  private void checkEveryTask(Region region, long limit, long target) {
    DatasetRef zarrLike =
        new DatasetRef("z", DatasetRef.Format.ZARR_V3, new byte[] {1}, null, null);
    List<List<ScanPlanner.Planned>> groups =
        ScanPlanner.plan(List.of(file(zarrLike)), region, limit, target);
    assertTrue(groups.size() > 1, "several tasks");
    for (List<ScanPlanner.Planned> group : groups) {
      ChunkTask task = group.get(0).task();
      List<DatasetRef> refs = task.datasets();
      assertNarrowed(walked, task, refs.get(0));
      assertNarrowed(odd, task, refs.get(1));
      assertNarrowed(whole, task, refs.get(2));
      assertSame(zarrLike, refs.get(3), "a dataset outside a file travels as planned");
      assertEquals(
          task.chunkCoords().stream().map(Arrays::toString).toList(),
          ((RecordingChunks) refs.get(0).inFile()).coords().stream().map(Arrays::toString).toList(),
          "on the walked grid: the task's own chunks");
    }
  }

  /** The reference holds {@code grid}'s chunks holding an element the task emits, no more. */
  private static void assertNarrowed(ChunkGrid grid, ChunkTask task, DatasetRef ref) {
    RecordingChunks narrowed = (RecordingChunks) ref.inFile();
    assertEquals(grid, narrowed.grid());
    TreeSet<Long> expected = new TreeSet<>();
    for (List<Region.Box> parts : task.boxes()) {
      for (Region.Box b : parts) {
        for (long i = b.lo()[0]; i < b.hi()[0]; i++) {
          for (long j = b.lo()[1]; j < b.hi()[1]; j++) {
            expected.add(
                grid.linearIndex(new long[] {i / grid.chunkShape()[0], j / grid.chunkShape()[1]}));
          }
        }
      }
    }
    List<Long> carried = new ArrayList<>();
    for (long[] c : narrowed.coords()) {
      carried.add(grid.linearIndex(c));
    }
    assertEquals(new ArrayList<>(expected), carried, "in grid order, each once");
  }
}
