package io.arraymorph.rechunk;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.array.Shapes;
import io.arraymorph.codec.ByteShuffle;
import io.arraymorph.engine.ChunkPart;
import io.arraymorph.engine.Fill;
import io.arraymorph.scan.Region;
import io.arraymorph.write.TaskWriter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Assembles target chunks (or shards) from their {@link Block}s and writes each through a {@link
 * TaskWriter} as soon as its last block arrives. Blocks may come in any order: a chunk is held from
 * its first block to its last, so blocks grouped by target chunk (e.g. sorted) hold one chunk at a
 * time, and blocks in any order hold at most the chunks they belong to. Blocks are copied straight
 * into the buffer the writer puts (the chunk's full shape, its part past the array's edge the fill
 * value), one run per block when the block spans the chunk's trailing dimensions. A chunk whose
 * blocks do not add up to its elements is refused rather than written with holes.
 *
 * <p>Pieces of source chunks ({@link #copyChunkPart}) may be copied from several threads at once
 * (the threads that fetch and decode them, each piece a disjoint set of elements) into the target
 * chunks the task's thread opened for their box ({@link #targets}); the task's own thread counts
 * them once a box's pieces are all copied ({@link #copied}) and writes the chunks they complete:
 * opening, counting and the writer stay on one thread, never a store's I/O thread.
 */
public final class ChunkAssembler {
  /** Bytes of target chunks opened at once from which they are allocated on every core. */
  static final long PARALLEL_START_BYTES = 16L << 20;

  private final ChunkGrid grid;
  private final TaskWriter writer;
  private final DataType type;
  private final int size;
  private final long flushBytes;
  private final byte[] fill;
  private final long[] chunkShape;
  // Only the task's thread opens, counts and closes chunks: the copying threads get arrays of them.
  private final Map<Long, Open> open = new HashMap<>();
  private long pending;

  /** A target chunk being assembled. */
  private static final class Open {
    final NdArray chunk;
    final long expected;
    long received;

    Open(NdArray chunk, long expected) {
      this.chunk = chunk;
      this.expected = expected;
    }
  }

  /**
   * @param flushBytes decoded bytes of chunks handed to the writer after which it is waited for,
   *     bounding what its puts hold
   */
  public ChunkAssembler(RechunkPlan plan, TaskWriter writer, long flushBytes) {
    this.grid = plan.targetGrid();
    this.writer = writer;
    this.type = plan.dataType();
    this.size = type.byteSize();
    this.flushBytes = flushBytes;
    this.fill = plan.write().metadata().fillValue();
    int[] shape = grid.chunkShape();
    this.chunkShape = new long[shape.length];
    for (int d = 0; d < shape.length; d++) {
      chunkShape[d] = shape[d];
    }
  }

  /** Adds a block, writing its target chunk if this was the chunk's last block. */
  public void add(Block block) {
    add(block.target(), block.lo(), block.hi(), block.values(), 0);
  }

  /**
   * Adds the piece {@code [lo, hi)} of target chunk {@code target}, its elements row-major in
   * {@code src} from byte {@code srcOffset}, writing the chunk if this was its last piece.
   *
   * @return the bytes of {@code src} the piece's elements take
   */
  int add(long target, int[] lo, int[] hi, byte[] src, int srcOffset) {
    Open o = open(target);
    int rank = lo.length;
    long[] at = new long[rank];
    long[] extent = new long[rank];
    long elements = 1;
    for (int d = 0; d < rank; d++) {
      at[d] = lo[d];
      extent[d] = (long) hi[d] - lo[d];
      elements *= extent[d];
    }
    BoxCopy.copy(
        src, srcOffset, extent, new long[rank], o.chunk.bytes(), 0, chunkShape, at, extent, size);
    received(target, o, elements);
    return Math.toIntExact(elements * size);
  }

  /**
   * Adds {@code data}, the values of {@code box} of the array, to every target chunk it overlaps,
   * copied straight from it (no block in between), writing each chunk it completes.
   */
  public void addBox(Region.Box box, NdArray data) {
    long[] boxShape = box.shape();
    byte[] src = data.bytes();
    TargetOverlaps.forEach(
        grid,
        box,
        (target, lo, hi, srcAt, extent) -> {
          Open o = open(target);
          long[] at = new long[lo.length];
          long elements = 1;
          for (int d = 0; d < lo.length; d++) {
            at[d] = lo[d];
            elements *= extent[d];
          }
          BoxCopy.copy(src, 0, boxShape, srcAt, o.chunk.bytes(), 0, chunkShape, at, extent, size);
          received(target, o, elements);
        });
  }

  /**
   * The target chunks {@code box} overlaps, opened now on the task's thread (those not yet open are
   * started), so that the threads that copy its pieces ({@link #copyChunkPart}) index an array
   * instead of looking each target chunk up: a source chunk's piece can span hundreds of them.
   */
  Targets targets(Region.Box box) {
    int rank = chunkShape.length;
    long[] first = new long[rank];
    long[] count = new long[rank];
    long n = 1;
    for (int d = 0; d < rank; d++) {
      if (box.hi()[d] <= box.lo()[d]) {
        return new Targets(first, new long[rank], new byte[0][]);
      }
      first[d] = box.lo()[d] / chunkShape[d];
      count[d] = (box.hi()[d] - 1) / chunkShape[d] - first[d] + 1;
      n *= count[d];
    }
    // At most one target chunk per element of the box, which a slice keeps within an int.
    long[] ids = new long[Math.toIntExact(n)];
    long[] gridShape = grid.gridShape();
    long[] c = first.clone();
    for (int i = 0; i < ids.length; i++) {
      long target = 0;
      for (int d = 0; d < rank; d++) {
        target = target * gridShape[d] + c[d];
      }
      ids[i] = target;
      for (int d = rank - 1; d >= 0 && ++c[d] == first[d] + count[d]; d--) {
        c[d] = first[d];
      }
    }
    startAll(ids);
    byte[][] chunks = new byte[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      chunks[i] = open(ids[i]).chunk.bytes();
    }
    return new Targets(first, count, chunks);
  }

  /**
   * Starts those of {@code targets} not yet open. When they are many (a one-stage task's first
   * slice opens every target chunk of its region, 1 GB in the granule benchmark), they are
   * allocated on every core (the common fork-join pool and this thread): a new array's pages are
   * faulted in and zeroed by the thread that allocates it, which took the task's thread 0.1-0.2 s
   * (warm JVM) to 1.3-2.1 s (fresh heap, loaded machine) while the decoding threads had nothing to
   * decode yet.
   */
  private void startAll(long[] targets) {
    long[] missing = Arrays.stream(targets).filter(t -> !open.containsKey(t)).toArray();
    Open[] started = new Open[missing.length];
    long bytes = missing.length * grid.chunkElements() * size;
    IntStream range = IntStream.range(0, missing.length);
    (bytes >= PARALLEL_START_BYTES ? range.parallel() : range)
        .forEach(k -> started[k] = start(missing[k]));
    for (int k = 0; k < missing.length; k++) {
      open.put(missing[k], started[k]);
    }
  }

  /**
   * The buffers of the target chunks a box overlaps ({@link #targets}), row-major over their block
   * of the target grid.
   *
   * @param first the block's first target chunk (grid coordinates)
   * @param count the block's extent in target chunks per dimension
   * @param chunks each target chunk's buffer (its full chunk shape)
   */
  record Targets(long[] first, long[] count, byte[][] chunks) {}

  /**
   * Copies {@code piece}, a box of the array inside one source chunk and inside the box {@code
   * targets} were opened for, into every target chunk it overlaps, straight from the source chunk's
   * decoded elements (no slice in between), one run per row of the piece and target chunk. Safe to
   * call from several threads at once for disjoint pieces; it counts nothing: once every piece of a
   * box is copied, the task's thread calls {@link #copied} for the box, which counts its elements
   * and writes the chunks it completes.
   *
   * @param chunkOrigin the source chunk's first index in the array
   * @param sourceChunkShape the source chunk's (full) shape
   * @param part the source chunk's decoded elements, at least those of {@code piece}, or the whole
   *     chunk still byte-shuffled by this type's size ({@link ChunkPart#shuffled})
   */
  void copyChunkPart(
      Region.Box piece,
      Targets targets,
      long[] chunkOrigin,
      long[] sourceChunkShape,
      ChunkPart part) {
    byte[] src = part.data();
    // part.data() starts with element firstElement of the chunk: shift the chunk's origin by it.
    long srcBase = -part.firstElement();
    // A shuffled part (the whole chunk, elements of this type's size) is unshuffled as it is
    // copied, run by run: one pass over its bytes instead of an unshuffle and then the copies.
    int shuffledElements = 0;
    if (part.shuffled()) {
      if (part.shuffle() != size) {
        throw new IllegalArgumentException(
            "A chunk shuffled by " + part.shuffle() + " bytes holds no elements of " + size);
      }
      shuffledElements = Math.toIntExact(Shapes.product(sourceChunkShape));
    }
    int rank = chunkShape.length;
    long[] lo = piece.lo();
    long[] hi = piece.hi();
    for (int d = 0; d < rank; d++) {
      if (hi[d] <= lo[d]) {
        return;
      }
    }
    if (rank == 0) {
      System.arraycopy(src, Math.toIntExact(srcBase * size), targets.chunks()[0], 0, size);
      return;
    }
    int last = rank - 1;
    long width = chunkShape[last];
    long[] first = targets.first();
    long[] count = targets.count();
    byte[][] chunks = targets.chunks();
    // Row by row (every index but the last), each row cut at the target chunks' boundaries: no
    // allocation or lookup per target chunk, whatever the shapes.
    long[] i = lo.clone();
    while (true) {
      long block = 0;
      long dstRow = 0;
      long srcRow = 0;
      for (int d = 0; d < last; d++) {
        long c = i[d] / chunkShape[d];
        block = block * count[d] + (c - first[d]);
        dstRow = dstRow * chunkShape[d] + (i[d] - c * chunkShape[d]);
        srcRow = srcRow * sourceChunkShape[d] + (i[d] - chunkOrigin[d]);
      }
      block = block * count[last] - first[last];
      dstRow *= width;
      srcRow = srcBase + srcRow * sourceChunkShape[last] - chunkOrigin[last];
      long x = lo[last];
      long c = x / width;
      while (x < hi[last]) {
        long end = Math.min(hi[last], (c + 1) * width);
        byte[] dst = chunks[(int) (block + c)];
        int dstAt = (int) ((dstRow + x - c * width) * size);
        if (shuffledElements > 0) {
          ByteShuffle.unshuffleElements(
              src, 0, shuffledElements, (int) (srcRow + x), (int) (end - x), dst, dstAt, size);
        } else {
          System.arraycopy(src, (int) ((srcRow + x) * size), dst, dstAt, (int) ((end - x) * size));
        }
        x = end;
        c++;
      }
      int d = last - 1;
      while (d >= 0 && ++i[d] == hi[d]) {
        i[d] = lo[d];
        d--;
      }
      if (d < 0) {
        return;
      }
    }
  }

  /**
   * Counts the elements of {@code box}, whose pieces have all been copied ({@link #copyChunkPart},
   * on any thread, before this call), and writes the chunks they complete.
   */
  void copied(Region.Box box) {
    TargetOverlaps.forEach(
        grid,
        box,
        (target, lo, hi, srcAt, extent) -> {
          long elements = 1;
          for (long e : extent) {
            elements *= e;
          }
          received(target, open(target), elements);
        });
  }

  /** The open chunk {@code target}, started (its padding filled) on its first piece. */
  private Open open(long target) {
    return open.computeIfAbsent(target, this::start);
  }

  /** A new open chunk, its padding filled. */
  private Open start(long target) {
    long[] valid = grid.validExtent(grid.chunkCoords(target));
    long expected = 1;
    for (long v : valid) {
      expected *= v;
    }
    long elements = grid.chunkElements();
    // Only an edge chunk keeps elements no block gives (its padding): fill those.
    byte[] bytes =
        expected == elements
            ? new byte[Math.toIntExact(elements * size)]
            : Fill.chunk(fill, elements);
    return new Open(NdArray.wrap(type, chunkShape.clone(), bytes), expected);
  }

  /** Counts a piece's elements, writing the chunk if it was the last. */
  private void received(long target, Open o, long elements) {
    o.received += elements;
    if (o.received >= o.expected) {
      open.remove(target);
      complete(target, o);
    }
  }

  /** Waits for every put and returns the chunks written; refuses if a chunk is incomplete. */
  public List<long[]> finish() {
    if (!open.isEmpty()) {
      Map.Entry<Long, Open> e = open.entrySet().iterator().next();
      throw incomplete(e.getKey(), e.getValue());
    }
    writer.finish();
    return writer.writtenChunks();
  }

  private void complete(long target, Open o) {
    if (o.received != o.expected) {
      throw incomplete(target, o);
    }
    byte[] bytes = o.chunk.bytes();
    if (TaskWriter.isAllFill(bytes, fill)) {
      return; // a missing chunk reads as the fill value
    }
    writer.writeWhole(grid.chunkCoords(target), o.chunk);
    pending += bytes.length;
    if (pending >= flushBytes) {
      writer.finish();
      pending = 0;
    }
  }

  private IllegalStateException incomplete(long target, Open o) {
    return new IllegalStateException(
        "Target chunk "
            + Arrays.toString(grid.chunkCoords(target))
            + " received "
            + o.received
            + " of its "
            + o.expected
            + " elements; refusing to write it (nothing is published). This is a bug: please"
            + " report it with the source and the chunks asked for");
  }
}
