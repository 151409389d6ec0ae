package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A rows read is planned over row bands (the first axis's chunking, whole along the others): a task
 * never splits a row, covers each selected first-axis index once, stops at a row limit, and each
 * dataset's reference is narrowed to the chunks of its own grid the task's bands overlap.
 */
class ScanPlannerRowsTest {
  private final ChunkGrid grid = new ChunkGrid(new long[] {100, 30}, new int[] {10, 7});

  private ScanPlanner.Source source(long bytesPerBand) {
    return new ScanPlanner.Source(
        "f.h5",
        List.of(DatasetRef.inFile("v", RecordingChunks.planned())),
        grid,
        bytesPerBand,
        List.of(grid));
  }

  @Test
  void bandsAreTheFirstAxisChunksWholeAlongTheOthers() {
    ChunkGrid bands = ScanPlanner.bands(grid);
    assertArrayEquals(new int[] {10, 30}, bands.chunkShape());
    assertArrayEquals(grid.arrayShape(), bands.arrayShape());
  }

  @Test
  void tasksCoverEachSelectedRowOnceWithWholeRows() {
    // Rows 15..29 (by two boxes that overlap along the first axis only) and 40..44.
    long[] shape = grid.arrayShape();
    Region region =
        rowsAndColumns(15, 25, 0, 5)
            .union(rowsAndColumns(20, 30, 10, 15))
            .union(Region.ofIntervals(shape, 0, List.of(new long[] {40, 45})));
    List<ChunkTask> tasks = ScanPlanner.planRows(source(100), region, -1, 100);
    List<Long> rows = new ArrayList<>();
    for (ChunkTask t : tasks) {
      assertEquals(1, t.chunkCoords().size(), "one band per task at this target");
      for (Region.Box b : t.boxes().get(0)) {
        assertEquals(0, b.lo()[1]);
        assertEquals(30, b.hi()[1], "whole rows");
        for (long r = b.lo()[0]; r < b.hi()[0]; r++) {
          rows.add(r);
        }
      }
    }
    List<Long> expected = new ArrayList<>();
    for (long r = 15; r < 30; r++) {
      expected.add(r);
    }
    for (long r = 40; r < 45; r++) {
      expected.add(r);
    }
    assertEquals(expected, rows);
    assertEquals(List.of(1L, 2L, 4L), tasks.stream().map(t -> t.chunkCoords().get(0)[0]).toList());
  }

  private Region rowsAndColumns(long r0, long r1, long c0, long c1) {
    return Region.ofIntervals(grid.arrayShape(), 0, List.of(new long[] {r0, r1}))
        .intersect(Region.ofIntervals(grid.arrayShape(), 1, List.of(new long[] {c0, c1})));
  }

  @Test
  void aRowLimitPlansOnlyTheBandsItNeeds() {
    List<ChunkTask> tasks =
        ScanPlanner.planRows(source(100), Region.all(grid.arrayShape()), 12, 1 << 20);
    assertEquals(1, tasks.size());
    assertEquals(2, tasks.get(0).chunkCoords().size(), "bands 0 and 1 hold the first 12 rows");
  }

  @Test
  void eachDatasetCarriesTheChunksOfItsOwnGridItsBandsOverlap() {
    List<ChunkTask> tasks =
        ScanPlanner.planRows(
            source(100),
            Region.ofIntervals(grid.arrayShape(), 0, List.of(new long[] {12, 18})),
            -1,
            1 << 20);
    RecordingChunks narrowed = (RecordingChunks) tasks.get(0).datasets().get(0).inFile();
    assertEquals(grid, narrowed.grid(), "the dataset's own grid, not the bands'");
    List<String> coords = narrowed.coords().stream().map(java.util.Arrays::toString).toList();
    assertEquals(List.of("[1, 0]", "[1, 1]", "[1, 2]", "[1, 3]", "[1, 4]"), coords);
  }
}
