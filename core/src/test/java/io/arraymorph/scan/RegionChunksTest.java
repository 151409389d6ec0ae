package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.scan.DimPredicate.Compare;
import io.arraymorph.scan.DimPredicate.Op;
import io.arraymorph.scan.DimPredicate.Or;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A region's overlapping chunks are visited once each, in grid order, with the boxes inside. */
class RegionChunksTest {
  private final ChunkGrid grid = new ChunkGrid(new long[] {25, 18}, new int[] {10, 5});
  private final RegionTranslator translator = new RegionTranslator(grid.arrayShape());

  private List<long[]> walk(Region r, long limit, List<Long> elements) {
    List<long[]> out = new ArrayList<>();
    RegionChunks.walk(
        grid,
        r,
        limit,
        new long[1],
        (c, parts) -> {
          out.add(c);
          elements.add(parts.stream().mapToLong(Region.Box::size).sum());
          return true;
        });
    return out;
  }

  @Test
  void aBoxVisitsExactlyTheChunksItOverlapsWithItsPartInEach() {
    // rows 8..11 (chunk rows 0, 1), columns 4..6 (chunk columns 0, 1)
    Region r =
        translator.translate(
            new DimPredicate.And(
                new DimPredicate.And(new Compare(0, Op.GE, 8), new Compare(0, Op.LE, 11)),
                new DimPredicate.And(new Compare(1, Op.GE, 4), new Compare(1, Op.LE, 6))));
    List<Long> elements = new ArrayList<>();
    List<long[]> chunks = walk(r, -1, elements);
    assertEquals(4, chunks.size());
    assertArrayEquals(new long[] {0, 0}, chunks.get(0));
    assertArrayEquals(new long[] {0, 1}, chunks.get(1));
    assertArrayEquals(new long[] {1, 0}, chunks.get(2));
    assertArrayEquals(new long[] {1, 1}, chunks.get(3));
    assertEquals(List.of(2L, 4L, 2L, 4L), elements);
  }

  @Test
  void severalBoxesInOneChunkVisitItOnceInGridOrder() {
    Region r = translator.translate(new Or(new Compare(0, Op.EQ, 21), new Compare(0, Op.EQ, 2)));
    List<Long> elements = new ArrayList<>();
    List<long[]> chunks = walk(r, -1, elements);
    assertEquals(8, chunks.size(), "4 chunk columns in chunk rows 0 and 2");
    assertArrayEquals(new long[] {0, 0}, chunks.get(0));
    assertArrayEquals(new long[] {2, 3}, chunks.get(7));
    assertEquals(36L, elements.stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void aLimitStopsOnceEnoughElementsArePlanned() {
    List<Long> elements = new ArrayList<>();
    List<long[]> chunks = walk(Region.all(grid.arrayShape()), 120, elements);
    assertEquals(3, chunks.size(), "50 + 50 + 50 elements cover a limit of 120");
  }

  @Test
  void boxesAreCutToASmallerShape() {
    List<Region.Box> cut =
        RegionChunks.within(Region.all(new long[] {40, 40}), new long[] {25, 18});
    assertEquals(1, cut.size());
    assertArrayEquals(new long[] {25, 18}, cut.get(0).hi());
  }
}
