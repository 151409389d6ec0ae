package io.arraymorph.write;

import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.Fill;
import java.util.BitSet;

/**
 * One chunk being assembled by a write task: its decoded elements, starting as the fill value, and
 * which of them the write gave. Elements not given keep the fill value in a new dataset, or their
 * stored value in an append ({@link TaskWriter#write}).
 */
public final class ChunkBuffer {
  private final long[] coords;
  private final NdArray data;
  private final BitSet given;
  private int claimed;

  ChunkBuffer(long[] coords, DataType type, int[] chunkShape, byte[] fill) {
    this.coords = coords.clone();
    long[] shape = new long[chunkShape.length];
    long elements = 1;
    for (int d = 0; d < shape.length; d++) {
      shape[d] = chunkShape[d];
      elements *= chunkShape[d];
    }
    this.data = NdArray.wrap(type, shape, Fill.chunk(fill, elements));
    // Sized for the whole chunk at once: elements in random order would otherwise grow it by
    // copies, and growth checks are on the per-element path.
    this.given = new BitSet(Math.toIntExact(elements));
  }

  /** A buffer of {@code data} (the whole chunk, its shape), every element given. */
  private ChunkBuffer(long[] coords, NdArray data) {
    this.coords = coords.clone();
    this.data = data;
    this.given = new BitSet(Math.toIntExact(data.size()));
    given.set(0, Math.toIntExact(data.size()));
  }

  /** Wraps a chunk assembled whole by its writer (no copy); every element counts as given. */
  static ChunkBuffer whole(long[] coords, NdArray data) {
    return new ChunkBuffer(coords, data);
  }

  /** The chunk's coordinates in the chunk grid. */
  public long[] coords() {
    return coords.clone();
  }

  /** Sets element {@code flat} (row-major within the chunk) from an integral value. */
  public void setLong(int flat, long value) {
    data.setLong(flat, value);
    given.set(flat);
  }

  /** Sets element {@code flat} (row-major within the chunk) from a floating-point value. */
  public void setDouble(int flat, double value) {
    data.setDouble(flat, value);
    given.set(flat);
  }

  /** Marks the box {@code [lo, hi)} of chunk-local indices as given. */
  void markGiven(int[] lo, int[] hi) {
    int rank = lo.length;
    if (rank == 0) {
      given.set(0);
      return;
    }
    int[] shape = new int[rank];
    long[] s = data.shape();
    for (int d = 0; d < rank; d++) {
      shape[d] = (int) s[d];
      if (hi[d] <= lo[d]) {
        return;
      }
    }
    int[] idx = lo.clone();
    while (true) {
      int flat = 0;
      for (int d = 0; d < rank; d++) {
        flat = flat * shape[d] + idx[d];
      }
      // The last dimension's run is contiguous.
      given.set(flat, flat + hi[rank - 1] - lo[rank - 1]);
      int d = rank - 2;
      while (d >= 0 && ++idx[d] == hi[d]) {
        idx[d] = lo[d];
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }

  /**
   * Marks element {@code flat} as given for a write that refuses duplicates.
   *
   * @return false when it was given already
   */
  boolean claim(int flat) {
    if (given.get(flat)) {
      return false;
    }
    given.set(flat);
    claimed++;
    return true;
  }

  /**
   * Marks the {@code n} elements from {@code flat} on as given for a write that refuses duplicates.
   *
   * @return -1, or the first of them that was given already (then none is marked)
   */
  int claimRun(int flat, int n) {
    int taken = given.nextSetBit(flat);
    if (taken >= 0 && taken < flat + n) {
      return taken;
    }
    given.set(flat, flat + n);
    claimed += n;
    return -1;
  }

  /**
   * Marks every element of {@code bits} as given for a write that refuses duplicates, a bitmap word
   * at a time.
   *
   * @return -1, or the first of them that was given already (then none is marked)
   */
  int claimAll(BitSet bits) {
    if (given.intersects(bits)) {
      BitSet both = (BitSet) bits.clone();
      both.and(given);
      return both.nextSetBit(0);
    }
    given.or(bits);
    claimed += bits.cardinality();
    return -1;
  }

  /** Sets the {@code n} elements from {@code flat} on from integral values (claimed already). */
  void setLongs(int flat, long[] values, int off, int n) {
    data.setLongs(flat, values, off, n);
  }

  /** Sets the {@code n} elements from {@code flat} on from floating-point values (claimed). */
  void setDoubles(int flat, double[] values, int off, int n) {
    data.setDoubles(flat, values, off, n);
  }

  /** Elements given through {@link #claim}. */
  int claimed() {
    return claimed;
  }

  int givenCount() {
    return given.cardinality();
  }

  BitSet given() {
    return given;
  }

  byte[] bytes() {
    return data.bytes();
  }
}
