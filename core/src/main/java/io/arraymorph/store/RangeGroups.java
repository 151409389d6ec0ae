package io.arraymorph.store;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Reads nearby byte ranges of one object with one request per group, for stores that pay per
 * request (S3, Azure, Hadoop): ranges at most {@link #MAX_GAP} bytes apart join a group of at most
 * {@link #MAX_GROUP} bytes. The chunks of one granule usually lie next to each other in its file,
 * so a manifest's point series reads each granule with one GET rather than one per chunk.
 */
public final class RangeGroups {
  /** Bytes between two ranges read and dropped rather than paying another request. */
  public static final int MAX_GAP = 64 * 1024;

  /** Most bytes one grouped request reads. */
  public static final int MAX_GROUP = 8 << 20;

  private RangeGroups() {}

  /** One request for {@code length} bytes at {@code offset}. */
  @FunctionalInterface
  public interface Get {
    /** Reads the range (fewer bytes past the object's end). */
    CompletableFuture<byte[]> get(long offset, int length);
  }

  /** How many requests {@link #read} makes for these ranges. */
  public static int requests(long[] offsets, int[] lengths) {
    return groupStarts(order(offsets), offsets, lengths).length - 1;
  }

  /**
   * Reads the ranges, one {@code get} per group, and hands each range to {@code reader} (a range
   * alone in its group gets the store's array itself; grouped ranges get a copy of their part).
   */
  public static CompletableFuture<Void> read(
      long[] offsets, int[] lengths, ObjectStore.RangeReader reader, Get get) {
    Integer[] order = order(offsets);
    int[] starts = groupStarts(order, offsets, lengths);
    CompletableFuture<?>[] parts = new CompletableFuture<?>[starts.length - 1];
    for (int g = 0; g + 1 < starts.length; g++) {
      int from = starts[g];
      int to = starts[g + 1];
      if (to - from == 1) {
        int index = order[from];
        parts[g] =
            get.get(offsets[index], lengths[index])
                .thenAccept(bytes -> reader.read(index, bytes, bytes.length));
        continue;
      }
      long first = offsets[order[from]];
      long end = first;
      for (int k = from; k < to; k++) {
        end = Math.max(end, offsets[order[k]] + lengths[order[k]]);
      }
      parts[g] =
          get.get(first, Math.toIntExact(end - first))
              .thenAccept(
                  bytes -> {
                    for (int k = from; k < to; k++) {
                      int index = order[k];
                      int at = Math.toIntExact(offsets[index] - first);
                      int length = Math.max(0, Math.min(lengths[index], bytes.length - at));
                      byte[] part =
                          length == 0 ? new byte[0] : Arrays.copyOfRange(bytes, at, at + length);
                      reader.read(index, part, length);
                    }
                  });
    }
    return CompletableFuture.allOf(parts);
  }

  private static Integer[] order(long[] offsets) {
    Integer[] order = new Integer[offsets.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(offsets[a], offsets[b]));
    return order;
  }

  /** Positions in {@code order} where each group starts, then {@code order.length}. */
  private static int[] groupStarts(Integer[] order, long[] offsets, int[] lengths) {
    int[] starts = new int[order.length + 1];
    int groups = 0;
    long first = 0;
    long end = 0;
    for (int k = 0; k < order.length; k++) {
      long off = offsets[order[k]];
      long stop = off + lengths[order[k]];
      boolean joins = k > 0 && off - end <= MAX_GAP && Math.max(end, stop) - first <= MAX_GROUP;
      if (!joins) {
        starts[groups++] = k;
        first = off;
        end = stop;
      } else {
        end = Math.max(end, stop);
      }
    }
    starts[groups] = order.length;
    return Arrays.copyOf(starts, groups + 1);
  }
}
