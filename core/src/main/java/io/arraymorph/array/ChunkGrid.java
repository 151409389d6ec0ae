package io.arraymorph.array;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A regular chunk grid over an array. Every chunk, edge chunks included, has the full chunk shape
 * in storage; elements past the array's edge are padding.
 */
public final class ChunkGrid {
  private final long[] arrayShape;
  private final int[] chunkShape;
  private final long[] gridShape;

  /**
   * Creates a grid.
   *
   * @throws IllegalArgumentException when ranks differ, an extent is negative or a chunk extent
   *     below 1
   */
  public ChunkGrid(long[] arrayShape, int[] chunkShape) {
    if (arrayShape.length != chunkShape.length) {
      throw new IllegalArgumentException(
          "Chunk shape "
              + Arrays.toString(chunkShape)
              + " has a different rank from the array shape "
              + Arrays.toString(arrayShape));
    }
    gridShape = new long[arrayShape.length];
    for (int d = 0; d < arrayShape.length; d++) {
      if (arrayShape[d] < 0 || chunkShape[d] < 1) {
        throw new IllegalArgumentException(
            "Invalid shape "
                + Arrays.toString(arrayShape)
                + " with chunks "
                + Arrays.toString(chunkShape)
                + ": extents must be >= 0 and chunk extents >= 1");
      }
      gridShape[d] = ceilDiv(arrayShape[d], chunkShape[d]);
    }
    this.arrayShape = arrayShape.clone();
    this.chunkShape = chunkShape.clone();
  }

  public int rank() {
    return arrayShape.length;
  }

  public long[] arrayShape() {
    return arrayShape.clone();
  }

  public int[] chunkShape() {
    return chunkShape.clone();
  }

  /** The number of chunks along each dimension. */
  public long[] gridShape() {
    return gridShape.clone();
  }

  /** The total number of chunks in the grid. */
  public long chunkCount() {
    return Shapes.product(gridShape);
  }

  /** Elements in one stored chunk (the full chunk shape, padding included). */
  public long chunkElements() {
    return Shapes.product(chunkShape);
  }

  /** The array index of the chunk's first element. */
  public long[] chunkOrigin(long[] chunkCoords) {
    long[] origin = new long[rank()];
    for (int d = 0; d < origin.length; d++) {
      origin[d] = chunkCoords[d] * chunkShape[d];
    }
    return origin;
  }

  /** The part of the chunk inside the array: smaller than the chunk shape for edge chunks. */
  public long[] validExtent(long[] chunkCoords) {
    long[] extent = new long[rank()];
    for (int d = 0; d < extent.length; d++) {
      extent[d] = Math.min(chunkShape[d], arrayShape[d] - chunkCoords[d] * chunkShape[d]);
    }
    return extent;
  }

  /** The chunk's position in row-major order over the grid. */
  public long linearIndex(long[] chunkCoords) {
    long index = 0;
    for (int d = 0; d < chunkCoords.length; d++) {
      index = index * gridShape[d] + chunkCoords[d];
    }
    return index;
  }

  /** The inverse of {@link #linearIndex}. */
  public long[] chunkCoords(long linearIndex) {
    long[] coords = new long[rank()];
    for (int d = rank() - 1; d >= 0; d--) {
      coords[d] = linearIndex % gridShape[d];
      linearIndex /= gridShape[d];
    }
    return coords;
  }

  /**
   * Plans a hyperslab: the chunks holding at least one selected element, each with its copy runs.
   *
   * @throws IndexOutOfBoundsException when the hyperslab leaves the array
   */
  public SelectionPlan plan(Hyperslab slab) {
    slab.checkWithin(arrayShape);
    List<List<DimChunk>> perDim = new ArrayList<>(rank());
    for (int d = 0; d < rank(); d++) {
      perDim.add(planDimension(slab, d));
    }
    return new SelectionPlan(this, slab, perDim);
  }

  /** A chunk index along one dimension with its runs. */
  record DimChunk(long chunkIndex, DimRuns runs) {}

  private List<DimChunk> planDimension(Hyperslab slab, int d) {
    long start = slab.start(d);
    long stride = slab.stride(d);
    long count = slab.count(d);
    long block = slab.block(d);
    if (stride == block && count > 1) {
      block = Math.multiplyExact(count, block);
      count = 1;
    }
    int chunk = chunkShape[d];
    List<DimChunk> out = new ArrayList<>();
    RunsBuilder current = null;
    for (long k = 0; k < count; k++) {
      long blockStart = start + k * stride;
      long pos = blockStart;
      long remaining = block;
      while (remaining > 0) {
        long chunkIndex = pos / chunk;
        int offset = (int) (pos - chunkIndex * chunk);
        int len = (int) Math.min(remaining, chunk - offset);
        if (current == null || current.chunkIndex != chunkIndex) {
          if (current != null) {
            out.add(current.build());
          }
          current = new RunsBuilder(chunkIndex);
        }
        current.add(offset, k * block + (pos - blockStart), len);
        pos += len;
        remaining -= len;
      }
    }
    if (current != null) {
      out.add(current.build());
    }
    return out;
  }

  private static final class RunsBuilder {
    final long chunkIndex;
    int size;
    int[] chunkOffset = new int[4];
    long[] outOffset = new long[4];
    int[] length = new int[4];

    RunsBuilder(long chunkIndex) {
      this.chunkIndex = chunkIndex;
    }

    void add(int chunkOff, long outOff, int len) {
      if (size > 0
          && chunkOffset[size - 1] + length[size - 1] == chunkOff
          && outOffset[size - 1] + length[size - 1] == outOff) {
        length[size - 1] += len;
        return;
      }
      if (size == length.length) {
        chunkOffset = Arrays.copyOf(chunkOffset, size * 2);
        outOffset = Arrays.copyOf(outOffset, size * 2);
        length = Arrays.copyOf(length, size * 2);
      }
      chunkOffset[size] = chunkOff;
      outOffset[size] = outOff;
      length[size] = len;
      size++;
    }

    DimChunk build() {
      return new DimChunk(
          chunkIndex,
          new DimRuns(
              Arrays.copyOf(chunkOffset, size),
              Arrays.copyOf(outOffset, size),
              Arrays.copyOf(length, size)));
    }
  }

  /** Visits every chunk of the grid in row-major order. */
  public void forEachChunk(Consumer<long[]> visitor) {
    if (chunkCount() == 0) {
      return;
    }
    long[] coords = new long[rank()];
    while (true) {
      visitor.accept(coords.clone());
      int d = rank() - 1;
      while (d >= 0 && ++coords[d] == gridShape[d]) {
        coords[d] = 0;
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }

  static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChunkGrid g
        && Arrays.equals(arrayShape, g.arrayShape)
        && Arrays.equals(chunkShape, g.chunkShape);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(arrayShape) * 31 + Arrays.hashCode(chunkShape);
  }

  @Override
  public String toString() {
    return "ChunkGrid[shape="
        + Arrays.toString(arrayShape)
        + ", chunks="
        + Arrays.toString(chunkShape)
        + "]";
  }
}
