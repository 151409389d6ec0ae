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

/**
 * Plans a rechunk on the driver: reads the source's metadata once, checks the request (before
 * anything is written), plans the target's write and chooses the source reads.
 */
public final class RechunkPlanner {
  /** Reads a plan aims at, when the array is large enough, so that work spreads over threads. */
  static final int MIN_READS = 16;

  /** Decoded bytes a read task cuts at once (see {@link RechunkPlan#slices}). */
  static final long SLICE_BYTES = 4L << 20;

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
    boolean direct = bytes(aligned, size) <= half;
    long[] start = direct ? aligned : clip(sourceChunks, shape);
    // Reads grow within the budget, but not past 1/MIN_READS of the array: threads and executors
    // need several reads to work on at once.
    long perRead = Math.max(bytes(start, size), Math.min(half, bytes(shape, size) / MIN_READS));
    long[] block = grow(start, shape, size, perRead);
    return new RechunkPlan(
        request, job, ref, shape, type, sourceChunks, planned, direct, tile(shape, block));
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
   * {@code box} in slices of whole source chunks within {@link #SLICE_BYTES} (or half the memory).
   */
  static List<Region.Box> slices(Region.Box box, int[] sourceChunks, int size, long memoryBytes) {
    long[] shape = box.shape();
    long[] start = clip(sourceChunks, shape);
    long budget = Math.min(SLICE_BYTES, Math.max(1, memoryBytes / 2));
    long[] slice = grow(start, shape, size, Math.max(bytes(start, size), budget));
    List<Region.Box> out = new ArrayList<>();
    for (Region.Box s : tile(shape, slice)) {
      long[] lo = s.lo().clone();
      long[] hi = s.hi().clone();
      for (int d = 0; d < lo.length; d++) {
        lo[d] += box.lo()[d];
        hi[d] += box.lo()[d];
      }
      out.add(new Region.Box(lo, hi));
    }
    return out;
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
