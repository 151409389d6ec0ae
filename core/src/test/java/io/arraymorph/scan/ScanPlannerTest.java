package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
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

  @Test
  void tasksOfOneBoxNameTheWalkedChunksAndTheirPartsAndShipAsFewBytes() throws Exception {
    // An unaligned box on a grid whose last chunks are partial, packed 7 chunks per group.
    ChunkGrid g = new ChunkGrid(new long[] {37, 23, 9}, new int[] {4, 5, 2});
    Region.Box box = new Region.Box(new long[] {3, 2, 1}, new long[] {35, 23, 8});
    Region region =
        new RegionTranslator(g.arrayShape())
            .translate(
                new DimPredicate.And(
                    new DimPredicate.And(
                        new DimPredicate.Compare(0, DimPredicate.Op.GE, 3),
                        new DimPredicate.Compare(0, DimPredicate.Op.LT, 35)),
                    new DimPredicate.And(
                        new DimPredicate.Compare(1, DimPredicate.Op.GE, 2),
                        new DimPredicate.Compare(2, DimPredicate.Op.GE, 1))))
            .intersect(
                new RegionTranslator(g.arrayShape())
                    .translate(new DimPredicate.Compare(2, DimPredicate.Op.LT, 8)));
    assertEquals(1, region.boxes().size());
    assertArrayEquals(box.lo(), region.boxes().get(0).lo());
    assertArrayEquals(box.hi(), region.boxes().get(0).hi());
    List<long[]> walked = new ArrayList<>();
    List<List<Region.Box>> walkedParts = new ArrayList<>();
    RegionChunks.walk(
        g,
        region,
        -1,
        new long[1],
        (c, parts) -> {
          walked.add(c);
          walkedParts.add(parts);
          return true;
        });
    List<List<ScanPlanner.Planned>> groups =
        ScanPlanner.plan(
            List.of(new ScanPlanner.Source("a", List.of(DatasetRef.inFile("v")), g, 10)),
            region,
            -1,
            70);
    List<long[]> planned = new ArrayList<>();
    List<List<Region.Box>> plannedParts = new ArrayList<>();
    for (List<ScanPlanner.Planned> group : groups) {
      assertEquals(1, group.size());
      ChunkTask task = roundTrip(group.get(0).task());
      assertEquals(task.chunkCoords().size(), task.boxes().size());
      assertTrue(task.chunkCoords().size() <= 7);
      planned.addAll(task.chunkCoords());
      plannedParts.addAll(task.boxes());
    }
    assertEquals(walked.size(), planned.size());
    assertEquals((walked.size() + 6) / 7, groups.size());
    for (int i = 0; i < walked.size(); i++) {
      assertArrayEquals(walked.get(i), planned.get(i), "chunk " + i);
      Region.Box w = walkedParts.get(i).get(0);
      Region.Box p = plannedParts.get(i).get(0);
      assertArrayEquals(w.lo(), p.lo(), "part lo of chunk " + i);
      assertArrayEquals(w.hi(), p.hi(), "part hi of chunk " + i);
    }
    // A run ships as its bounds, not its chunks: a task of many chunks stays small.
    ChunkTask big =
        ScanPlanner.plan(
                List.of(new ScanPlanner.Source("a", List.of(DatasetRef.inFile("v")), g, 1)),
                Region.all(g.arrayShape()),
                -1,
                Long.MAX_VALUE)
            .get(0)
            .get(0)
            .task();
    assertEquals(10 * 5 * 5, big.chunkCoords().size());
    assertTrue(serialize(big).length < 2000, "serialized " + serialize(big).length + " bytes");
  }

  private static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream s = new ObjectOutputStream(out)) {
      s.writeObject(o);
    }
    return out.toByteArray();
  }

  private static ChunkTask roundTrip(ChunkTask task) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialize(task)))) {
      return (ChunkTask) in.readObject();
    }
  }
}
