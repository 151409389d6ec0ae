package io.arraymorph.write;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.ElementCopier;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrDataset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes one task's chunks of a {@link DatasetWrite}: each {@link ChunkBuffer} is completed (for an
 * append, elements not given take their stored values), encoded with the dataset's codecs and put
 * under the dataset's chunk key encoding, asynchronously with bounded concurrency.
 */
public final class TaskWriter {
  private final DatasetWrite write;
  private final ZarrDataset out;
  private final ZarrDataset base;
  private final long[] baseShape;
  private final int[] chunkShape;
  private final int chunkElements;
  private final byte[] fill;
  private final AsyncLimiter limiter;
  private final List<CompletableFuture<Void>> puts = new ArrayList<>();
  private final List<long[]> written = new ArrayList<>();
  private final ArrayDeque<CompletableFuture<Void>> pending = new ArrayDeque<>();

  TaskWriter(DatasetWrite write, ObjectStore os, int maxInFlight) {
    this.write = write;
    this.out = write.writeTarget(os, maxInFlight);
    this.base = write.base(os, maxInFlight);
    this.baseShape = write.baseShape();
    this.chunkShape = write.chunkShape();
    long n = 1;
    for (int c : chunkShape) {
      n *= c;
    }
    this.chunkElements = Math.toIntExact(n);
    this.fill = write.metadata().fillValue();
    this.limiter = new AsyncLimiter(maxInFlight);
  }

  /** A new buffer for the chunk at {@code coords}, every element the fill value. */
  public ChunkBuffer buffer(long[] coords) {
    return new ChunkBuffer(coords, write.dataType(), chunkShape, fill);
  }

  /**
   * Completes and puts a chunk asynchronously; {@link #finish} waits for every put. For an append,
   * elements not given keep their stored values where the stored dataset has them, and hold the
   * fill value past its old edge (whatever padding the stored chunk had there).
   */
  public void write(ChunkBuffer chunk) {
    long[] coords = chunk.coords();
    written.add(coords);
    byte[] bytes = chunk.bytes();
    boolean complete = base == null || chunk.givenCount() == chunkElements;
    CompletableFuture<Void> put =
        limiter.submit(
            () ->
                (complete
                        ? CompletableFuture.completedFuture(bytes)
                        : base.readChunk(coords)
                            .thenApply(stored -> merge(coords, chunk.given(), bytes, stored)))
                    .thenCompose(b -> out.writeChunk(coords, b)));
    puts.add(put);
    pending.addLast(put);
  }

  private byte[] merge(long[] coords, BitSet given, byte[] bytes, byte[] stored) {
    if (stored == null) {
      return bytes;
    }
    int rank = chunkShape.length;
    int[] valid = new int[rank];
    boolean whole = true;
    for (int d = 0; d < rank; d++) {
      long left = baseShape[d] - coords[d] * chunkShape[d];
      valid[d] = (int) Math.max(0, Math.min(chunkShape[d], left));
      whole &= valid[d] == chunkShape[d];
    }
    int size = write.dataType().byteSize();
    for (int e = given.nextClearBit(0); e < chunkElements; e = given.nextClearBit(e + 1)) {
      if (whole || inside(e, valid)) {
        System.arraycopy(stored, e * size, bytes, e * size, size);
      }
    }
    return bytes;
  }

  /** Whether element {@code flat} of a chunk lies within the first {@code valid} extents. */
  private boolean inside(int flat, int[] valid) {
    for (int d = chunkShape.length - 1; d >= 0; d--) {
      if (flat % chunkShape[d] >= valid[d]) {
        return false;
      }
      flat /= chunkShape[d];
    }
    return true;
  }

  /**
   * Writes an in-memory array with its first element at {@code offset}, one chunk buffer per chunk
   * it overlaps ({@link #write}); elements of those chunks outside the region are not given.
   *
   * @throws IllegalArgumentException when the data type differs from the dataset's
   * @throws IndexOutOfBoundsException when the region leaves the dataset's fixed shape
   */
  public void writeRegion(long[] offset, NdArray data) {
    writeRegion(offset, data, false);
  }

  /**
   * As {@link #writeRegion(long[], NdArray)}, but puts no chunk that would hold only the fill value
   * when the write replaces the dataset (CREATE, OVERWRITE): such a chunk reads as the fill value
   * without an object (an OVERWRITE removes the stale ones at publication). On an APPEND every
   * chunk is put, since its fill values replace stored ones.
   *
   * @return how many chunks were left out
   */
  public int writeRegionSkippingFill(long[] offset, NdArray data) {
    return writeRegion(offset, data, base == null);
  }

  private int writeRegion(long[] offset, NdArray data, boolean skipFill) {
    if (data.dataType() != write.dataType()) {
      throw new IllegalArgumentException(
          "Cannot write "
              + data.dataType().zarrName()
              + " data into the "
              + write.dataType().zarrName()
              + " dataset '"
              + write.path()
              + "'; convert it first");
    }
    ChunkGrid grid = write.metadata().grid();
    long[] extent = data.shape();
    ElementCopier copier = new ElementCopier(write.dataType().byteSize(), chunkShape, extent);
    Iterator<ChunkSelection> chunks = grid.plan(Hyperslab.box(offset, extent)).iterator();
    int skipped = 0;
    while (chunks.hasNext()) {
      ChunkSelection sel = chunks.next();
      ChunkBuffer b = buffer(sel.chunkCoords());
      copier.outputToChunk(sel, data.bytes(), b.bytes());
      long[] origin = grid.chunkOrigin(sel.chunkCoords());
      int[] lo = new int[chunkShape.length];
      int[] hi = new int[chunkShape.length];
      for (int d = 0; d < lo.length; d++) {
        lo[d] = (int) (Math.max(offset[d], origin[d]) - origin[d]);
        hi[d] = (int) (Math.min(offset[d] + extent[d], origin[d] + chunkShape[d]) - origin[d]);
      }
      b.markGiven(lo, hi);
      if (skipFill && isAllFill(b.bytes(), fill)) {
        skipped++;
      } else {
        write(b);
      }
    }
    return skipped;
  }

  /** Whether every element of {@code data} equals {@code fill} (one element's bytes). */
  public static boolean isAllFill(byte[] data, byte[] fill) {
    int n = fill.length;
    if (n == 0 || data.length % n != 0) {
      return false;
    }
    for (int i = 0; i < data.length; i += n) {
      if (!Arrays.equals(data, i, i + n, fill, 0, n)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Puts a chunk its caller assembled whole, without copying it: {@code chunk} has the dataset's
   * chunk shape, elements past the array's edge holding the fill value, and every element counts as
   * given (a rechunk's target chunks).
   *
   * @throws IllegalArgumentException when the type or shape is not the dataset's chunk's
   */
  public void writeWhole(long[] coords, NdArray chunk) {
    long[] shape = chunk.shape();
    boolean fits = chunk.dataType() == write.dataType() && shape.length == chunkShape.length;
    for (int d = 0; fits && d < shape.length; d++) {
      fits = shape[d] == chunkShape[d];
    }
    if (!fits) {
      throw new IllegalArgumentException(
          "A whole chunk of '"
              + write.path()
              + "' must be "
              + write.dataType().zarrName()
              + " of shape "
              + Arrays.toString(chunkShape)
              + ", not "
              + chunk.dataType().zarrName()
              + " of shape "
              + Arrays.toString(shape));
    }
    write(ChunkBuffer.whole(coords, chunk));
  }

  /** The coordinates of every chunk this task wrote, in order. */
  public List<long[]> writtenChunks() {
    return List.copyOf(written);
  }

  /**
   * Waits until at most {@code maxPending} chunk puts are unfinished, so a task producing chunks
   * faster than the store takes them holds a bounded number of encoded chunks.
   */
  public void throttle(int maxPending) {
    while (pending.size() >= maxPending) {
      CompletableFuture<Void> p = pending.peekFirst();
      if (!p.isDone()) {
        // Failures surface at finish().
        p.exceptionally(e -> null).join();
      }
      pending.pollFirst();
      while (!pending.isEmpty() && pending.peekFirst().isDone()) {
        pending.pollFirst();
      }
    }
  }

  /** Waits for every put of this task. */
  public void finish() {
    Futures.join(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
  }

  /**
   * Waits for the puts still running and ignores their failures; deletes nothing, since another
   * attempt of this task may have written the same keys and be the one that commits.
   */
  public void abort() {
    for (CompletableFuture<Void> p : puts) {
      p.exceptionally(e -> null).join();
    }
  }
}
