package io.arraymorph.write;

import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The commit-time stage of a write whose tasks staged {@link Fragment}s: {@link #plan} gathers
 * every committed task's {@link TaskChunks} of one dataset, refuses chunks given by more than one
 * task whole, and groups the fragmented chunks; {@link #merge} writes each fragmented chunk once,
 * from its fragments (an element given by two fragments is refused), the stored chunk for an append
 * and the fill value for elements nobody gave. Groups are independent: a Spark job merges them in
 * parallel tasks, the CLI and Java API with the store's asynchronous requests.
 */
public final class FragmentMerge {
  private FragmentMerge() {}

  /** One chunk to merge and its fragments. */
  public record ChunkFragments(long[] coords, List<Fragment> fragments) implements Serializable {
    long bytes() {
      return fragments.stream().mapToLong(Fragment::bytes).sum();
    }
  }

  /**
   * A dataset's commit: the chunks tasks wrote whole and those still to merge.
   *
   * @param complete chunks already written whole, each by one task
   * @param toMerge fragmented chunks, in row-major order of their coordinates
   */
  public record Plan(List<long[]> complete, List<ChunkFragments> toMerge) implements Serializable {
    /** Bytes of fragments to read. */
    public long fragmentBytes() {
      return toMerge.stream().mapToLong(ChunkFragments::bytes).sum();
    }

    /**
     * {@link #toMerge} cut into at most {@code n} runs of consecutive chunks of similar size:
     * consecutive chunks' fragments lie next to each other in the tasks' packs, so a group reads
     * them with few ranged requests.
     */
    public List<List<ChunkFragments>> groups(int n) {
      int count = Math.max(1, Math.min(n, toMerge.size()));
      long total = fragmentBytes();
      List<List<ChunkFragments>> out = new ArrayList<>();
      List<ChunkFragments> group = new ArrayList<>();
      long sum = 0;
      for (ChunkFragments c : toMerge) {
        group.add(c);
        sum += c.bytes();
        if (sum * count >= total * (out.size() + 1) && out.size() < count - 1) {
          out.add(group);
          group = new ArrayList<>();
        }
      }
      if (!group.isEmpty()) {
        out.add(group);
      }
      return out;
    }
  }

  /**
   * Plans the merge of one dataset from every committed task's report of it.
   *
   * @throws IllegalArgumentException naming the chunk when two tasks gave one chunk's elements and
   *     one of them gave it whole (duplicate coordinates)
   */
  public static Plan plan(DatasetWrite write, List<TaskChunks> tasks) {
    Set<ChunkAssembler.ChunkKey> whole = new HashSet<>();
    List<long[]> complete = new ArrayList<>();
    for (TaskChunks t : tasks) {
      for (long[] c : t.complete()) {
        if (!whole.add(new ChunkAssembler.ChunkKey(c))) {
          throw DuplicateCoordinates.ofChunk(write, c);
        }
        complete.add(c);
      }
    }
    Map<ChunkAssembler.ChunkKey, List<Fragment>> parts = new LinkedHashMap<>();
    for (TaskChunks t : tasks) {
      for (Fragment f : t.fragments()) {
        ChunkAssembler.ChunkKey k = new ChunkAssembler.ChunkKey(f.coords());
        if (whole.contains(k)) {
          throw DuplicateCoordinates.ofChunk(write, f.coords());
        }
        parts.computeIfAbsent(k, x -> new ArrayList<>()).add(f);
      }
    }
    List<ChunkFragments> toMerge = new ArrayList<>();
    parts.forEach((k, v) -> toMerge.add(new ChunkFragments(k.c(), List.copyOf(v))));
    toMerge.sort((a, b) -> Arrays.compare(a.coords(), b.coords()));
    return new Plan(complete, toMerge);
  }

  /**
   * Writes each chunk of {@code chunks} from its fragments, where tasks write chunks ({@link
   * DatasetWrite}'s staging prefix or final keys), with {@code maxInFlight} chunks at once.
   *
   * <p>A bounded pipeline: fragments are read in batches of about {@link #BATCH_BYTES}, and batches
   * are fetched ahead while earlier chunks are merged and put, up to {@link #READ_AHEAD_BYTES} of
   * fragments held or in flight (merging waits on reads otherwise: a batch's ranged GETs take
   * longer than merging it). Memory: that read-ahead, plus {@code maxInFlight} chunks being put.
   *
   * @return the coordinates of the chunks written
   * @throws IllegalArgumentException when two fragments give the same element
   * @throws IllegalStateException naming the pack when a fragment cannot be read (and the chunk) or
   *     is not a whole fragment of this layout
   */
  public static List<long[]> merge(
      DatasetWrite write, ObjectStore os, List<ChunkFragments> chunks, int maxInFlight) {
    return merge(write, os, chunks, maxInFlight, BATCH_BYTES, READ_AHEAD_BYTES);
  }

  /** {@link #merge} with batches of about {@code batchBytes} and {@code readAhead} bytes ahead. */
  static List<long[]> merge(
      DatasetWrite write,
      ObjectStore os,
      List<ChunkFragments> chunks,
      int maxInFlight,
      long batchBytes,
      long readAhead) {
    TaskWriter writer = write.openTask(os, maxInFlight);
    int elementSize = write.dataType().byteSize();
    AsyncLimiter reads = new AsyncLimiter(maxInFlight);
    List<long[]> written = new ArrayList<>();
    List<List<ChunkFragments>> batches = batches(chunks, batchBytes);
    List<CompletableFuture<Map<Fragment, byte[]>>> gets = new ArrayList<>();
    long ahead = 0;
    try {
      for (int n = 0; n < batches.size(); n++) {
        // Fetch ahead while the window has room (the batch to merge next always).
        while (gets.size() < batches.size()
            && (gets.size() == n || ahead + bytes(batches.get(gets.size())) <= readAhead)) {
          ahead += bytes(batches.get(gets.size()));
          gets.add(fetch(write, os, reads, batches.get(gets.size())));
        }
        Map<Fragment, byte[]> got = Futures.join(gets.get(n));
        gets.set(n, null);
        for (ChunkFragments c : batches.get(n)) {
          ChunkBuffer b = writer.buffer(c.coords());
          byte[] dest = b.bytes();
          int elements = dest.length / elementSize;
          for (Fragment f : c.fragments()) {
            FragmentCodec.Decoded d =
                FragmentCodec.decode(got.remove(f), f.key(), elementSize, elements);
            int taken = b.claimAll(d.given());
            if (taken >= 0) {
              throw DuplicateCoordinates.of(write, c.coords(), taken);
            }
            d.copyTo(dest);
          }
          writer.throttle(maxInFlight);
          writer.write(b);
          written.add(c.coords());
        }
        ahead -= bytes(batches.get(n));
      }
      writer.finish();
    } catch (RuntimeException e) {
      for (CompletableFuture<Map<Fragment, byte[]>> g : gets) {
        if (g != null) {
          g.exceptionally(x -> null).join();
        }
      }
      writer.abort();
      throw e;
    }
    return written;
  }

  /** Fragments read together: about this many bytes (one batch at least one chunk). */
  static final long BATCH_BYTES = 8L << 20;

  /**
   * The most bytes of fragments one merge holds or reads at once, beyond the batch being merged
   * when that batch alone exceeds it.
   */
  static final long READ_AHEAD_BYTES = 64L << 20;

  private static long bytes(List<ChunkFragments> batch) {
    long n = 0;
    for (ChunkFragments c : batch) {
      n += c.bytes();
    }
    return n;
  }

  private static List<List<ChunkFragments>> batches(List<ChunkFragments> chunks, long batchBytes) {
    List<List<ChunkFragments>> out = new ArrayList<>();
    List<ChunkFragments> batch = new ArrayList<>();
    long bytes = 0;
    for (ChunkFragments c : chunks) {
      if (!batch.isEmpty() && bytes + c.bytes() > batchBytes) {
        out.add(batch);
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(c);
      bytes += c.bytes();
    }
    if (!batch.isEmpty()) {
      out.add(batch);
    }
    return out;
  }

  /**
   * Reads every fragment of a batch, one {@link ObjectStore#getRanges} per pack (so fragments lying
   * close together share a request, as {@link io.arraymorph.store.RangeGroups} groups them).
   */
  private static CompletableFuture<Map<Fragment, byte[]>> fetch(
      DatasetWrite write, ObjectStore os, AsyncLimiter reads, List<ChunkFragments> batch) {
    Map<String, List<Fragment>> byPack = new LinkedHashMap<>();
    for (ChunkFragments c : batch) {
      for (Fragment f : c.fragments()) {
        byPack.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
      }
    }
    Map<Fragment, byte[]> out = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    byPack.forEach(
        (pack, fs) -> {
          long[] offsets = new long[fs.size()];
          int[] lengths = new int[fs.size()];
          for (int i = 0; i < offsets.length; i++) {
            offsets[i] = fs.get(i).offset();
            lengths[i] = Math.toIntExact(fs.get(i).bytes());
          }
          all.add(
              reads
                  .submit(
                      () ->
                          // A short read leaves a truncated fragment, which decoding refuses.
                          os.getRanges(
                              pack,
                              offsets,
                              lengths,
                              (i, bytes, n) -> out.put(fs.get(i), Arrays.copyOf(bytes, n))))
                  .exceptionally(x -> unreadable(write, pack, fs.get(0), x)));
        });
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> out);
  }

  /** Fails a ranged read of a pack, naming the pack and the first fragment's chunk. */
  private static Void unreadable(DatasetWrite write, String pack, Fragment first, Throwable x) {
    Throwable cause = Futures.unwrap(x);
    throw new IllegalStateException(
        "Cannot read the staged fragments of dataset '"
            + write.path()
            + "' in '"
            + pack
            + "' (from chunk "
            + text(first.coords())
            + " on): "
            + cause.getMessage(),
        cause);
  }

  /** The chunks a plan publishes: those written whole and those merged. */
  public static List<long[]> published(Plan plan, List<long[]> merged) {
    List<long[]> all = new ArrayList<>(plan.complete());
    all.addAll(merged);
    return all;
  }

  /** Chunk coordinates as text, for messages. */
  static String text(long[] coords) {
    return Arrays.toString(coords);
  }
}
