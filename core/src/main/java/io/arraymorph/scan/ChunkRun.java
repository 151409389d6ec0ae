package io.arraymorph.scan;

import io.arraymorph.array.ChunkGrid;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A run of consecutive chunks, in row-major grid order, of the chunks one box overlaps: chunks
 * {@code [from, to)} of that walk. A task names its chunks by this run instead of listing them, so
 * planning a read of a million chunks costs the planner one object per task and ships a few hundred
 * bytes per task; {@link #coords()} and {@link #parts()} compute each chunk and its part of the box
 * when asked, equal to what {@link RegionChunks#walk} visits.
 */
final class ChunkRun implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] chunk;
  private final long[] shape;
  private final Region.Box box;
  private final long[] first;
  private final long[] counts;
  private final long from;
  private final long to;

  private ChunkRun(
      int[] chunk, long[] shape, Region.Box box, long[] first, long[] counts, long from, long to) {
    this.chunk = chunk;
    this.shape = shape;
    this.box = box;
    this.first = first;
    this.counts = counts;
    this.from = from;
    this.to = to;
  }

  /**
   * The number of chunks {@code box} (inside the grid's array, not empty) overlaps: the length of
   * its walk.
   */
  static long chunkCount(ChunkGrid grid, Region.Box box) {
    long n = 1;
    for (long c : counts(grid.chunkShape(), box)) {
      n = Math.multiplyExact(n, c);
    }
    return n;
  }

  /** Chunks {@code [from, to)} of the walk of {@code box} on {@code grid}. */
  static ChunkRun of(ChunkGrid grid, Region.Box box, long from, long to) {
    int[] chunk = grid.chunkShape().clone();
    long[] first = new long[chunk.length];
    for (int d = 0; d < chunk.length; d++) {
      first[d] = box.lo()[d] / chunk[d];
    }
    return new ChunkRun(chunk, grid.arrayShape().clone(), box, first, counts(chunk, box), from, to);
  }

  private static long[] counts(int[] chunk, Region.Box box) {
    long[] out = new long[chunk.length];
    for (int d = 0; d < chunk.length; d++) {
      out[d] = (box.hi()[d] - 1) / chunk[d] - box.lo()[d] / chunk[d] + 1;
    }
    return out;
  }

  /** Whether {@code chunkCoords} is a run's {@link #coords()} (computed, not listed). */
  static boolean isRun(List<long[]> chunkCoords) {
    return chunkCoords instanceof Coords;
  }

  int size() {
    return Math.toIntExact(to - from);
  }

  /** The grid coordinates of the run's chunks. */
  List<long[]> coords() {
    return new Coords(this);
  }

  /** Per chunk of the run, its part of the box (one box each). */
  List<List<Region.Box>> parts() {
    return new Parts(this);
  }

  private long[] coordsAt(int i) {
    long ordinal = from + i;
    long[] c = new long[chunk.length];
    for (int d = chunk.length - 1; d >= 0; d--) {
      c[d] = first[d] + ordinal % counts[d];
      ordinal /= counts[d];
    }
    return c;
  }

  private Region.Box partAt(int i) {
    long[] c = coordsAt(i);
    long[] lo = new long[c.length];
    long[] hi = new long[c.length];
    for (int d = 0; d < c.length; d++) {
      long origin = c[d] * chunk[d];
      lo[d] = Math.max(box.lo()[d], origin);
      hi[d] = Math.min(Math.min(box.hi()[d], origin + chunk[d]), shape[d]);
    }
    return new Region.Box(lo, hi);
  }

  /** The run's chunk coordinates as a list computed on access (serialized as the run). */
  private static final class Coords extends AbstractList<long[]>
      implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;
    private final ChunkRun run;

    Coords(ChunkRun run) {
      this.run = run;
    }

    @Override
    public long[] get(int i) {
      java.util.Objects.checkIndex(i, size());
      return run.coordsAt(i);
    }

    @Override
    public int size() {
      return run.size();
    }
  }

  /** The run's parts of the box as a list computed on access (serialized as the run). */
  private static final class Parts extends AbstractList<List<Region.Box>>
      implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;
    private final ChunkRun run;

    Parts(ChunkRun run) {
      this.run = run;
    }

    @Override
    public List<Region.Box> get(int i) {
      java.util.Objects.checkIndex(i, size());
      return List.of(run.partAt(i));
    }

    @Override
    public int size() {
      return run.size();
    }
  }
}
