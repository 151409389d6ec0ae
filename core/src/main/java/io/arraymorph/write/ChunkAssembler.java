package io.arraymorph.write;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
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

  /**
   * The most chunks in a fixed-shape grid for which a task finds its open chunks by position in a
   * table (a reference each, 1 MiB at most) rather than by a hash map lookup: the lookup every
   * element of rows in random order pays.
   */
  static final int MAX_TABLE = 1 << 17;

  /** A chunk being filled, with what the per-element path needs precomputed. */
  private static final class Open {
    final ChunkBuffer buffer;
    final long[] coords;
    final long[] origin;
    final int expected;
    final int slot;

    /** When the task last moved to this chunk from another: which chunk a spill stages first. */
    long touched;

    Open(ChunkBuffer buffer, long[] coords, long[] origin, int expected, int slot) {
      this.buffer = buffer;
      this.coords = coords;
      this.origin = origin;
      this.expected = expected;
      this.slot = slot;
    }
  }

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
  private final Map<ChunkKey, Open> open = new HashMap<>();
  private final Set<ChunkKey> whole = new HashSet<>();
  private final List<long[]> complete = new ArrayList<>();
  private final List<Fragment> fragments = new ArrayList<>();
  private final List<CompletableFuture<Void>> fragmentPuts = new ArrayList<>();
  private final List<byte[]> pack = new ArrayList<>();
  private final List<Fragment> packFragments = new ArrayList<>();
  private long packBytes;
  private final long[] coords;
  private final long[] runIndex;
  private final int[] shifts;
  private final long[] grid;
  private final Open[] table;
  private Open last;
  private long clock;
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
    this.shifts = new int[rank];
    for (int d = 0; d < rank; d++) {
      int c = chunkShape[d];
      shifts[d] = Integer.bitCount(c) == 1 ? Integer.numberOfTrailingZeros(c) : -1;
    }
    this.grid = fixedGrid(chunkShape, fixedShape);
    this.table = grid == null ? null : new Open[Math.toIntExact(product(grid))];
  }

  /**
   * The chunk grid's extents when the shape is fixed and has at most {@link #MAX_TABLE} chunks
   * (then open chunks are found by their position in a table), else null (a hash map).
   */
  private static long[] fixedGrid(int[] chunkShape, long[] fixedShape) {
    long[] g = new long[chunkShape.length];
    long n = 1;
    for (int d = 0; d < g.length; d++) {
      if (fixedShape[d] < 0) {
        return null;
      }
      g[d] = Math.max(1, (fixedShape[d] + chunkShape[d] - 1) / chunkShape[d]);
      n *= g[d];
      if (n > MAX_TABLE) {
        return null;
      }
    }
    return g;
  }

  private static long product(long[] v) {
    long n = 1;
    for (long x : v) {
      n *= x;
    }
    return n;
  }

  /** The memory one chunk buffer takes: decoded values and the validity bitmap. */
  public long bufferBytes() {
    return bufferBytes;
  }

  /** Gives the element at {@code index} (its index in the array) an integral value. */
  public void setLong(long[] index, long value) {
    Open o = locate(index);
    int flat = claim(o, index);
    o.buffer.setLong(flat, value);
    completed(o);
  }

  /** Gives the element at {@code index} (its index in the array) a floating-point value. */
  public void setDouble(long[] index, double value) {
    Open o = locate(index);
    int flat = claim(o, index);
    o.buffer.setDouble(flat, value);
    completed(o);
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
      Open o = locate(runIndex);
      ChunkBuffer b = o.buffer;
      int flat = flat(o, runIndex);
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
      completed(o);
      done += n;
    }
  }

  /**
   * The open chunk holding {@code index}, opened when needed. Consecutive elements mostly fall in
   * the chunk of the one before, which is checked with comparisons only; elsewhere (rows in random
   * order) the chunk is found by shifts (power-of-two chunk extents) and a table position, without
   * allocating: the per-element path of a write.
   */
  private Open locate(long[] index) {
    Open o = last;
    if (o != null && inside(o, index)) {
      return o;
    }
    long slot = 0;
    for (int d = 0; d < rank; d++) {
      long c = shifts[d] >= 0 ? index[d] >>> shifts[d] : index[d] / chunkShape[d];
      coords[d] = c;
      if (table != null) {
        if (index[d] < 0 || c >= grid[d]) {
          throw outside(index);
        }
        slot = slot * grid[d] + c;
      }
    }
    o = table != null ? table[(int) slot] : open.get(new ChunkKey(coords));
    if (o == null) {
      o = openChunk(index, (int) slot);
    }
    o.touched = ++clock;
    last = o;
    return o;
  }

  /** Opens a buffer for the chunk at {@link #coords}, refusing one the task wrote whole. */
  private Open openChunk(long[] index, int slot) {
    ChunkKey key = new ChunkKey(coords.clone());
    if (whole.contains(key)) {
      throw duplicate(index);
    }
    if (buffered + bufferBytes > budget) {
      spill();
    }
    long[] c = key.c();
    long[] origin = new long[rank];
    for (int d = 0; d < rank; d++) {
      origin[d] = c[d] * chunkShape[d];
    }
    Open o = new Open(writer.buffer(c), c, origin, expected(c), slot);
    open.put(key, o);
    if (table != null) {
      table[slot] = o;
    }
    buffered += bufferBytes;
    peak = Math.max(peak, buffered);
    return o;
  }

  private boolean inside(Open o, long[] index) {
    long[] origin = o.origin;
    for (int d = 0; d < rank; d++) {
      long off = index[d] - origin[d];
      if (off < 0 || off >= chunkShape[d]) {
        return false;
      }
    }
    return true;
  }

  private int claim(Open o, long[] index) {
    int flat = flat(o, index);
    if (!o.buffer.claim(flat)) {
      throw duplicate(index);
    }
    return flat;
  }

  /**
   * The row-major position within its chunk of the element at {@code index}, which lies in the
   * chunk {@code o}.
   */
  private int flat(Open o, long[] index) {
    long[] origin = o.origin;
    long flat = 0;
    for (int d = 0; d < rank; d++) {
      flat = flat * chunkShape[d] + (index[d] - origin[d]);
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

  private void completed(Open o) {
    if (o.buffer.claimed() < o.expected) {
      return;
    }
    ChunkKey key = new ChunkKey(o.coords);
    close(key, o);
    whole.add(key);
    complete.add(o.coords);
    writer.throttle(maxInFlight);
    writer.write(o.buffer);
  }

  /** Forgets an open chunk (written whole or staged). */
  private void close(ChunkKey key, Open o) {
    open.remove(key);
    if (table != null) {
      table[o.slot] = null;
    }
    if (last == o) {
      last = null;
    }
    buffered -= bufferBytes;
  }

  /**
   * Stages the least recently touched buffers until half the budget is free (and one more buffer
   * fits, if the budget holds one at all).
   */
  private void spill() {
    List<Open> byAge = new ArrayList<>(open.values());
    byAge.sort(Comparator.comparingLong(o -> o.touched));
    Iterator<Open> it = byAge.iterator();
    while ((buffered > budget / 2 || buffered + bufferBytes > budget) && it.hasNext()) {
      Open o = it.next();
      stage(o.buffer);
      close(new ChunkKey(o.coords), o);
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
    for (Open o : open.values()) {
      stage(o.buffer);
    }
    putPack();
    open.clear();
    if (table != null) {
      Arrays.fill(table, null);
    }
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

  private IndexOutOfBoundsException outside(long[] index) {
    return new IndexOutOfBoundsException(
        "Index "
            + Arrays.toString(index)
            + " lies outside the shape "
            + Arrays.toString(fixedShape)
            + " of dataset '"
            + write.path()
            + "'; give indices within the shape or let it grow (option 'shape')");
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
