package io.arraymorph.spark;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.array.Shapes;
import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.engine.Fill;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5Values;
import io.arraymorph.store.Futures;
import io.arraymorph.store.StoreStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;

/**
 * Walks the chunks of one {@link SparkChunkSegment} and writes their selected elements into column
 * vectors. Chunks are fetched asynchronously ahead of the cursor, at most {@code max_concurrency}
 * in flight; each run of consecutive elements along the last axis is copied (or CF-decoded) in one
 * call. Dimension columns hold indices, or the timestamps of a time coordinate.
 */
final class SparkChunkCursor implements AutoCloseable {
  private final SparkChunkSegment seg;
  private final ArrayStore store;
  private final int rank;
  private final int nData;
  private final Dataset[] datasets;
  private final ChunkSource[] sources;
  private final byte[][] fillChunks;
  private final AsyncLimiter limiter;
  private final int window;
  private final List<Fetched> fetched = new ArrayList<>();
  private final long[][] times;
  private long chunksFetched;
  private final String where;

  private int chunkIdx;
  private int boxIdx;
  private boolean inBox;
  private long[] idx;
  private long off;

  SparkChunkCursor(SparkOptions options, SparkChunkSegment seg) {
    this.seg = seg;
    this.rank = seg.primary().rank();
    this.nData = seg.datasets().size();
    this.times = seg.primary().dimensionTimes();
    this.store = ArrayStore.openShared(seg.location(), options.storeSettings());
    this.where = options.redact(seg.location());
    this.datasets = new Dataset[nData];
    this.sources = new ChunkSource[nData];
    this.fillChunks = new byte[nData][];
    try {
      for (int k = 0; k < nData; k++) {
        SparkArrayInfo info = seg.datasets().get(k);
        datasets[k] = store.dataset(info.path());
        SparkVersionCheck.atOpen(info, datasets[k], where);
        if (!info.isValues() && Arrays.equals(info.chunkShape(), seg.primary().chunkShape())) {
          sources[k] = datasets[k].chunkSource();
        }
      }
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    int maxConcurrency = options.maxConcurrency();
    this.limiter = new AsyncLimiter(maxConcurrency);
    this.window = Math.max(1, maxConcurrency / Math.max(1, nData));
  }

  /** The fetched data of one chunk of the segment: per dataset, a buffer and its placement. */
  private static final class Fetched {
    final List<CompletableFuture<byte[]>> chunks = new ArrayList<>();
    final List<List<CompletableFuture<NdArray>>> perBox = new ArrayList<>();
    final List<List<CompletableFuture<Hdf5Values>>> perBoxValues = new ArrayList<>();
  }

  /**
   * The chunk's part inside the bounding box of the boxes to emit from it, or null when nothing is
   * emitted (the chunk is then read whole).
   */
  private static ChunkSelection neededPart(
      ChunkSource src, long[] coords, List<IndexRegion.Box> boxes) {
    int rank = coords.length;
    long[] lo = new long[rank];
    long[] hi = new long[rank];
    Arrays.fill(lo, Long.MAX_VALUE);
    boolean any = false;
    for (IndexRegion.Box b : boxes) {
      if (b.isEmpty()) {
        continue;
      }
      any = true;
      for (int d = 0; d < rank; d++) {
        lo[d] = Math.min(lo[d], b.lo()[d]);
        hi[d] = Math.max(hi[d], b.hi()[d]);
      }
    }
    if (!any) {
      return null;
    }
    long[] origin = src.grid().chunkOrigin(coords);
    long[] extent = src.grid().validExtent(coords);
    long[] shape = new long[rank];
    for (int d = 0; d < rank; d++) {
      lo[d] = Math.max(lo[d], origin[d]);
      hi[d] = Math.min(hi[d], origin[d] + extent[d]);
      shape[d] = hi[d] - lo[d];
      if (shape[d] <= 0) {
        return null;
      }
    }
    return src.grid().plan(Hyperslab.box(lo, shape)).iterator().next();
  }

  private void prefetch(int upTo) {
    int end = Math.min(upTo, seg.chunkCoords().size());
    while (fetched.size() < end) {
      int i = fetched.size();
      long[] coords = seg.chunkCoords().get(i);
      Fetched f = new Fetched();
      for (int k = 0; k < nData; k++) {
        if (sources[k] != null) {
          ChunkSource src = sources[k];
          chunksFetched++;
          ChunkSelection needed = neededPart(src, coords, seg.boxes().get(i));
          // Only the boxes' elements are emitted, so sources may read just those byte ranges.
          f.chunks.add(
              limiter.submit(() -> needed == null ? src.readChunk(coords) : src.readChunk(needed)));
          f.perBox.add(null);
          f.perBoxValues.add(null);
        } else if (seg.datasets().get(k).isValues()) {
          // Strings, compounds, enums: each box (inside one chunk) is read and decoded as values.
          List<CompletableFuture<Hdf5Values>> boxes = new ArrayList<>();
          Hdf5Dataset ds = (Hdf5Dataset) datasets[k];
          for (IndexRegion.Box b : seg.boxes().get(i)) {
            Hyperslab slab = Hyperslab.box(b.lo(), b.shape());
            chunksFetched += ds.grid().plan(slab).chunkCount();
            boxes.add(limiter.submit(() -> ds.readValuesAsync(slab)));
          }
          f.chunks.add(null);
          f.perBox.add(null);
          f.perBoxValues.add(boxes);
        } else {
          List<CompletableFuture<NdArray>> boxes = new ArrayList<>();
          Dataset ds = datasets[k];
          for (IndexRegion.Box b : seg.boxes().get(i)) {
            Hyperslab slab = Hyperslab.box(b.lo(), b.shape());
            chunksFetched += ds.grid().plan(slab).chunkCount();
            boxes.add(limiter.submit(() -> ds.readAsync(slab)));
          }
          f.chunks.add(null);
          f.perBox.add(boxes);
          f.perBoxValues.add(null);
        }
      }
      fetched.add(f);
    }
  }

  /**
   * After the last chunk: checks that every dataset still has the version the query planned with,
   * so the rows this segment produced come from one version.
   */
  void verifyVersions() {
    for (SparkArrayInfo info : seg.datasets()) {
      SparkVersionCheck.afterRead(info, store, where);
    }
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
    int rows = rowStart;
    int end = rowStart + maxRows;
    int nChunks = seg.chunkCoords().size();
    int last = rank - 1;
    while (rows < end && chunkIdx < nChunks) {
      List<IndexRegion.Box> boxes = seg.boxes().get(chunkIdx);
      if (boxIdx >= boxes.size()) {
        if (chunkIdx < fetched.size()) {
          fetched.set(chunkIdx, null);
        }
        chunkIdx++;
        boxIdx = 0;
        continue;
      }
      IndexRegion.Box box = boxes.get(boxIdx);
      if (!inBox) {
        if (box.isEmpty()) {
          boxIdx++;
          continue;
        }
        idx = box.lo().clone();
        off = 0;
        inBox = true;
      }
      prefetch(chunkIdx + window);
      // A scalar (rank 0) is one line of one element, with no dimension columns.
      long lineLen = rank == 0 ? 1 : box.hi()[last] - box.lo()[last];
      int n = (int) Math.min(lineLen - off, end - rows);
      if (rank > 0) {
        long lastStart = box.lo()[last] + off;
        for (int d = 0; d < last; d++) {
          vectors[d].putLongs(rows, n, times[d] == null ? idx[d] : times[d][(int) idx[d]]);
        }
        long[] lastTimes = times[last];
        for (int t = 0; t < n; t++) {
          long i = lastStart + t;
          vectors[last].putLong(rows + t, lastTimes == null ? i : lastTimes[(int) i]);
        }
        idx[last] = lastStart;
      }
      for (int k = 0; k < nData; k++) {
        copyValues(vectors[rank + k], k, box, rows, n);
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

  private boolean advanceLine(IndexRegion.Box box) {
    for (int d = rank - 2; d >= 0; d--) {
      if (++idx[d] < box.hi()[d]) {
        return true;
      }
      idx[d] = box.lo()[d];
    }
    return false;
  }

  private void copyValues(WritableColumnVector v, int k, IndexRegion.Box box, int rowId, int n) {
    SparkArrayInfo info = seg.datasets().get(k);
    Fetched f = fetched.get(chunkIdx);
    if (info.isValues()) {
      Hdf5Values values = Futures.join(f.perBoxValues.get(k).get(boxIdx));
      long element = 0;
      for (int d = 0; d < rank; d++) {
        element = element * box.shape()[d] + (idx[d] - box.lo()[d]);
      }
      for (int t = 0; t < n; t++) {
        SparkValueColumns.put(v, rowId + t, values, (int) element + t, info.sparkType());
      }
      return;
    }
    byte[] data;
    long[] origin;
    long[] bufShape;
    if (sources[k] != null) {
      data = Futures.join(f.chunks.get(k));
      if (data == null) {
        if (fillChunks[k] == null) {
          fillChunks[k] = Fill.chunk(info.fillValue(), info.grid().chunkElements());
        }
        data = fillChunks[k];
      }
      origin = info.grid().chunkOrigin(seg.chunkCoords().get(chunkIdx));
      bufShape = Shapes.toLong(info.chunkShape());
    } else {
      data = Futures.join(f.perBox.get(k).get(boxIdx)).bytes();
      origin = box.lo();
      bufShape = box.shape();
    }
    long element = 0;
    for (int d = 0; d < rank; d++) {
      element = element * bufShape[d] + (idx[d] - origin[d]);
    }
    if (info.decoder().isIdentity()) {
      SparkColumnFill.copy(v, rowId, n, info.dataType(), data, element);
    } else {
      info.decoder().fill(v, rowId, n, data, element);
    }
  }

  long chunksFetched() {
    return chunksFetched;
  }

  StoreStats stats() {
    return store.stats();
  }

  @Override
  public void close() {
    for (Fetched f : fetched) {
      if (f != null) {
        for (CompletableFuture<byte[]> c : f.chunks) {
          if (c != null) {
            c.exceptionally(e -> null).join();
          }
        }
      }
    }
    store.close();
  }
}
