package io.arraymorph.scan;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.Shapes;
import io.arraymorph.engine.ChunkFetchLoop;
import io.arraymorph.engine.ChunkPart;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.hdf5.Hdf5Values;
import io.arraymorph.store.Futures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the chunks of one {@link ChunkTask} through the one fetch loop of every read ({@link
 * ChunkFetchLoop}, shared by all the task's datasets, so at most {@code maxConcurrency} requests
 * are in flight however many datasets or boxes it reads). Chunks are fetched ahead of the consumer
 * (a window of chunks); a dataset on the task's grid is asked only for the bounding box of the
 * boxes emitted from each chunk (so sources may read byte ranges), another is read box by box
 * ({@link ChunkFetchLoop#read}), and HDF5 strings, compounds and enums are read as values. After
 * the last chunk, {@link #verifyVersions} makes the task's one version check per dataset.
 */
public final class ChunkTaskReader implements AutoCloseable {
  private final ChunkTask task;
  private final List<Dataset> datasets;
  private final ChunkSource[] onGrid;
  private final boolean[] values;
  private final ChunkFetchLoop loop;
  private final int window;
  private final List<Fetched> fetched = new ArrayList<>();
  private long chunksFetched;

  /**
   * A reader of {@code task}'s chunks of {@code datasets} (opened from the task's references, in
   * the same order); {@code primaryChunkShape} is the grid the task's chunks belong to.
   */
  public ChunkTaskReader(
      ChunkTask task, List<Dataset> datasets, int[] primaryChunkShape, int maxConcurrency) {
    this(
        task,
        datasets,
        primaryChunkShape,
        maxConcurrency,
        Math.max(1, maxConcurrency / Math.max(1, datasets.size())));
  }

  /**
   * As {@link #ChunkTaskReader(ChunkTask, List, int[], int)}, fetching at most {@code window}
   * chunks ahead of the consumer: a rows read ({@link ScanPlanner#planRows}) keeps one band ahead,
   * as a band can hold many chunks.
   */
  public ChunkTaskReader(
      ChunkTask task,
      List<Dataset> datasets,
      int[] primaryChunkShape,
      int maxConcurrency,
      int window) {
    this.task = task;
    this.datasets = List.copyOf(datasets);
    int n = datasets.size();
    this.onGrid = new ChunkSource[n];
    this.values = new boolean[n];
    for (int k = 0; k < n; k++) {
      Dataset ds = datasets.get(k);
      values[k] = ds.readsValues();
      if (!values[k] && Arrays.equals(ds.chunkShape(), primaryChunkShape)) {
        onGrid[k] = ds.chunkSource();
      }
    }
    this.loop = new ChunkFetchLoop(maxConcurrency);
    this.window = Math.max(1, window);
  }

  /**
   * Where the elements of dataset {@code k} for box {@code b} of chunk {@code i} are: little-endian
   * elements of the block at {@code origin} of {@code shape}, in C order, from the block's element
   * {@code first} on ({@code data} starts there: a chunk's needed part; 0 for a whole chunk or
   * box).
   */
  public record Buffer(byte[] data, long[] origin, long[] shape, long first) {
    /** The position in {@link #data} (in elements) of the array index {@code idx}. */
    public long elementOf(long[] idx) {
      long element = 0;
      for (int d = 0; d < shape.length; d++) {
        element = element * shape[d] + (idx[d] - origin[d]);
      }
      return element - first;
    }
  }

  /** The fetches of one chunk: per dataset, one future for the chunk or one per box. */
  private static final class Fetched {
    final List<CompletableFuture<ChunkPart>> chunks = new ArrayList<>();
    final List<List<CompletableFuture<byte[]>>> perBox = new ArrayList<>();
    final List<List<CompletableFuture<Hdf5Values>>> perBoxValues = new ArrayList<>();
  }

  /** Whether dataset {@code k} is read as values (HDF5 strings, compounds, enums). */
  public boolean isValues(int k) {
    return values[k];
  }

  /**
   * Starts the fetches of chunks up to {@code chunk + window}; called as the consumer advances.
   * Fetches start in batches once half the window is consumed, each dataset's batch in one call
   * ({@link ChunkFetchLoop#fetchAll}), so a source can read the chunks that share an object
   * together (a granule's chunks through one open file).
   */
  public void prefetchFrom(int chunk) {
    int ahead = fetched.size() - chunk;
    if (ahead > 0 && ahead > window / 2) {
      return;
    }
    int first = fetched.size();
    int end = Math.min(chunk + window, task.chunkCoords().size());
    List<List<long[]>> batchCoords = new ArrayList<>();
    List<List<ChunkSelection>> batchNeeded = new ArrayList<>();
    for (int k = 0; k < datasets.size(); k++) {
      batchCoords.add(new ArrayList<>());
      batchNeeded.add(new ArrayList<>());
    }
    while (fetched.size() < end) {
      int i = fetched.size();
      long[] coords = task.chunkCoords().get(i);
      List<Region.Box> boxes = task.boxes().get(i);
      Fetched f = new Fetched();
      for (int k = 0; k < datasets.size(); k++) {
        if (onGrid[k] != null) {
          chunksFetched++;
          batchCoords.get(k).add(coords);
          batchNeeded.get(k).add(neededPart(onGrid[k], coords, boxes));
          f.chunks.add(null); // set below, once the batch is started
          f.perBox.add(null);
          f.perBoxValues.add(null);
        } else if (values[k]) {
          Dataset ds = datasets.get(k);
          List<CompletableFuture<Hdf5Values>> parts = new ArrayList<>();
          for (Region.Box b : boxes) {
            Hyperslab slab = Hyperslab.box(b.lo(), b.shape());
            chunksFetched += ds.grid().plan(slab).chunkCount();
            parts.add(loop.bounded(() -> ds.readValuesAsync(slab)));
          }
          f.chunks.add(null);
          f.perBox.add(null);
          f.perBoxValues.add(parts);
        } else {
          Dataset ds = datasets.get(k);
          // Through the chunks only: the task's one version check covers these reads.
          ChunkSource src = ds.chunkSource();
          List<CompletableFuture<byte[]>> parts = new ArrayList<>();
          for (Region.Box b : boxes) {
            Hyperslab slab = Hyperslab.box(b.lo(), b.shape());
            chunksFetched += ds.grid().plan(slab).chunkCount();
            parts.add(loop.read(src, slab).thenApply(a -> a.bytes()));
          }
          f.chunks.add(null);
          f.perBox.add(parts);
          f.perBoxValues.add(null);
        }
      }
      fetched.add(f);
    }
    for (int k = 0; k < datasets.size(); k++) {
      if (onGrid[k] != null && !batchCoords.get(k).isEmpty()) {
        List<CompletableFuture<ChunkPart>> started =
            loop.fetchAll(onGrid[k], batchCoords.get(k), batchNeeded.get(k));
        for (int j = 0; j < started.size(); j++) {
          fetched.get(first + j).chunks.set(k, started.get(j));
        }
      }
    }
  }

  /** The numbers of dataset {@code k} for box {@code b} of chunk {@code i} (waits for them). */
  public Buffer numbers(int i, int k, int b) {
    Fetched f = fetched.get(i);
    if (onGrid[k] != null) {
      ChunkPart part = Futures.join(f.chunks.get(k));
      return new Buffer(
          part.data(),
          onGrid[k].grid().chunkOrigin(task.chunkCoords().get(i)),
          Shapes.toLong(onGrid[k].grid().chunkShape()),
          part.firstElement());
    }
    Region.Box box = task.boxes().get(i).get(b);
    return new Buffer(Futures.join(f.perBox.get(k).get(b)), box.lo(), box.shape(), 0);
  }

  /**
   * The values of dataset {@code k} (see {@link #isValues}) for box {@code b} of chunk {@code i}.
   */
  public Hdf5Values values(int i, int k, int b) {
    return Futures.join(fetched.get(i).perBoxValues.get(k).get(b));
  }

  /** Lets the fetches of chunk {@code i} be collected once it is consumed. */
  public void release(int i) {
    if (i < fetched.size()) {
      fetched.set(i, null);
    }
  }

  /** Chunk fetches started so far (for metrics). */
  public long chunksFetched() {
    return chunksFetched;
  }

  /**
   * After the last chunk: checks that every dataset still has the version it was planned with (one
   * metadata GET per versioned dataset, none for others) and every file read at planned offsets is
   * still the one planned (no request where its reads checked that themselves, as on S3, Azure and
   * the local store; else one HEAD per file), so the task's rows are of one version: {@link
   * VersionCheck}'s checks.
   *
   * @param store the store the task's datasets were opened on
   * @param where the location for messages (already redacted)
   */
  public void verifyVersions(ArrayStore store, List<Long> plannedGenerations, String where) {
    for (int k = 0; k < datasets.size(); k++) {
      VersionCheck.verify(
          store.objectStore(), datasets.get(k).path(), plannedGenerations.get(k), where);
    }
    verifyFilesUnchanged(store, where);
  }

  /**
   * A failure of this task's fetches or decoding, explained ({@link VersionCheck#explain}): when a
   * file whose chunks the task reads at planned offsets was replaced since planning (then a chunk
   * can look corrupt), the replacement error, which says to re-run the query, with {@code failure}
   * attached; otherwise {@code failure} itself.
   *
   * @param where the location for messages (already redacted)
   */
  public RuntimeException explain(RuntimeException failure, ArrayStore store, String where) {
    return VersionCheck.explain(failure, () -> verifyFilesUnchanged(store, where));
  }

  /** Chunks read at offsets planned elsewhere: each file must still be the one planned. */
  private void verifyFilesUnchanged(ArrayStore store, String where) {
    VersionCheck.verifyFiles(
        task.datasets().stream().map(DatasetRef::inFile).toList(),
        store.objectStore(),
        store::fileLocation,
        where);
  }

  /**
   * The chunk's part inside the bounding box of the boxes emitted from it, or null when nothing is
   * emitted (the chunk is then read whole).
   */
  private static ChunkSelection neededPart(ChunkSource src, long[] coords, List<Region.Box> boxes) {
    int rank = coords.length;
    long[] lo = new long[rank];
    long[] hi = new long[rank];
    Arrays.fill(lo, Long.MAX_VALUE);
    boolean any = false;
    for (Region.Box b : boxes) {
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

  /** Waits for the fetches still in flight, so none outlives the task. */
  @Override
  public void close() {
    for (Fetched f : fetched) {
      if (f != null) {
        f.chunks.forEach(ChunkTaskReader::await);
        awaitAll(f.perBox);
        awaitAll(f.perBoxValues);
      }
    }
  }

  private static void awaitAll(List<? extends List<? extends CompletableFuture<?>>> perBox) {
    for (List<? extends CompletableFuture<?>> parts : perBox) {
      if (parts != null) {
        parts.forEach(ChunkTaskReader::await);
      }
    }
  }

  /** Waits for a fetch (if there is one), whatever its outcome. */
  private static void await(CompletableFuture<?> fetch) {
    if (fetch != null) {
      fetch.exceptionally(e -> null).join();
    }
  }
}
