package io.arraymorph.engine;

import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DimRuns;
import io.arraymorph.array.Shapes;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte ranges of a stored, uncompressed chunk that hold a selection's elements, merged wherever
 * the gap between two ranges is at most {@code mergeGap} bytes.
 */
public final class ByteRanges {
  /** A range of bytes in an object. */
  public record Range(long offset, int length) {
    public long end() {
      return offset + length;
    }
  }

  private ByteRanges() {}

  /** The merged ranges, in increasing order. */
  public static List<Range> of(
      ChunkSelection sel, int[] chunkShape, int elementSize, long mergeGap) {
    Merger merger = new Merger(mergeGap);
    long[] strides = Shapes.strides(Shapes.toLong(chunkShape));
    if (sel.rank() == 0) {
      merger.add(0, elementSize);
    } else {
      walk(sel, 0, 0, strides, elementSize, merger);
    }
    return merger.finish();
  }

  /**
   * Ranges given in increasing order of offset, merged wherever the gap between two is at most
   * {@code mergeGap} bytes (they may overlap or touch).
   */
  public static List<Range> merge(List<Range> sorted, long mergeGap) {
    Merger merger = new Merger(mergeGap);
    for (Range r : sorted) {
      merger.add(r.offset(), r.length());
    }
    return merger.finish();
  }

  private static void walk(
      ChunkSelection sel, int dim, long base, long[] strides, int elementSize, Merger out) {
    DimRuns runs = sel.runs(dim);
    boolean last = dim == sel.rank() - 1;
    for (int r = 0; r < runs.runCount(); r++) {
      long start = base + runs.chunkOffset(r) * strides[dim];
      if (last) {
        out.add(start * elementSize, (long) runs.length(r) * elementSize);
      } else {
        for (int i = 0; i < runs.length(r); i++) {
          walk(sel, dim + 1, start + i * strides[dim], strides, elementSize, out);
        }
      }
    }
  }

  private static final class Merger {
    final long gap;
    final List<Range> ranges = new ArrayList<>();
    long start = -1;
    long end = -1;

    Merger(long gap) {
      this.gap = gap;
    }

    void add(long offset, long length) {
      if (start >= 0 && offset - end <= gap) {
        end = Math.max(end, offset + length);
        return;
      }
      flush();
      start = offset;
      end = offset + length;
    }

    void flush() {
      if (start >= 0) {
        ranges.add(new Range(start, (int) (end - start)));
      }
    }

    List<Range> finish() {
      flush();
      return ranges;
    }
  }
}
