package io.arraymorph.spark.source;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.hdf5.Hdf5Values;
import io.arraymorph.scan.ChunkTaskReader;
import io.arraymorph.scan.Region;
import io.arraymorph.spark.SparkOptions;
import io.arraymorph.store.StoreStats;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;

/**
 * Writes the elements of one {@link SparkChunkSegment} into column vectors, walking its boxes in
 * order; core's {@link ChunkTaskReader} fetches the chunks ahead of the cursor. Each run of
 * consecutive elements along the last axis is copied (or CF-decoded) in one call. Dimension columns
 * hold indices, or the timestamps of a time coordinate.
 */
final class SparkChunkCursor implements AutoCloseable {
  private final SparkChunkSegment seg;
  private final ArrayStore store;
  private final ChunkTaskReader reader;
  private final int rank;
  private final int nData;

  /** Per dimension, its column among the vectors, or -1 when the query does not read it. */
  private final int[] dimVector;

  private final int firstValueVector;
  private final long[][] times;
  private final double[][] values;
  private final String where;

  private int chunkIdx;
  private int boxIdx;
  private boolean inBox;
  private long[] idx;
  private long off;

  /**
   * A cursor over {@code seg} filling the index columns of {@code dimColumns} (in that order), then
   * one column per dataset.
   */
  SparkChunkCursor(SparkOptions options, SparkChunkSegment seg, List<Integer> dimColumns) {
    this.seg = seg;
    this.rank = seg.primary().rank();
    this.nData = seg.datasets().size();
    this.dimVector = new int[rank];
    java.util.Arrays.fill(dimVector, -1);
    for (int c = 0; c < dimColumns.size(); c++) {
      dimVector[dimColumns.get(c)] = c;
    }
    this.firstValueVector = dimColumns.size();
    this.times = seg.primary().dimensionTimes();
    this.values = seg.primary().dimensionValues();
    this.store =
        ArrayStore.openShared(seg.location(), options.storeSettings(), seg.task().datasets());
    this.where = options.redact(seg.location());
    try {
      List<Dataset> datasets = new ArrayList<>();
      for (DatasetRef ref : seg.task().datasets()) {
        // Built from the metadata the driver read (for HDF5, this task's chunk locations): no
        // request (checked once, after the read).
        datasets.add(store.dataset(ref));
      }
      this.reader =
          new ChunkTaskReader(
              seg.task(), datasets, seg.primary().chunkShape(), options.maxConcurrency());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * After the last chunk: checks that every dataset still has the version the query planned with,
   * so the rows this segment produced come from one version.
   */
  void verifyVersions() {
    reader.verifyVersions(
        store, seg.datasets().stream().map(SparkArrayInfo::generation).toList(), where);
  }

  /** Whether every element of the segment has been written. */
  boolean done() {
    return chunkIdx >= seg.chunkCoords().size();
  }

  /**
   * Writes up to {@code maxRows} elements into {@code vectors} (dimension columns, then one per
   * dataset) from row {@code rowStart}; returns how many.
   */
  int fill(WritableColumnVector[] vectors, int rowStart, int maxRows) {
    try {
      return fillRows(vectors, rowStart, maxRows);
    } catch (RuntimeException e) {
      throw reader.explain(e, store, where);
    }
  }

  private int fillRows(WritableColumnVector[] vectors, int rowStart, int maxRows) {
    int rows = rowStart;
    int end = rowStart + maxRows;
    int nChunks = seg.chunkCoords().size();
    int last = rank - 1;
    while (rows < end && chunkIdx < nChunks) {
      List<Region.Box> boxes = seg.boxes().get(chunkIdx);
      if (boxIdx >= boxes.size()) {
        reader.release(chunkIdx);
        chunkIdx++;
        boxIdx = 0;
        continue;
      }
      Region.Box box = boxes.get(boxIdx);
      if (!inBox) {
        if (box.isEmpty()) {
          boxIdx++;
          continue;
        }
        idx = box.lo().clone();
        off = 0;
        inBox = true;
      }
      reader.prefetchFrom(chunkIdx);
      // A scalar (rank 0) is one line of one element, with no dimension columns.
      long lineLen = rank == 0 ? 1 : box.hi()[last] - box.lo()[last];
      int n = (int) Math.min(lineLen - off, end - rows);
      if (rank > 0) {
        long lastStart = box.lo()[last] + off;
        for (int d = 0; d < last; d++) {
          if (dimVector[d] < 0) {
            continue;
          }
          WritableColumnVector v = vectors[dimVector[d]];
          if (values[d] != null) {
            v.putDoubles(rows, n, values[d][(int) idx[d]]);
          } else {
            v.putLongs(rows, n, times[d] == null ? idx[d] : times[d][(int) idx[d]]);
          }
        }
        if (dimVector[last] >= 0) {
          fillLastIndex(vectors[dimVector[last]], rows, n, lastStart);
        }
        idx[last] = lastStart;
      }
      for (int k = 0; k < nData; k++) {
        copyValues(vectors[firstValueVector + k], k, box, rows, n);
      }
      rows += n;
      off += n;
      if (off == lineLen) {
        off = 0;
        if (!advanceLine(box)) {
          inBox = false;
          boxIdx++;
        }
      }
    }
    return rows - rowStart;
  }

  /** The last dimension's column for {@code n} consecutive indices from {@code lastStart}. */
  private void fillLastIndex(WritableColumnVector v, int rows, int n, long lastStart) {
    int last = rank - 1;
    long[] lastTimes = times[last];
    double[] lastValues = values[last];
    for (int t = 0; t < n; t++) {
      long i = lastStart + t;
      if (lastValues != null) {
        v.putDouble(rows + t, lastValues[(int) i]);
      } else {
        v.putLong(rows + t, lastTimes == null ? i : lastTimes[(int) i]);
      }
    }
  }

  private boolean advanceLine(Region.Box box) {
    for (int d = rank - 2; d >= 0; d--) {
      if (++idx[d] < box.hi()[d]) {
        return true;
      }
      idx[d] = box.lo()[d];
    }
    return false;
  }

  private void copyValues(WritableColumnVector v, int k, Region.Box box, int rowId, int n) {
    SparkArrayInfo info = seg.datasets().get(k);
    if (reader.isValues(k)) {
      Hdf5Values values = reader.values(chunkIdx, k, boxIdx);
      long element = 0;
      for (int d = 0; d < rank; d++) {
        element = element * box.shape()[d] + (idx[d] - box.lo()[d]);
      }
      for (int t = 0; t < n; t++) {
        SparkValueColumns.put(v, rowId + t, values, (int) element + t, info.sparkType());
      }
      return;
    }
    ChunkTaskReader.Buffer buf = reader.numbers(chunkIdx, k, boxIdx);
    long element = buf.elementOf(idx);
    if (info.decoder().isIdentity()) {
      SparkColumnFill.copy(v, rowId, n, info.dataType(), buf.data(), element);
    } else {
      info.decoder().fill(v, rowId, n, buf.data(), element);
    }
  }

  long chunksFetched() {
    return reader.chunksFetched();
  }

  StoreStats stats() {
    return store.stats();
  }

  @Override
  public void close() {
    reader.close();
    store.close();
  }
}
