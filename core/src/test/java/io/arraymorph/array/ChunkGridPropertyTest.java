package io.arraymorph.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property-style checks of the chunk grid and selection planning against a naive reference that
 * enumerates every selected element, on seeded random shapes, chunk shapes and hyperslabs.
 */
class ChunkGridPropertyTest {
  private static final int CASES = 600;
  private static final int SENTINEL = -7;

  /** A random case: an array shape, a chunk shape and a hyperslab within the array. */
  private record Case(long[] shape, int[] chunks, Hyperslab slab) {
    @Override
    public String toString() {
      return "shape=" + Arrays.toString(shape) + " chunks=" + Arrays.toString(chunks) + " " + slab;
    }
  }

  private static Case randomCase(Random rnd) {
    int rank = rnd.nextInt(5);
    long[] shape = new long[rank];
    int[] chunks = new int[rank];
    long[] start = new long[rank];
    long[] stride = new long[rank];
    long[] count = new long[rank];
    long[] block = new long[rank];
    for (int d = 0; d < rank; d++) {
      shape[d] = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(rank <= 2 ? 23 : 9);
      // Chunks are sometimes larger than the whole array.
      chunks[d] = 1 + rnd.nextInt((int) shape[d] + 4);
      if (shape[d] == 0 || rnd.nextInt(15) == 0) {
        start[d] = shape[d] == 0 ? 0 : rnd.nextInt((int) shape[d]);
        stride[d] = 1L + rnd.nextInt(3);
        block[d] = 1L + rnd.nextInt((int) stride[d]);
        count[d] = 0;
        continue;
      }
      block[d] = 1L + rnd.nextInt(Math.min(4, (int) shape[d]));
      stride[d] = block[d] + (rnd.nextBoolean() ? 0 : rnd.nextInt(5));
      start[d] = rnd.nextInt((int) (shape[d] - block[d] + 1));
      long maxCount = (shape[d] - start[d] - block[d]) / stride[d] + 1;
      count[d] = 1L + rnd.nextInt((int) maxCount);
    }
    return new Case(shape, chunks, new Hyperslab(start, stride, count, block));
  }

  /** The array index selected at output index {@code o} along dimension {@code d}. */
  private static long globalIndex(Hyperslab slab, int d, long o) {
    return slab.start(d) + (o / slab.block(d)) * slab.stride(d) + o % slab.block(d);
  }

  /** The output index of array index {@code g} along {@code d}, or -1 when it is not selected. */
  private static long outputIndex(Hyperslab slab, int d, long g) {
    long rel = g - slab.start(d);
    if (rel < 0) {
      return -1;
    }
    long k = rel / slab.stride(d);
    long within = rel % slab.stride(d);
    if (k >= slab.count(d) || within >= slab.block(d)) {
      return -1;
    }
    return k * slab.block(d) + within;
  }

  /** Every multi-index of a shape in row-major order. */
  private static List<long[]> indices(long[] shape) {
    List<long[]> out = new ArrayList<>();
    for (long s : shape) {
      if (s == 0) {
        return out;
      }
    }
    long[] idx = new long[shape.length];
    while (true) {
      out.add(idx.clone());
      int d = shape.length - 1;
      while (d >= 0 && ++idx[d] == shape[d]) {
        idx[d] = 0;
        d--;
      }
      if (d < 0) {
        return out;
      }
    }
  }

  private static long flat(long[] index, long[] shape) {
    long f = 0;
    for (int d = 0; d < shape.length; d++) {
      f = f * shape[d] + index[d];
    }
    return f;
  }

  private static long[] chunkShapeLong(int[] chunks) {
    return Arrays.stream(chunks).asLongStream().toArray();
  }

  @Test
  void planChunkSetEqualsChunksHoldingSelectedElements() {
    Random rnd = new Random(20240101L);
    for (int i = 0; i < CASES; i++) {
      Case c = randomCase(rnd);
      SelectionPlan plan = new ChunkGrid(c.shape, c.chunks).plan(c.slab);
      Set<List<Long>> expected = new HashSet<>();
      for (long[] o : indices(c.slab.shape())) {
        List<Long> chunk = new ArrayList<>();
        for (int d = 0; d < o.length; d++) {
          chunk.add(globalIndex(c.slab, d, o[d]) / c.chunks[d]);
        }
        expected.add(chunk);
      }
      List<List<Long>> actual = new ArrayList<>();
      long selected = 0;
      for (ChunkSelection sel : plan) {
        actual.add(Arrays.stream(sel.chunkCoords()).boxed().toList());
        selected += sel.selectedCount();
      }
      assertEquals(expected, new HashSet<>(actual), c.toString());
      assertEquals(actual.size(), new HashSet<>(actual).size(), "duplicate chunks in " + c);
      assertEquals(expected.size(), plan.chunkCount(), c.toString());
      assertEquals(indices(c.slab.shape()).size(), selected, "selected count of " + c);
      assertArrayEquals(c.slab.shape(), plan.outputShape(), c.toString());
    }
  }

  @Test
  void gatherFromChunksReproducesNaiveGather() {
    Random rnd = new Random(777L);
    for (int i = 0; i < CASES; i++) {
      Case c = randomCase(rnd);
      ChunkGrid grid = new ChunkGrid(c.shape, c.chunks);
      SelectionPlan plan = grid.plan(c.slab);
      long[] outShape = c.slab.shape();
      int outElements = indices(outShape).size();
      byte[] output = new byte[outElements * 4];
      ElementCopier copier = new ElementCopier(4, c.chunks, outShape);
      byte[] fromBuffers = new byte[output.length];
      for (ChunkSelection sel : plan) {
        byte[] chunk = chunkOfGlobalFlatIndices(c, sel.chunkCoords());
        copier.chunkToOutput(sel, chunk, output);
        // The same chunk from a direct buffer whose bytes start at a non-zero position.
        ByteBuffer lent = ByteBuffer.allocateDirect(chunk.length + 5);
        lent.position(5).put(chunk).position(5);
        copier.chunkToOutput(sel, lent, fromBuffers);
      }
      assertArrayEquals(output, fromBuffers, "from a buffer, " + c);
      ByteBuffer out = ByteBuffer.wrap(output).order(ByteOrder.LITTLE_ENDIAN);
      int k = 0;
      for (long[] o : indices(outShape)) {
        long[] g = new long[o.length];
        for (int d = 0; d < o.length; d++) {
          g[d] = globalIndex(c.slab, d, o[d]);
        }
        assertEquals(
            flat(g, c.shape), out.getInt(k * 4), "output " + Arrays.toString(o) + " of " + c);
        k++;
      }
    }
  }

  /** A chunk whose valid elements hold their global flat index and whose padding holds -7. */
  private static byte[] chunkOfGlobalFlatIndices(Case c, long[] coords) {
    long[] chunkShape = chunkShapeLong(c.chunks);
    List<long[]> positions = indices(chunkShape);
    ByteBuffer b = ByteBuffer.allocate(positions.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (long[] p : positions) {
      long[] g = new long[p.length];
      boolean inside = true;
      for (int d = 0; d < p.length; d++) {
        g[d] = coords[d] * c.chunks[d] + p[d];
        inside &= g[d] < c.shape[d];
      }
      b.putInt(inside ? (int) flat(g, c.shape) : SENTINEL);
    }
    return b.array();
  }

  @Test
  void scatterWritesExactlyTheSelectedPositions() {
    Random rnd = new Random(4242L);
    for (int i = 0; i < CASES; i++) {
      Case c = randomCase(rnd);
      ChunkGrid grid = new ChunkGrid(c.shape, c.chunks);
      long[] outShape = c.slab.shape();
      int outElements = indices(outShape).size();
      ByteBuffer data = ByteBuffer.allocate(outElements * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (int k = 0; k < outElements; k++) {
        data.putInt(1000 + k);
      }
      ElementCopier copier = new ElementCopier(4, c.chunks, outShape);
      long[] chunkShape = chunkShapeLong(c.chunks);
      List<long[]> positions = indices(chunkShape);
      for (ChunkSelection sel : grid.plan(c.slab)) {
        ByteBuffer chunk = ByteBuffer.allocate(positions.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < positions.size(); k++) {
          chunk.putInt(SENTINEL);
        }
        copier.outputToChunk(sel, data.array(), chunk.array());
        long[] coords = sel.chunkCoords();
        boolean allSelected = true;
        for (int k = 0; k < positions.size(); k++) {
          long[] p = positions.get(k);
          long[] o = new long[p.length];
          boolean selected = true;
          for (int d = 0; d < p.length; d++) {
            o[d] = outputIndex(c.slab, d, coords[d] * c.chunks[d] + p[d]);
            selected &= o[d] >= 0;
          }
          allSelected &= selected;
          int expected = selected ? 1000 + (int) flat(o, outShape) : SENTINEL;
          assertEquals(
              expected,
              chunk.getInt(k * 4),
              "chunk " + Arrays.toString(coords) + " position " + Arrays.toString(p) + " of " + c);
        }
        assertEquals(allSelected, sel.coversWholeChunk(c.chunks), "coversWholeChunk of " + c);
      }
    }
  }

  @Test
  void gridCountsLinearIndexAndChunkCoordsAreInverse() {
    Random rnd = new Random(99L);
    for (int i = 0; i < 300; i++) {
      Case c = randomCase(rnd);
      ChunkGrid grid = new ChunkGrid(c.shape, c.chunks);
      long naiveCount = 1;
      for (int d = 0; d < c.shape.length; d++) {
        long n = 0;
        for (long origin = 0; origin < c.shape[d]; origin += c.chunks[d]) {
          n++;
        }
        assertEquals(n, grid.gridShape()[d], "grid extent " + d + " of " + c);
        naiveCount *= n;
      }
      assertEquals(naiveCount, grid.chunkCount(), c.toString());
      List<long[]> visited = new ArrayList<>();
      grid.forEachChunk(visited::add);
      assertEquals(naiveCount, visited.size(), c.toString());
      for (int k = 0; k < visited.size(); k++) {
        long[] coords = visited.get(k);
        assertEquals(k, grid.linearIndex(coords), "row-major order of " + c);
        assertArrayEquals(coords, grid.chunkCoords(k), c.toString());
        long[] valid = grid.validExtent(coords);
        long[] origin = grid.chunkOrigin(coords);
        for (int d = 0; d < coords.length; d++) {
          assertEquals(coords[d] * c.chunks[d], origin[d]);
          long inside = 0;
          for (long g = origin[d]; g < origin[d] + c.chunks[d]; g++) {
            if (g < c.shape[d]) {
              inside++;
            }
          }
          assertEquals(inside, valid[d], "valid extent of " + Arrays.toString(coords) + c);
        }
      }
    }
  }
}
