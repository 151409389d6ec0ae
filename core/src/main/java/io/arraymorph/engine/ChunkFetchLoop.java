package io.arraymorph.engine;

import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.ElementCopier;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.array.SelectionPlan;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The one chunk fetch loop of every read: the Java API's and the CLI's region reads ({@link
 * ArrayReader}) and each distributed task's chunks ({@code scan.ChunkTaskReader}) fetch through it.
 * It owns what every read needs once: the bound on requests in flight (one {@link AsyncLimiter} for
 * everything a reader fetches, so a task reading several datasets, or boxes off its grid, never
 * exceeds it), fetching a chunk through its {@link ChunkSource} (which decodes it), the fill chunk
 * for chunks never written (made once per source and read), and copying a chunk's selected elements
 * into place.
 *
 * <p>Fetching ahead is the caller's: a region read pulls the next chunk as a slot frees ({@link
 * #read}), a task starts the chunks of a window ahead of its consumer ({@link #fetch}).
 */
public final class ChunkFetchLoop {
  private final AsyncLimiter limiter;
  private final IdentityHashMap<ChunkSource, byte[]> fillChunks = new IdentityHashMap<>();

  /** A loop with at most {@code maxInFlight} fetches in flight. */
  public ChunkFetchLoop(int maxInFlight) {
    this.limiter = new AsyncLimiter(maxInFlight);
  }

  /** The bound on fetches in flight. */
  public int maxInFlight() {
    return limiter.maxInFlight();
  }

  /**
   * Fetches what {@code needed} needs of one chunk (sources may read byte ranges), or the whole
   * chunk at {@code coords} when {@code needed} is null: little-endian bytes of the full chunk
   * shape, or the source's fill chunk when the chunk was never written (shared: read it only).
   */
  public CompletableFuture<byte[]> fetch(ChunkSource src, long[] coords, ChunkSelection needed) {
    return limiter
        .submit(() -> needed == null ? src.readChunk(coords) : src.readChunk(needed))
        .thenApply(bytes -> bytes != null ? bytes : fillChunk(src));
  }

  /**
   * Fetches several chunks of one source as one operation under the bound ({@link
   * ChunkSource#readChunks}: a source may read chunks that share an object in one call, and return
   * only the elements each selection needs), one future per chunk; a chunk never written is the
   * source's whole fill chunk (shared: read it only).
   */
  public List<CompletableFuture<ChunkPart>> fetchAll(
      ChunkSource src, List<long[]> coords, List<ChunkSelection> needed) {
    CompletableFuture<List<CompletableFuture<ChunkPart>>> started =
        limiter.submit(
            () -> {
              List<CompletableFuture<ChunkPart>> parts = src.readChunks(coords, needed);
              // The slot is held until every chunk of the batch is done, whatever its outcome.
              return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                  .handle((v, e) -> parts);
            });
    List<CompletableFuture<ChunkPart>> out = new ArrayList<>(coords.size());
    for (int i = 0; i < coords.size(); i++) {
      int k = i;
      out.add(
          started
              .thenCompose(parts -> parts.get(k))
              .thenApply(part -> part != null ? part : ChunkPart.whole(fillChunk(src))));
    }
    return out;
  }

  /**
   * Fetches several chunks of one source as one operation under the bound and lends each to {@code
   * use} as it is decoded ({@link ChunkSource#useChunks}, the parts possibly still byte-shuffled
   * when {@code shuffledAccepted}); a chunk never written is lent as the source's whole fill chunk.
   * The future completes once every chunk was used and the source's checks passed.
   */
  public CompletableFuture<Void> useAll(
      ChunkSource src,
      List<long[]> coords,
      List<ChunkSelection> needed,
      boolean shuffledAccepted,
      ChunkSource.ChunkUser use) {
    return limiter.submit(
        () ->
            src.useChunks(
                coords,
                needed,
                shuffledAccepted,
                (i, part) -> use.use(i, part != null ? part : ChunkPart.whole(fillChunk(src)))));
  }

  /**
   * Starts an operation that is not a chunk fetch of this loop (an HDF5 value read) under the same
   * bound.
   */
  public <T> CompletableFuture<T> bounded(Supplier<CompletableFuture<T>> operation) {
    return limiter.submit(operation);
  }

  /**
   * Reads a hyperslab of {@code src} into a new array of its shape: every overlapping chunk is
   * fetched (pulled only as the loop's bound frees a slot, so memory stays bounded however many
   * chunks there are and the bound also covers this loop's other fetches), and its selected
   * elements are copied into place. Chunks are taken through {@link ChunkSource#useChunk}, so a
   * source that lends a reused buffer (uncompressed chunks on the local store) costs one copy into
   * place and no allocation per chunk.
   *
   * @throws IndexOutOfBoundsException when the selection leaves the array
   */
  public CompletableFuture<NdArray> read(ChunkSource src, Hyperslab slab) {
    SelectionPlan plan = src.grid().plan(slab);
    NdArray out = NdArray.allocate(src.dataType(), plan.outputShape());
    ElementCopier copier =
        new ElementCopier(src.dataType().byteSize(), src.grid().chunkShape(), plan.outputShape());
    if (src.readsChunksTogether()) {
      return readInBatches(src, plan, copier, out);
    }
    // Each chunk fills a disjoint part of the output, so copies need no lock.
    // The loop's limiter is the pipeline's one bound: a chunk is pulled only once it may be
    // fetched.
    return BoundedPipeline.run(
            plan.iterator(),
            limiter,
            sel ->
                src.useChunk(
                    sel,
                    chunk -> {
                      if (chunk != null) {
                        copier.chunkToOutput(sel, chunk, out.bytes());
                      } else {
                        copier.chunkToOutput(sel, fillChunk(src), out.bytes());
                      }
                    }))
        .thenApply(v -> out);
  }

  /**
   * {@link #read} for a source that reads chunks together ({@link
   * ChunkSource#readsChunksTogether}): consecutive selections of the plan (in chunk order, so a
   * granule's chunks fall together) are fetched {@link #batchSize} at a time, a batch holding one
   * slot of the bound, and each chunk's part copied into place. A point series over a granule
   * manifest then opens each granule once instead of once per chunk.
   */
  private CompletableFuture<NdArray> readInBatches(
      ChunkSource src, SelectionPlan plan, ElementCopier copier, NdArray out) {
    Iterator<ChunkSelection> selections = plan.iterator();
    int size = batchSize(src);
    Iterator<List<ChunkSelection>> batches =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return selections.hasNext();
          }

          @Override
          public List<ChunkSelection> next() {
            List<ChunkSelection> batch = new ArrayList<>(size);
            while (batch.size() < size && selections.hasNext()) {
              batch.add(selections.next());
            }
            return batch;
          }
        };
    return BoundedPipeline.run(
            batches,
            limiter,
            batch -> {
              List<long[]> coords = new ArrayList<>(batch.size());
              batch.forEach(sel -> coords.add(sel.chunkCoords()));
              List<CompletableFuture<ChunkPart>> parts = src.readChunks(coords, batch);
              List<CompletableFuture<Void>> copied = new ArrayList<>(parts.size());
              for (int i = 0; i < parts.size(); i++) {
                ChunkSelection sel = batch.get(i);
                copied.add(
                    parts
                        .get(i)
                        .thenApply(part -> part != null ? part : ChunkPart.whole(fillChunk(src)))
                        .thenAccept(
                            part ->
                                copier.partToOutput(
                                    sel, part.data(), part.firstElement(), out.bytes())));
              }
              return CompletableFuture.allOf(copied.toArray(CompletableFuture[]::new));
            })
        .thenApply(v -> out);
  }

  /**
   * Chunks per batch of {@link #readInBatches}: up to 16 (two granules of 8 time steps), fewer for
   * large chunks, so the parts a batch may hold (whole chunks at worst) stay within about 1 MiB.
   */
  private static int batchSize(ChunkSource src) {
    long chunkBytes = src.grid().chunkElements() * (long) src.dataType().byteSize();
    return (int) Math.max(1, Math.min(16, (1L << 20) / Math.max(1, chunkBytes)));
  }

  /** The fill chunk of {@code src}, made by the first fetch that needs it. */
  private byte[] fillChunk(ChunkSource src) {
    synchronized (fillChunks) {
      return fillChunks.computeIfAbsent(
          src, s -> Fill.chunk(s.fillValue(), s.grid().chunkElements()));
    }
  }
}
