package io.arraymorph.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed examples of the chunk grid and hyperslab validation. */
class ChunkGridTest {

  @Test
  void gridOfTenBySevenInFourByThreeChunksHasEdgeChunks() {
    ChunkGrid grid = new ChunkGrid(new long[] {10, 7}, new int[] {4, 3});
    assertArrayEquals(new long[] {3, 3}, grid.gridShape());
    assertEquals(9, grid.chunkCount());
    assertEquals(12, grid.chunkElements());
    assertEquals(5, grid.linearIndex(new long[] {1, 2}));
    assertArrayEquals(new long[] {2, 1}, grid.chunkCoords(7));
    assertArrayEquals(new long[] {4, 3}, grid.validExtent(new long[] {0, 0}));
    assertArrayEquals(new long[] {2, 1}, grid.validExtent(new long[] {2, 2}));
    assertArrayEquals(new long[] {8, 6}, grid.chunkOrigin(new long[] {2, 2}));
  }

  @Test
  void chunkLargerThanArrayGivesOneChunk() {
    ChunkGrid grid = new ChunkGrid(new long[] {3}, new int[] {100});
    assertEquals(1, grid.chunkCount());
    assertArrayEquals(new long[] {3}, grid.validExtent(new long[] {0}));
  }

  @Test
  void emptyArrayHasNoChunks() {
    ChunkGrid grid = new ChunkGrid(new long[] {5, 0}, new int[] {2, 2});
    assertEquals(0, grid.chunkCount());
    int[] visits = {0};
    grid.forEachChunk(c -> visits[0]++);
    assertEquals(0, visits[0]);
    assertEquals(0, grid.plan(Hyperslab.all(new long[] {5, 0})).chunkCount());
  }

  @Test
  void scalarArrayHasOneChunkAndOneElement() {
    ChunkGrid grid = new ChunkGrid(new long[0], new int[0]);
    assertEquals(1, grid.chunkCount());
    List<ChunkSelection> chunks = grid.plan(Hyperslab.all(new long[0])).chunks();
    assertEquals(1, chunks.size());
    assertEquals(1, chunks.get(0).selectedCount());
  }

  @Test
  void stridedSelectionTouchesOnlyChunksHoldingSelectedElements() {
    // Elements 1, 2, 9, 10, 17, 18 of a 20-element array in chunks of 4: chunks 0, 2, 4.
    ChunkGrid grid = new ChunkGrid(new long[] {20}, new int[] {4});
    Hyperslab slab = new Hyperslab(new long[] {1}, new long[] {8}, new long[] {3}, new long[] {2});
    List<ChunkSelection> chunks = grid.plan(slab).chunks();
    assertEquals(3, chunks.size());
    assertArrayEquals(new long[] {0}, chunks.get(0).chunkCoords());
    assertArrayEquals(new long[] {2}, chunks.get(1).chunkCoords());
    assertArrayEquals(new long[] {4}, chunks.get(2).chunkCoords());
    DimRuns runs = chunks.get(1).runs(0);
    assertEquals(1, runs.runCount());
    assertEquals(1, runs.chunkOffset(0));
    assertEquals(2, runs.outOffset(0));
    assertEquals(2, runs.length(0));
  }

  @Test
  void mismatchedRanksAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ChunkGrid(new long[] {4, 4}, new int[] {2}));
    assertTrue(e.getMessage().contains("rank"), e.getMessage());
  }

  @Test
  void zeroChunkExtentIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ChunkGrid(new long[] {4}, new int[] {0}));
    assertTrue(e.getMessage().contains("chunk extents >= 1"), e.getMessage());
  }

  @Test
  void outOfBoundsSelectionNamesTheDimension() {
    ChunkGrid grid = new ChunkGrid(new long[] {10, 10}, new int[] {3, 3});
    IndexOutOfBoundsException e =
        assertThrows(
            IndexOutOfBoundsException.class,
            () -> grid.plan(Hyperslab.box(new long[] {0, 5}, new long[] {10, 6})));
    assertTrue(e.getMessage().contains("dimension 1"), e.getMessage());
    assertTrue(e.getMessage().contains("index 10"), e.getMessage());
  }

  @Test
  void stridedSelectionEndingPastTheArrayIsOutOfBounds() {
    ChunkGrid grid = new ChunkGrid(new long[] {10}, new int[] {3});
    // Blocks at 0-1, 4-5, 8-9 fit; a fourth block at 12 does not.
    long selected = 0;
    for (ChunkSelection sel :
        grid.plan(new Hyperslab(new long[] {0}, new long[] {4}, new long[] {3}, new long[] {2}))) {
      selected += sel.selectedCount();
    }
    assertEquals(6, selected);
    IndexOutOfBoundsException e =
        assertThrows(
            IndexOutOfBoundsException.class,
            () ->
                grid.plan(
                    new Hyperslab(new long[] {0}, new long[] {4}, new long[] {4}, new long[] {2})));
    assertTrue(e.getMessage().contains("dimension 0"), e.getMessage());
  }

  @Test
  void selectionOfWrongRankIsRejected() {
    ChunkGrid grid = new ChunkGrid(new long[] {10, 10}, new int[] {3, 3});
    IndexOutOfBoundsException e =
        assertThrows(
            IndexOutOfBoundsException.class,
            () -> grid.plan(Hyperslab.box(new long[] {0}, new long[] {2})));
    assertTrue(e.getMessage().contains("rank 1"), e.getMessage());
  }

  @Test
  void invalidHyperslabsNameTheDimension() {
    long[] one = {1, 1};
    assertInvalid(new long[] {0, -1}, one, one, one, "dimension 1");
    assertInvalid(new long[] {0, 0}, one, new long[] {-1, 1}, one, "dimension 0");
    assertInvalid(new long[] {0, 0}, one, one, new long[] {1, 0}, "dimension 1");
    // stride smaller than block: blocks would overlap
    assertInvalid(new long[] {0, 0}, new long[] {2, 1}, one, new long[] {2, 2}, "dimension 1");
  }

  private static void assertInvalid(
      long[] start, long[] stride, long[] count, long[] block, String expected) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Hyperslab(start, stride, count, block));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void hyperslabOfMismatchedArrayLengthsIsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new Hyperslab(new long[] {0, 0}, new long[] {1}, new long[] {1, 1}, new long[] {1}));
  }

  @Test
  void boxShapeAndEndAreAsGiven() {
    Hyperslab box = Hyperslab.box(new long[] {5, 5}, new long[] {10, 0});
    assertArrayEquals(new long[] {10, 0}, box.shape());
    assertEquals(0, box.size());
    assertEquals(15, box.end(0));
    assertEquals(5, box.end(1));
    assertFalse(box.equals(Hyperslab.box(new long[] {5, 5}, new long[] {10, 1})));
  }
}
