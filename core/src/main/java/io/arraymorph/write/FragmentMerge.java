package io.arraymorph.write;

import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

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
   * @param toMerge fragmented chunks, largest first
   */
  public record Plan(List<long[]> complete, List<ChunkFragments> toMerge) implements Serializable {
    /** Bytes of fragments to read. */
    public long fragmentBytes() {
      return toMerge.stream().mapToLong(ChunkFragments::bytes).sum();
    }

    /** {@link #toMerge} dealt into at most {@code n} groups of similar size. */
    public List<List<ChunkFragments>> groups(int n) {
      int count = Math.max(1, Math.min(n, toMerge.size()));
      List<List<ChunkFragments>> out = new ArrayList<>();
      long[] sizes = new long[count];
      for (int g = 0; g < count; g++) {
        out.add(new ArrayList<>());
      }
      for (ChunkFragments c : toMerge) {
        int smallest = 0;
        for (int g = 1; g < count; g++) {
          if (sizes[g] < sizes[smallest]) {
            smallest = g;
          }
        }
        out.get(smallest).add(c);
        sizes[smallest] += c.bytes();
      }
      out.removeIf(List::isEmpty);
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
    toMerge.sort(Comparator.comparingLong(ChunkFragments::bytes).reversed());
    return new Plan(complete, toMerge);
  }

  /**
   * Writes each chunk of {@code chunks} from its fragments, where tasks write chunks ({@link
   * DatasetWrite}'s staging prefix or final keys), with {@code maxInFlight} chunks at once.
   *
   * @return the coordinates of the chunks written
   * @throws IllegalArgumentException when two fragments give the same element
   */
  public static List<long[]> merge(
      DatasetWrite write, ObjectStore os, List<ChunkFragments> chunks, int maxInFlight) {
    TaskWriter writer = write.openTask(os, maxInFlight);
    int elementSize = write.dataType().byteSize();
    AsyncLimiter reads = new AsyncLimiter(maxInFlight);
    List<long[]> written = new ArrayList<>();
    // Fragments of the next few chunks are fetched while one is decoded (bounded read-ahead).
    int ahead = Math.max(2, maxInFlight / 4);
    List<List<CompletableFuture<byte[]>>> gets = new ArrayList<>();
    try {
      for (int n = 0; n < chunks.size(); n++) {
        while (gets.size() < Math.min(chunks.size(), n + ahead)) {
          List<CompletableFuture<byte[]>> g = new ArrayList<>();
          for (Fragment f : chunks.get(gets.size()).fragments()) {
            g.add(reads.submit(() -> os.getRange(f.key(), f.offset(), Math.toIntExact(f.bytes()))));
          }
          gets.add(g);
        }
        ChunkFragments c = chunks.get(n);
        ChunkBuffer b = writer.buffer(c.coords());
        byte[] dest = b.bytes();
        int elements = dest.length / elementSize;
        for (int i = 0; i < c.fragments().size(); i++) {
          Fragment f = c.fragments().get(i);
          FragmentCodec.decode(
              Futures.join(gets.get(n).get(i)),
              f.key(),
              elementSize,
              elements,
              (flat, src, off) -> {
                if (!b.claim(flat)) {
                  throw DuplicateCoordinates.of(write, c.coords(), flat);
                }
                System.arraycopy(src, off, dest, flat * elementSize, elementSize);
              });
        }
        gets.set(n, null);
        writer.throttle(maxInFlight);
        writer.write(b);
        written.add(c.coords());
      }
      writer.finish();
    } catch (RuntimeException e) {
      for (List<CompletableFuture<byte[]>> g : gets) {
        if (g != null) {
          g.forEach(f -> f.exceptionally(x -> null).join());
        }
      }
      writer.abort();
      throw e;
    }
    return written;
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
