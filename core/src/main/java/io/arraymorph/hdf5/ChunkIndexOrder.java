package io.arraymorph.hdf5;

import io.arraymorph.array.ChunkGrid;

/**
 * How libhdf5 numbers the chunks of the array-like chunk indexes (implicit, fixed array, extensible
 * array): row-major over the grid of the dataset's <em>maximum</em> shape, not its current one, and
 * for an extensible array with its unlimited dimension moved first (libhdf5's "swizzled" order,
 * H5VM_swizzle_coords). Numbering by the current shape reads a permutation of the chunks whenever
 * the maximum shape is larger or the unlimited dimension is not the first.
 */
final class ChunkIndexOrder {
  private final ChunkGrid grid;

  /** Dimension of the dataset at each position of the numbering order. */
  private final int[] order;

  /** Chunks along each position of the numbering order (the first may be unbounded). */
  private final long[] extent;

  private final long[] down;
  private final long count;

  private ChunkIndexOrder(ChunkGrid grid, int[] order, long[] extent) {
    this.grid = grid;
    this.order = order;
    this.extent = extent;
    this.down = new long[order.length];
    long product = 1;
    for (int k = order.length - 1; k >= 0; k--) {
      down[k] = product;
      if (k > 0) {
        product = Math.multiplyExact(product, extent[k]);
      }
    }
    this.count = order.length == 0 ? 1 : Math.multiplyExact(product, extent[0]);
  }

  /**
   * The numbering of a fixed array or implicit index: row-major over the chunk grid of {@code
   * maxShape} (entries of -1, unlimited, or smaller than the shape count as the shape).
   */
  static ChunkIndexOrder fixed(ChunkGrid grid, long[] maxShape) {
    int rank = grid.rank();
    int[] order = new int[rank];
    long[] extent = new long[rank];
    for (int d = 0; d < rank; d++) {
      order[d] = d;
      extent[d] = maxChunks(grid, maxShape, d);
    }
    return new ChunkIndexOrder(grid, order, extent);
  }

  /**
   * The numbering of an extensible array index: the unlimited dimension first, the others after it
   * in their order, each over the chunk grid of {@code maxShape}.
   *
   * @throws Hdf5FormatException when no dimension is unlimited
   */
  static ChunkIndexOrder extensible(ChunkGrid grid, long[] maxShape, String path) {
    int rank = grid.rank();
    int unlimited = -1;
    for (int d = 0; d < rank && maxShape != null && d < maxShape.length; d++) {
      if (maxShape[d] == -1L) {
        unlimited = d;
        break;
      }
    }
    if (unlimited < 0) {
      throw new Hdf5FormatException(
          "Dataset '" + path + "' has an extensible array chunk index but no unlimited dimension");
    }
    int[] order = new int[rank];
    long[] extent = new long[rank];
    order[0] = unlimited;
    extent[0] = grid.gridShape()[unlimited];
    for (int d = 0, k = 1; d < rank; d++) {
      if (d != unlimited) {
        order[k] = d;
        extent[k] = maxChunks(grid, maxShape, d);
        k++;
      }
    }
    return new ChunkIndexOrder(grid, order, extent);
  }

  private static long maxChunks(ChunkGrid grid, long[] maxShape, int d) {
    long shape = grid.arrayShape()[d];
    long max = maxShape == null || d >= maxShape.length ? shape : maxShape[d];
    if (max == -1L || max < shape) {
      max = shape;
    }
    int chunk = grid.chunkShape()[d];
    return Math.max(1, (max + chunk - 1) / chunk);
  }

  /**
   * Index positions numbered for the chunks of the current grid: of a fixed array, its entry count;
   * of an extensible array, the positions up to the last chunk of the current shape.
   */
  long count() {
    return count;
  }

  /** The index position of the chunk at these grid coordinates. */
  long position(long[] chunkCoords) {
    long p = 0;
    for (int k = 0; k < order.length; k++) {
      p += chunkCoords[order[k]] * down[k];
    }
    return p;
  }

  /**
   * The grid coordinates of the chunk at index position {@code position}, or null when that chunk
   * lies outside the current shape (space the maximum shape reserves).
   */
  long[] coords(long position) {
    long[] coords = new long[order.length];
    long[] gridShape = grid.gridShape();
    for (int k = 0; k < order.length; k++) {
      long c = position / down[k];
      if (k > 0) {
        c %= extent[k];
      }
      int d = order[k];
      if (c >= gridShape[d]) {
        return null;
      }
      coords[d] = c;
    }
    return coords;
  }
}
