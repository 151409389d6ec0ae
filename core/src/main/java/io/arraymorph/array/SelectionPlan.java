package io.arraymorph.array;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The chunks a hyperslab touches, as the product of the chunks touched along each dimension.
 * Iterating is lazy, so a plan over millions of chunks costs memory only per dimension.
 */
public final class SelectionPlan implements Iterable<ChunkSelection> {
  private final ChunkGrid grid;
  private final Hyperslab slab;
  private final List<List<ChunkGrid.DimChunk>> perDim;

  SelectionPlan(ChunkGrid grid, Hyperslab slab, List<List<ChunkGrid.DimChunk>> perDim) {
    this.grid = grid;
    this.slab = slab;
    this.perDim = perDim;
  }

  public ChunkGrid grid() {
    return grid;
  }

  public Hyperslab hyperslab() {
    return slab;
  }

  /** The shape of the selection's output. */
  public long[] outputShape() {
    return slab.shape();
  }

  /** The number of chunks holding at least one selected element. */
  public long chunkCount() {
    long n = 1;
    for (List<ChunkGrid.DimChunk> dim : perDim) {
      n *= dim.size();
    }
    return n;
  }

  /** The selected chunks, as a list; prefer iterating for very large plans. */
  public List<ChunkSelection> chunks() {
    List<ChunkSelection> list = new ArrayList<>();
    forEach(list::add);
    return list;
  }

  @Override
  public Iterator<ChunkSelection> iterator() {
    int rank = perDim.size();
    return new Iterator<>() {
      final int[] position = new int[rank];
      boolean done = chunkCount() == 0;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public ChunkSelection next() {
        if (done) {
          throw new NoSuchElementException();
        }
        long[] coords = new long[rank];
        DimRuns[] runs = new DimRuns[rank];
        for (int d = 0; d < rank; d++) {
          ChunkGrid.DimChunk c = perDim.get(d).get(position[d]);
          coords[d] = c.chunkIndex();
          runs[d] = c.runs();
        }
        int d = rank - 1;
        while (d >= 0 && ++position[d] == perDim.get(d).size()) {
          position[d] = 0;
          d--;
        }
        done = d < 0;
        return new ChunkSelection(coords, runs);
      }
    };
  }
}
