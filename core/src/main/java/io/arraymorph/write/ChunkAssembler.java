package io.arraymorph.write;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Assembles one write task's elements of one dataset into chunks, whatever order they arrive in,
 * within a memory budget. The task gives elements by their index in the array; each chunk it
 * touches gets a {@link ChunkBuffer} (dense values and a validity bitmap):
 *
 * <ul>
 *   <li>a chunk whose elements are all given (those inside a fixed shape, for an edge chunk) is
 *       encoded and written at once through the {@link TaskWriter}, and its buffer freed;
 *   <li>when the open buffers exceed the budget, the least recently touched are staged as {@link
 *       Fragment}s under the job's staging prefix until half the budget is free; at {@link #finish}
 *       every buffer still open is staged the same way. The fragments staged together go into packs
 *       of up to {@link #PACK_BYTES} (one object each, read back by range). {@link FragmentMerge}
 *       combines each chunk's fragments before publication.
 * </ul>
 *
 * <p>An element given twice is refused: within a buffer at once, against a chunk this task already
 * wrote whole at once, and across fragments by the merge.
 *
 * <p>Memory: at most {@code budgetBytes} of open buffers (each {@link #bufferBytes()}; one buffer
 * when the budget is smaller), plus the encoded chunks in flight (at most {@code maxInFlight}) and
 * the packs of fragments being filled or put (at most {@link #PACKS_IN_FLIGHT} + 1 of about {@link
 * #PACK_BYTES}).
 */
public final class ChunkAssembler {
  /**
   * The most bytes of fragments put as one object (a pack), so that packs still put in parallel.
   */
  static final long PACK_BYTES = 8L << 20;

  /** Packs put at once by one task. */
  static final int PACKS_IN_FLIGHT = 4;

  private final DatasetWrite write;
  private final TaskWriter writer;
  private final ObjectStore os;
  private final int maxInFlight;
  private final long budget;
  private final int rank;
  private final int[] chunkShape;
  private final long[] fixedShape;
  private final int elementSize;
  private final long bufferBytes;
  private final String tag = UUID.randomUUID().toString();
  private final Map<ChunkKey, ChunkBuffer> open = new LinkedHashMap<>(16, 0.75f, true);
  private final Set<ChunkKey> whole = new HashSet<>();
  private final List<long[]> complete = new ArrayList<>();
  private final List<Fragment> fragments = new ArrayList<>();
  private final List<CompletableFuture<Void>> fragmentPuts = new ArrayList<>();
  private final List<byte[]> pack = new ArrayList<>();
  private final List<Fragment> packFragments = new ArrayList<>();
  private long packBytes;
  private final long[] coords;
  private final long[] runIndex;
  private long[] lastCoords;
  private final long[] lastOrigin;
  private ChunkBuffer last;
  private int lastExpected;
  private long buffered;
  private long peak;
  private int sequence;

  /**
   * @param budgetBytes the most bytes of chunk buffers held at once (at least one buffer is)
   * @param maxInFlight puts in flight (chunks and fragments each)
   */
  public ChunkAssembler(DatasetWrite write, ObjectStore os, long budgetBytes, int maxInFlight) {
    this.write = write;
    this.os = os;
    this.maxInFlight = maxInFlight;
    this.writer = write.openTask(os, maxInFlight);
    this.budget = budgetBytes;
    this.chunkShape = write.chunkShape();
    this.rank = chunkShape.length;
    this.fixedShape = write.fixedShape();
    this.elementSize = write.dataType().byteSize();
    long n = 1;
    for (int c : chunkShape) {
      n *= c;
    }
    this.bufferBytes = n * elementSize + (n + 7) / 8;
    this.coords = new long[rank];
    this.runIndex = new long[rank];
    this.lastOrigin = new long[rank];
  }

  /** The memory one chunk buffer takes: decoded values and the validity bitmap. */
  public long bufferBytes() {
    return bufferBytes;
  }

  /** Gives the element at {@code index} (its index in the array) an integral value. */
  public void setLong(long[] index, long value) {
    ChunkBuffer b = locate(index);
    int flat = claim(b, index);
    b.setLong(flat, value);
    completed(b);
  }

  /** Gives the element at {@code index} (its index in the array) a floating-point value. */
  public void setDouble(long[] index, double value) {
    ChunkBuffer b = locate(index);
    int flat = claim(b, index);
    b.setDouble(flat, value);
    completed(b);
  }

  /**
   * Gives {@code count} consecutive elements along the last dimension, the first at {@code index},
   * the integral values {@code values[0..count)}: one chunk lookup and one duplicate check per
   * chunk the run crosses instead of one per element.
   *
   * @throws IllegalArgumentException when one of them was given already, naming its index
   */
  public void setLongs(long[] index, long[] values, int count) {
    run(index, values, null, count);
  }

  /** {@link #setLongs} for floating-point values. */
  public void setDoubles(long[] index, double[] values, int count) {
    run(index, null, values, count);
  }

  private void run(long[] index, long[] longs, double[] doubles, int count) {
    int lastDim = rank - 1;
    System.arraycopy(index, 0, runIndex, 0, rank);
    long start = index[lastDim];
    int done = 0;
    while (done < count) {
      runIndex[lastDim] = start + done;
      int within = (int) (runIndex[lastDim] % chunkShape[lastDim]);
      int n = Math.min(count - done, chunkShape[lastDim] - within);
      ChunkBuffer b = locate(runIndex);
      int flat = flat(runIndex);
      int taken = b.claimRun(flat, n);
      if (taken >= 0) {
        runIndex[lastDim] += taken - flat;
        throw duplicate(runIndex);
      }
      if (longs != null) {
        b.setLongs(flat, longs, done, n);
      } else {
        b.setDoubles(flat, doubles, done, n);
      }
      completed(b);
      done += n;
    }
  }

  /**
   * The buffer of the chunk holding {@code index}, opened when needed. Consecutive elements mostly
   * fall in the chunk of the one before, which is checked with comparisons only (no division, no
   * map lookup): the per-element path of a write.
   */
  private ChunkBuffer locate(long[] index) {
    if (last != null && inLast(index)) {
      return last;
    }
    for (int d = 0; d < rank; d++) {
      coords[d] = index[d] / chunkShape[d];
    }
    // The probe key wraps the reused array; a key that is stored gets its own copy.
    ChunkBuffer b = open.get(new ChunkKey(coords));
    ChunkKey key;
    if (b == null) {
      key = new ChunkKey(coords.clone());
      if (whole.contains(key)) {
        throw duplicate(index);
      }
      if (buffered + bufferBytes > budget) {
        spill();
      }
      b = writer.buffer(key.c());
      open.put(key, b);
      buffered += bufferBytes;
      peak = Math.max(peak, buffered);
      lastCoords = key.c();
    } else {
      lastCoords = coords.clone();
    }
    last = b;
    for (int d = 0; d < rank; d++) {
      lastOrigin[d] = lastCoords[d] * chunkShape[d];
    }
    lastExpected = expected(lastCoords);
    return b;
  }

  private boolean inLast(long[] index) {
    for (int d = 0; d < rank; d++) {
      long off = index[d] - lastOrigin[d];
      if (off < 0 || off >= chunkShape[d]) {
        return false;
      }
    }
    return true;
  }

  private int claim(ChunkBuffer b, long[] index) {
    int flat = flat(index);
    if (!b.claim(flat)) {
      throw duplicate(index);
    }
    return flat;
  }

  /**
   * The row-major position within its chunk of the element at {@code index}, which lies in the
   * chunk {@link #locate} returned last.
   */
  private int flat(long[] index) {
    long flat = 0;
    for (int d = 0; d < rank; d++) {
      flat = flat * chunkShape[d] + (index[d] - lastOrigin[d]);
    }
    return (int) flat;
  }

  /** Elements of the chunk inside the fixed shape (all of it where the extent may grow). */
  private int expected(long[] c) {
    long n = 1;
    for (int d = 0; d < rank; d++) {
      long extent = chunkShape[d];
      if (fixedShape[d] >= 0) {
        extent = Math.max(0, Math.min(extent, fixedShape[d] - c[d] * chunkShape[d]));
      }
      n *= extent;
    }
    return (int) n;
  }

  private void completed(ChunkBuffer b) {
    if (b.claimed() < lastExpected) {
      return;
    }
    ChunkKey key = new ChunkKey(lastCoords);
    open.remove(key);
    buffered -= bufferBytes;
    whole.add(key);
    complete.add(lastCoords);
    last = null;
    lastCoords = null;
    writer.throttle(maxInFlight);
    writer.write(b);
  }

  /**
   * Stages the least recently touched buffers until half the budget is free (and one more buffer
   * fits, if the budget holds one at all).
   */
  private void spill() {
    Iterator<Map.Entry<ChunkKey, ChunkBuffer>> it = open.entrySet().iterator();
    while ((buffered > budget / 2 || buffered + bufferBytes > budget) && it.hasNext()) {
      Map.Entry<ChunkKey, ChunkBuffer> e = it.next();
      stage(e.getValue());
      it.remove();
      buffered -= bufferBytes;
    }
    putPack();
  }

  /** Encodes a buffer into the pack being filled; puts the pack when it reaches its size. */
  private void stage(ChunkBuffer b) {
    if (b.claimed() == 0) {
      return;
    }
    byte[] bytes = FragmentCodec.encode(b, elementSize);
    if (packBytes > 0 && packBytes + bytes.length > PACK_BYTES) {
      putPack();
    }
    packFragments.add(new Fragment(b.coords(), null, packBytes, b.claimed(), bytes.length));
    pack.add(bytes);
    packBytes += bytes.length;
  }

  /**
   * Puts the fragments staged since the last pack as one object: one request per pack instead of
   * one per fragment, since a task in random order stages a fragment of nearly every chunk.
   */
  private void putPack() {
    if (pack.isEmpty()) {
      return;
    }
    String key = write.fragmentPackKey(tag, sequence++);
    byte[] all = new byte[Math.toIntExact(packBytes)];
    int at = 0;
    for (byte[] b : pack) {
      System.arraycopy(b, 0, all, at, b.length);
      at += b.length;
    }
    for (Fragment f : packFragments) {
      fragments.add(new Fragment(f.coords(), key, f.offset(), f.elements(), f.bytes()));
    }
    pack.clear();
    packFragments.clear();
    packBytes = 0;
    awaitFragments(PACKS_IN_FLIGHT);
    fragmentPuts.add(os.put(key, all));
  }

  private void awaitFragments(int max) {
    fragmentPuts.removeIf(CompletableFuture::isDone);
    while (fragmentPuts.size() >= max) {
      Futures.join(fragmentPuts.remove(0));
    }
  }

  /**
   * Stages every chunk still open as a fragment and waits for every put.
   *
   * @return what the task wrote, for the job's commit
   */
  public TaskChunks finish() {
    for (ChunkBuffer b : open.values()) {
      stage(b);
    }
    putPack();
    open.clear();
    buffered = 0;
    last = null;
    writer.finish();
    for (CompletableFuture<Void> f : fragmentPuts) {
      Futures.join(f);
    }
    fragmentPuts.clear();
    return new TaskChunks(write.path(), List.copyOf(complete), List.copyOf(fragments), peak);
  }

  /** Waits for the puts still running, ignoring failures; deletes nothing (see TaskWriter). */
  public void abort() {
    writer.abort();
    for (CompletableFuture<Void> f : fragmentPuts) {
      f.exceptionally(e -> null).join();
    }
  }

  /** Chunks this task wrote whole so far. */
  public long chunksWritten() {
    return complete.size();
  }

  /** Fragments staged so far, counting the buffers still open (staged by {@link #finish}). */
  public long fragmentsStaged() {
    return fragments.size() + (long) open.size();
  }

  /** The most bytes of chunk buffers held at once so far. */
  public long peakBufferedBytes() {
    return peak;
  }

  private IllegalArgumentException duplicate(long[] index) {
    return DuplicateCoordinates.of(write, index);
  }

  /** Chunk coordinates as a map key. */
  record ChunkKey(long[] c) {
    @Override
    public boolean equals(Object o) {
      return o instanceof ChunkKey k && Arrays.equals(c, k.c);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(c);
    }

    @Override
    public String toString() {
      return Arrays.toString(c);
    }
  }
}
