package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chunks are packed into groups of about the target size, in location then grid order. */
class ScanPlannerTest {
  private final ChunkGrid grid = new ChunkGrid(new long[] {40, 40}, new int[] {10, 10});

  private ScanPlanner.Source source(String location) {
    return new ScanPlanner.Source(location, List.of(DatasetRef.inFile("v")), grid, 400);
  }

  @Test
  void groupsReachTheTargetSizeAndNeverSplitAChunk() {
    List<List<ScanPlanner.Planned>> groups =
        ScanPlanner.plan(List.of(source("a")), Region.all(grid.arrayShape()), -1, 1000);
    assertEquals(6, groups.size(), "16 chunks of 400 bytes, 3 per group of >= 1000 bytes");
    assertEquals(3, groups.get(0).get(0).task().chunkCoords().size());
    assertEquals(1, groups.get(5).get(0).task().chunkCoords().size());
    long elements = groups.stream().mapToLong(g -> g.get(0).task().elements()).sum();
    assertEquals(1600, elements);
  }

  @Test
  void aGroupSpansLocationsWithOneTaskPerLocation() {
    Region rows =
        new RegionTranslator(grid.arrayShape())
            .translate(new DimPredicate.Compare(0, DimPredicate.Op.LT, 10));
    List<List<ScanPlanner.Planned>> groups =
        ScanPlanner.plan(List.of(source("a"), source("b")), rows, -1, 1 << 20);
    assertEquals(1, groups.size());
    assertEquals(2, groups.get(0).size());
    assertEquals(0, groups.get(0).get(0).source());
    assertEquals("b", groups.get(0).get(1).task().location());
    assertEquals(4, groups.get(0).get(1).task().chunkCoords().size());
  }

  @Test
  void aLimitPlansOnlyTheChunksItNeeds() {
    List<List<ScanPlanner.Planned>> groups =
        ScanPlanner.plan(
            List.of(source("a"), source("b")), Region.all(grid.arrayShape()), 250, 1 << 20);
    assertEquals(1, groups.get(0).size(), "the first location covers the limit");
    assertEquals(3, groups.get(0).get(0).task().chunkCoords().size());
  }

  @Test
  void eachLocationIsPlannedOnItsOwnRegionAndAnEmptyOneGetsNoTask() {
    long[] shape = grid.arrayShape();
    Region firstRow =
        new RegionTranslator(shape).translate(new DimPredicate.Compare(0, DimPredicate.Op.LT, 10));
    List<List<ScanPlanner.Planned>> groups =
        ScanPlanner.plan(
            List.of(source("a"), source("b"), source("c")),
            List.of(Region.none(shape), firstRow, Region.all(shape)),
            -1,
            1 << 20);
    assertEquals(1, groups.size());
    assertEquals(2, groups.get(0).size(), "location a is pruned");
    assertEquals(1, groups.get(0).get(0).source());
    assertEquals(4, groups.get(0).get(0).task().chunkCoords().size());
    assertEquals("c", groups.get(0).get(1).task().location());
    assertEquals(16, groups.get(0).get(1).task().chunkCoords().size());
  }
}
