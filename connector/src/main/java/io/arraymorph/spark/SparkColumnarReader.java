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
import io.arraymorph.store.Futures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Reads a chunk partition into column batches. Chunks are fetched asynchronously ahead of the
 * cursor, at most {@code max_concurrency} in flight; each run of consecutive elements along the
 * last axis is copied into the value vectors in one bulk call.
 */
final class SparkColumnarReader implements PartitionReader<ColumnarBatch> {
  static final int BATCH_ROWS = 32768;

  private final SparkChunkPartition part;
  private final ArrayStore store;
  private final int rank;
  private final int nData;
  private final Dataset[] datasets;
  private final ChunkSource[] sources;
  private final byte[][] fillChunks;
  private final AsyncLimiter limiter;
  private final int window;
  private final AtomicLong chunksFetched = new AtomicLong();
  private final OnHeapColumnVector[] vectors;
  private final ColumnarBatch batch;
  private final List<Fetched> fetched = new ArrayList<>();

  private int chunkIdx;
  private int boxIdx;
  private boolean inBox;
  private long[] idx;
  private long off;

  SparkColumnarReader(SparkChunkPartition part) {
    this.part = part;
    this.rank = part.primary().rank();
    this.nData = part.datasets().size();
    this.store = ArrayStore.open(part.options().location(), part.options().storeSettings());
    this.datasets = new Dataset[nData];
    this.sources = new ChunkSource[nData];
    this.fillChunks = new byte[nData][];
    for (int k = 0; k < nData; k++) {
      SparkArrayInfo info = part.datasets().get(k);
      datasets[k] = store.dataset(info.path());
      if (Arrays.equals(info.chunkShape(), part.primary().chunkShape())) {
        sources[k] = datasets[k].chunkSource();
      }
    }
    int maxConcurrency = part.options().maxConcurrency();
    this.limiter = new AsyncLimiter(maxConcurrency);
    this.window = Math.max(1, maxConcurrency / Math.max(1, nData));
    StructType schema = new StructType();
    for (int d = 0; d < rank; d++) {
      schema = schema.add("d" + d, DataTypes.LongType, false);
    }
    for (SparkArrayInfo a : part.datasets()) {
      schema = schema.add(a.columnName(), SparkTypes.toSpark(a.dataType()), false);
    }
    this.vectors = OnHeapColumnVector.allocateColumns(BATCH_ROWS, schema);
    this.batch = new ColumnarBatch(vectors);
  }

  /** The fetched data of one chunk of the partition: per dataset, a buffer and its placement. */
  private static final class Fetched {
    final List<CompletableFuture<byte[]>> chunks = new ArrayList<>();
    final List<List<CompletableFuture<NdArray>>> perBox = new ArrayList<>();
  }

  private void prefetch(int upTo) {
    int end = Math.min(upTo, part.chunkCoords().size());
    while (fetched.size() < end) {
      int i = fetched.size();
      long[] coords = part.chunkCoords().get(i);
      Fetched f = new Fetched();
      for (int k = 0; k < nData; k++) {
        if (sources[k] != null) {
          ChunkSource src = sources[k];
          chunksFetched.incrementAndGet();
          ChunkSelection needed = neededPart(src, coords, part.boxes().get(i));
          // Only the boxes' elements are emitted, so sources may read just those byte ranges.
          f.chunks.add(
              limiter.submit(() -> needed == null ? src.readChunk(coords) : src.readChunk(needed)));
          f.perBox.add(null);
        } else {
          List<CompletableFuture<NdArray>> boxes = new ArrayList<>();
          Dataset ds = datasets[k];
          for (IndexRegion.Box b : part.boxes().get(i)) {
            Hyperslab slab = Hyperslab.box(b.lo(), b.shape());
            chunksFetched.addAndGet(ds.grid().plan(slab).chunkCount());
            boxes.add(limiter.submit(() -> ds.readAsync(slab)));
          }
          f.chunks.add(null);
          f.perBox.add(boxes);
        }
      }
      fetched.add(f);
    }
  }

  /**
   * The chunk's part inside the bounding box of the boxes to emit from it, or null when nothing is
   * emitted (the chunk is then read whole, as before).
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

  @Override
  public boolean next() {
    for (OnHeapColumnVector v : vectors) {
      v.reset();
    }
    int rows = 0;
    int nChunks = part.chunkCoords().size();
    int last = rank - 1;
    while (rows < BATCH_ROWS && chunkIdx < nChunks) {
      List<IndexRegion.Box> boxes = part.boxes().get(chunkIdx);
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
      long lineLen = box.hi()[last] - box.lo()[last];
      int n = (int) Math.min(lineLen - off, BATCH_ROWS - rows);
      long lastStart = box.lo()[last] + off;
      for (int d = 0; d < last; d++) {
        vectors[d].putLongs(rows, n, idx[d]);
      }
      for (int t = 0; t < n; t++) {
        vectors[last].putLong(rows + t, lastStart + t);
      }
      idx[last] = lastStart;
      for (int k = 0; k < nData; k++) {
        copyValues(k, box, rows, n);
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
    batch.setNumRows(rows);
    return rows > 0;
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

  private void copyValues(int k, IndexRegion.Box box, int rowId, int n) {
    SparkArrayInfo info = part.datasets().get(k);
    Fetched f = fetched.get(chunkIdx);
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
      origin = info.grid().chunkOrigin(part.chunkCoords().get(chunkIdx));
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
    SparkColumnFill.copy(vectors[rank + k], rowId, n, info.dataType(), data, element);
  }

  @Override
  public ColumnarBatch get() {
    return batch;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return SparkReadMetrics.taskValues(chunksFetched.get(), store.stats());
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
    batch.close();
    store.close();
  }
}
