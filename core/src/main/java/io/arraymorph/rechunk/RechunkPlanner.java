package io.arraymorph.rechunk;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.scan.Region;
import io.arraymorph.store.Keys;
import io.arraymorph.write.DatasetWrite;
import io.arraymorph.write.WriteMode;
import io.arraymorph.write.WriteRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Plans a rechunk on the driver: reads the source's metadata once, checks the request (before
 * anything is written), plans the target's write and chooses the source reads.
 */
public final class RechunkPlanner {
  /** Reads a plan aims at, when the array is large enough, so that work spreads over threads. */
  static final int MIN_READS = 16;

  /** Decoded bytes a read task cuts at once (see {@link RechunkPlan#slices}). */
  static final long SLICE_BYTES = 4L << 20;

  /*
   * The cost model's prices, in CPU nanoseconds, from GranuleRechunkProbe on the 2,000-granule
   * benchmark (16000 x 90 x 180 float32 from shuffled zlib chunks (1, 90, 180) to (16000, 5, 5);
   * median process CPU time of 2 warm runs of each plan, alternating in one JVM, 7 December 2026,
   * twelfth session, after the scatter's copy took over the unshuffle): one stage with 1 region
   * 4.20 s, with 5 regions 9.24 s (so about 1.26 s for each further pass over the 1.04 GB: 0.9 ns
   * a decoded byte once its 16,000 requests are priced below), two stages 10.30 s (6.1 s more than
   * one stage with one region: about 6 ns a shuffled byte). A source that decodes faster than
   * shuffled zlib costs less to reread than this says, so such a source may go through two stages
   * where one would have been cheaper.
   */

  /** Price of reading and decoding a source byte once more (fetch, inflate, unshuffle). */
  static final double REREAD_NANOS_PER_BYTE = 0.9;

  /** Price of one more source request, apart from its bytes. */
  static final double REREAD_REQUEST_NANOS = 20_000;

  /**
   * Price of moving a decoded byte between tasks in a two-stage plan: cutting it into a pack,
   * Spark's serialization, lz4, shuffle files and assembling (local threads' in-memory queues cost
   * less, their spill files about as much).
   */
  static final double SHUFFLE_NANOS_PER_BYTE = 6.0;

  /** More regions than this are never planned: each is a task reading all its sources. */
  static final long MAX_REGIONS = 100_000;

  private RechunkPlanner() {}

  /**
   * Plans {@code request} reading from {@code source} and writing to {@code target}.
   *
   * @throws IllegalArgumentException naming the problem and the fix when the chunks or shards do
   *     not fit the source, or the target exists and overwrite was not asked
   * @throws io.arraymorph.api.DatasetNotFoundException when the source dataset does not exist
   */
  public static RechunkPlan plan(
      ArrayStore source, ArrayStore target, RechunkRequest request, String job) {
    return plan(source, target, request, job, 1);
  }

  /**
   * Plans {@code request} for a runner that works on {@code parallelism} tasks at once: a plan
   * moves no pieces between tasks when the source and target chunks nest (or a common multiple fits
   * half of {@code rechunk_memory}); otherwise its cost model chooses between one stage (tasks own
   * regions of target chunks and read every source chunk they overlap, once per region) and two
   * stages (reads cut into pieces shuffled to the tasks owning their target chunks), unless {@link
   * RechunkRequest#stages()} says which.
   *
   * @throws IllegalArgumentException naming the problem and the fix when the chunks or shards do
   *     not fit the source, or the target exists and overwrite was not asked
   */
  public static RechunkPlan plan(
      ArrayStore source, ArrayStore target, RechunkRequest request, String job, int parallelism) {
    String to =
        Keys.join(request.targetDataset() != null ? request.targetDataset() : request.dataset());
    if (to.isEmpty()) {
      throw new IllegalArgumentException(
          "The source dataset is the store's root; name the target dataset");
    }
    DatasetRef ref = source.datasetRef(request.dataset());
    Dataset in = source.dataset(ref);
    if (request.source().equals(request.target()) && Keys.join(in.path()).equals(to)) {
      throw new IllegalArgumentException(
          "Source and target are the same dataset '"
              + to
              + "' in "
              + request.target()
              + "; rechunk into another dataset path");
    }
    long[] shape = in.shape();
    int[] chunks = request.chunks() != null ? request.chunks().clone() : in.chunkShape();
    checkRank("chunks", chunks, shape, in.path());
    for (int c : chunks) {
      if (c < 1) {
        throw new IllegalArgumentException(
            "chunks " + Arrays.toString(chunks) + ": every extent must be at least 1");
      }
    }
    int[] shards = request.shards() == null ? null : request.shards().clone();
    if (shards != null) {
      checkRank("shards", shards, shape, in.path());
      for (int d = 0; d < shards.length; d++) {
        if (shards[d] < 1 || shards[d] % chunks[d] != 0) {
          throw new IllegalArgumentException(
              "shards "
                  + Arrays.toString(shards)
                  + " are not multiples of chunks "
                  + Arrays.toString(chunks)
                  + "; give shard extents that are whole numbers of chunks");
        }
      }
    }
    boolean replace = target.exists(to);
    if (replace && !request.overwrite()) {
      throw new IllegalArgumentException(
          "Target dataset '"
              + to
              + "' already exists in "
              + request.target()
              + "; ask for overwrite to replace it or name another target dataset");
    }
    DataType type = in.dataType();
    List<String> names = in.dimensionNames();
    WriteRequest write =
        new WriteRequest(
            to,
            replace ? WriteMode.OVERWRITE : WriteMode.CREATE,
            shape.length,
            type,
            request.compression(),
            request.compressionLevel(),
            fillNumber(type, in.chunkSource().fillValue()),
            chunks,
            shape,
            isDefaultNames(names) ? null : names,
            in.attributes(),
            shards,
            null,
            null);
    DatasetWrite planned = DatasetWrite.plan(target, job, write);
    int[] objects = planned.chunkShape();
    int[] sourceChunks = in.chunkShape();
    int size = type.byteSize();
    // A read and its pieces (or its chunk buffers) are both in memory: half the budget each.
    long half = Math.max(1, request.memoryBytes() / 2);
    long[] aligned = new long[shape.length];
    for (int d = 0; d < shape.length; d++) {
      aligned[d] = clip(Math.min(lcm(objects[d], sourceChunks[d]), roundUp(shape[d], objects[d])));
    }
    if (bytes(aligned, size) <= half) {
      // Reads grow within the budget, but not past 1/MIN_READS of the array: threads and
      // executors need several reads to work on at once.
      List<Region.Box> boxes =
          tile(shape, grow(aligned, shape, size, readBytes(aligned, shape, size, half)));
      return new RechunkPlan(
          request,
          job,
          ref,
          shape,
          type,
          sourceChunks,
          planned,
          RechunkPlan.Kind.DIRECT,
          boxes,
          "direct: "
              + boxes.size()
              + " tasks, each reading whole source chunks and writing the target chunks they"
              + " hold; nothing is read twice or shuffled");
    }
    long[] start = clip(sourceChunks, shape);
    List<Region.Box> reads =
        tile(shape, grow(start, shape, size, readBytes(start, shape, size, half)));
    Regions regions =
        Regions.of(shape, objects, sourceChunks, size, request.memoryBytes(), parallelism);
    long sourceCount = sourceChunkCount(shape, sourceChunks);
    long arrayBytes = bytes(shape, size);
    double oneStageCost = extraReadNanos(regions, sourceCount, bytes(start, size));
    double twoStageCost = shuffleNanos(arrayBytes);
    if (request.stages() == RechunkRequest.Stages.ONE && regions.groups() > MAX_REGIONS) {
      throw new IllegalArgumentException(
          "rechunk_plan=one_stage would need "
              + regions.groups()
              + " regions of target chunks for '"
              + in.path()
              + "' within rechunk_memory="
              + request.memoryBytes()
              + " (at most "
              + MAX_REGIONS
              + "); raise rechunk_memory or use rechunk_plan=two_stage");
    }
    boolean oneStage =
        switch (request.stages()) {
          case ONE -> true;
          case TWO -> false;
          case AUTO -> regions.groups() <= MAX_REGIONS && oneStageCost <= twoStageCost;
        };
    String costs =
        String.format(
            Locale.ROOT,
            "; cost model (%s): one stage reads %d source chunks for %d (%.2f s of extra reads),"
                + " two stages shuffle %.1f MB (%.2f s)",
            request.stages() == RechunkRequest.Stages.AUTO ? "chose" : "overridden by rechunk_plan",
            regions.sourceReads(),
            sourceCount,
            oneStageCost / 1e9,
            arrayBytes / 1e6,
            twoStageCost / 1e9);
    if (oneStage) {
      List<Region.Box> boxes = tile(shape, regions.block());
      return new RechunkPlan(
          request,
          job,
          ref,
          shape,
          type,
          sourceChunks,
          planned,
          RechunkPlan.Kind.ONE_STAGE,
          boxes,
          "one stage: "
              + boxes.size()
              + " tasks, each owning a region of "
              + Arrays.toString(regions.block())
              + " elements (its target chunks held until complete) and reading every source"
              + " chunk it overlaps"
              + costs);
    }
    return new RechunkPlan(
        request,
        job,
        ref,
        shape,
        type,
        sourceChunks,
        planned,
        RechunkPlan.Kind.TWO_STAGE,
        reads,
        "two stages: "
            + reads.size()
            + " read tasks cutting their reads into pieces, shuffled to the tasks owning the"
            + " target chunks"
            + costs);
  }

  /**
   * The decoded bytes a read grows to from {@code block}: within {@code half} the budget, but not
   * past 1/{@link #MIN_READS} of the array (threads and executors need several reads to work on at
   * once), and never less than the block itself.
   */
  private static long readBytes(long[] block, long[] shape, int size, long half) {
    return Math.max(bytes(block, size), Math.min(half, bytes(shape, size) / MIN_READS));
  }

  /**
   * The cost model's price of a one-stage plan beyond reading the source once: each source chunk
   * read once more per region it overlaps.
   */
  static double extraReadNanos(Regions regions, long sourceChunks, long sourceChunkBytes) {
    double extra = (double) regions.sourceReads() - sourceChunks;
    return extra * (REREAD_REQUEST_NANOS + sourceChunkBytes * REREAD_NANOS_PER_BYTE);
  }

  /** The cost model's price of a two-stage plan's shuffle of the whole array. */
  static double shuffleNanos(long arrayBytes) {
    return arrayBytes * SHUFFLE_NANOS_PER_BYTE;
  }

  /**
   * The regions of a one-stage plan: boxes of whole target chunks (or shards), as few as fit the
   * budget (a task holds its region's target chunks and {@link ChunkScatter#SLICES_IN_FLIGHT}
   * slices of source chunks, within {@code rechunk_memory}) but at least {@code parallelism} when
   * there are that many target chunks and the extra regions read no source chunk more often (a
   * task's fetching threads already decode on several cores; a region more that rereads every
   * source chunk costs a whole pass), growing last dimension first so that a region takes
   * contiguous elements of the source chunks it overlaps (each decoded whole, but unshuffled and
   * copied only over that part).
   *
   * @param block a region's extent in elements
   * @param groups the number of regions
   * @param sourceReads the source chunks the regions overlap, summed: each is read once per region
   */
  record Regions(long[] block, long groups, long sourceReads) {
    static Regions of(
        long[] shape, int[] objects, int[] sourceChunks, int size, long memory, int parallelism) {
      Regions fewest = atLeast(1, shape, objects, sourceChunks, size, memory);
      if (parallelism <= 1) {
        return fewest;
      }
      // A task reading through a chunk source decodes and copies on its fetching threads, several
      // at once (ChunkScatter): more regions than the budget needs spread the work over more tasks
      // only where they read no source chunk more often than the budget's regions do.
      Regions spread = atLeast(parallelism, shape, objects, sourceChunks, size, memory);
      return spread.sourceReads() <= fewest.sourceReads() ? spread : fewest;
    }

    /**
     * The fewest regions within the budget, but at least {@code parallelism} (target chunks
     * allowing).
     */
    private static Regions atLeast(
        int parallelism, long[] shape, int[] objects, int[] sourceChunks, int size, long memory) {
      int rank = shape.length;
      long[] counts = new long[rank];
      long[] unit = new long[rank];
      for (int d = 0; d < rank; d++) {
        counts[d] = Math.max(1, (shape[d] + objects[d] - 1) / objects[d]);
        unit[d] = objects[d];
      }
      long objectBytes = bytes(unit, size);
      long total = saturatingMultiply(objectBytes, product(counts));
      long budget = Math.max(1, memory - ChunkScatter.SLICES_IN_FLIGHT * sliceBytes(memory));
      budget = Math.min(budget, ceilDiv(total, Math.max(1, parallelism)));
      long[] g = new long[rank];
      Arrays.fill(g, 1);
      for (int d = rank - 1; d >= 0; d--) {
        long k = Math.max(1, budget / Math.max(1, saturatingMultiply(objectBytes, product(g))));
        if (k >= counts[d]) {
          g[d] = counts[d];
          continue;
        }
        g[d] = ceilDiv(counts[d], ceilDiv(counts[d], k));
        break;
      }
      long[] block = new long[rank];
      long groups = 1;
      long reads = 1;
      for (int d = 0; d < rank; d++) {
        block[d] = g[d] * objects[d];
        long parts = ceilDiv(counts[d], g[d]);
        groups = saturatingMultiply(groups, parts);
        reads = saturatingMultiply(reads, sourceReadsAlong(shape[d], block[d], sourceChunks[d]));
      }
      return new Regions(block, groups, reads);
    }

    /** Source chunks overlapped along one dimension, summed over the regions' intervals. */
    private static long sourceReadsAlong(long extent, long block, int chunk) {
      long n = 0;
      long parts = ceilDiv(extent, block);
      if (parts > MAX_REGIONS) {
        return Long.MAX_VALUE; // too many regions to count, and to plan
      }
      for (long lo = 0; lo < extent; lo += block) {
        long hi = Math.min(extent, lo + block);
        n += (hi - 1) / chunk - lo / chunk + 1;
      }
      return Math.max(1, n);
    }
  }

  private static long sourceChunkCount(long[] shape, int[] sourceChunks) {
    long n = 1;
    for (int d = 0; d < shape.length; d++) {
      n = saturatingMultiply(n, Math.max(1, ceilDiv(shape[d], sourceChunks[d])));
    }
    return n;
  }

  private static long product(long[] values) {
    long n = 1;
    for (long v : values) {
      n = saturatingMultiply(n, v);
    }
    return n;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  private static void checkRank(String what, int[] extents, long[] shape, String path) {
    if (extents.length != shape.length) {
      throw new IllegalArgumentException(
          what
              + " "
              + Arrays.toString(extents)
              + " has "
              + extents.length
              + " dimensions but '"
              + path
              + "' has "
              + shape.length
              + " (shape "
              + Arrays.toString(shape)
              + "); give one extent per dimension");
    }
  }

  /** The fill value element as the number a write request takes. */
  static Number fillNumber(DataType type, byte[] element) {
    NdArray one = NdArray.wrap(type, new long[] {1}, element);
    return type.isFloatingPoint() ? (Number) one.getDouble(0) : (Number) one.getLong(0);
  }

  private static boolean isDefaultNames(List<String> names) {
    for (int d = 0; d < names.size(); d++) {
      if (!names.get(d).equals("dim_" + d)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Grows a block by whole multiples of itself, last dimension first, while it stays within {@code
   * budget} bytes and inside the array (rounded up to the block).
   */
  static long[] grow(long[] start, long[] shape, int elementSize, long budget) {
    long[] block = start.clone();
    for (int d = block.length - 1; d >= 0; d--) {
      long full = roundUp(shape[d], block[d]);
      long units = Math.max(1, budget / Math.max(1, bytes(block, elementSize)));
      long maxUnits = Math.max(1, full / block[d]);
      long take = Math.min(units, maxUnits);
      block[d] *= take;
      if (take < maxUnits) {
        break;
      }
    }
    return block;
  }

  /**
   * {@code box} in slices of whole source chunks within {@link #sliceBytes}, cut on the source's
   * chunk boundaries even where the box is not (a one-stage region), so no source chunk is read by
   * two slices of one box.
   */
  static List<Region.Box> slices(Region.Box box, int[] sourceChunks, int size, long memoryBytes) {
    long[] shape = box.shape();
    long[] start = clip(sourceChunks, shape);
    long budget = sliceBytes(memoryBytes);
    long[] slice = grow(start, shape, size, Math.max(bytes(start, size), budget));
    int rank = shape.length;
    List<Region.Box> out = new ArrayList<>();
    for (long s : shape) {
      if (s == 0) {
        return out;
      }
    }
    // Where a slice is narrower than the box it is a whole number of source chunks: cut at the
    // box's first source chunk boundary plus multiples of it.
    long[] base = new long[rank];
    for (int d = 0; d < rank; d++) {
      base[d] = slice[d] >= shape[d] ? box.lo()[d] : box.lo()[d] - box.lo()[d] % sourceChunks[d];
    }
    long[] lo = box.lo().clone();
    while (true) {
      long[] hi = new long[rank];
      for (int d = 0; d < rank; d++) {
        long next = base[d] + ((lo[d] - base[d]) / slice[d] + 1) * slice[d];
        hi[d] = Math.min(box.hi()[d], next);
      }
      out.add(new Region.Box(lo.clone(), hi));
      int d = rank - 1;
      while (d >= 0) {
        lo[d] = hi[d];
        if (lo[d] < box.hi()[d]) {
          break;
        }
        lo[d] = box.lo()[d];
        d--;
      }
      if (d < 0) {
        return out;
      }
    }
  }

  /**
   * A slice's decoded bytes: {@link #SLICE_BYTES}, but the {@link ChunkScatter#SLICES_IN_FLIGHT}
   * slices a task may hold at once within half of {@code memory}.
   */
  static long sliceBytes(long memory) {
    return Math.min(SLICE_BYTES, Math.max(1, memory / (2L * ChunkScatter.SLICES_IN_FLIGHT)));
  }

  /** The boxes of {@code block} tiling the array, row-major, clipped at its edge. */
  static List<Region.Box> tile(long[] shape, long[] block) {
    List<Region.Box> out = new ArrayList<>();
    for (long s : shape) {
      if (s == 0) {
        return out;
      }
    }
    int rank = shape.length;
    long[] origin = new long[rank];
    while (true) {
      long[] hi = new long[rank];
      for (int d = 0; d < rank; d++) {
        hi[d] = Math.min(shape[d], origin[d] + block[d]);
      }
      out.add(new Region.Box(origin.clone(), hi));
      int d = rank - 1;
      while (d >= 0) {
        origin[d] += block[d];
        if (origin[d] < shape[d]) {
          break;
        }
        origin[d] = 0;
        d--;
      }
      if (d < 0) {
        return out;
      }
    }
  }

  private static long[] clip(int[] extents, long[] shape) {
    long[] out = new long[extents.length];
    for (int d = 0; d < out.length; d++) {
      out[d] = clip(Math.min(extents[d], shape[d]));
    }
    return out;
  }

  private static long clip(long extent) {
    return Math.max(1, extent);
  }

  private static long roundUp(long n, long unit) {
    return ((n + unit - 1) / unit) * unit;
  }

  private static long lcm(long a, long b) {
    long x = a;
    long y = b;
    while (y != 0) {
      long t = x % y;
      x = y;
      y = t;
    }
    return saturatingMultiply(a / x, b);
  }

  static long bytes(long[] extent, int elementSize) {
    long n = elementSize;
    for (long e : extent) {
      n = saturatingMultiply(n, e);
    }
    return n;
  }

  static long saturatingMultiply(long a, long b) {
    long r = a * b;
    return a != 0 && (r / a != b || r < 0) ? Long.MAX_VALUE : r;
  }
}
