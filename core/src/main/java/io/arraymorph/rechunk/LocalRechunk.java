package io.arraymorph.rechunk;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.NdArray;
import io.arraymorph.scan.Region;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Runs a rechunk plan on local threads (the command-line tool's {@code rechunk}). Plans that move
 * nothing (direct and one-stage) read and write box by box. Otherwise blocks are moved through
 * in-process queues, one per group of target chunks: in memory when the whole array fits in {@code
 * rechunk_memory}, else spilled to files in a temporary directory (deleted afterwards); then each
 * group is assembled and written.
 *
 * <p>Memory: each thread holds at most one source read and its blocks, one group of target chunks,
 * or (one stage) its region's target chunks and one slice, each within {@code rechunk_memory} (a
 * single larger target chunk is still held whole).
 */
public final class LocalRechunk implements RechunkJob.Runner {
  private final ArrayStore source;
  private final ArrayStore target;
  private final int threads;
  private final int maxInFlight;

  public LocalRechunk(ArrayStore source, ArrayStore target, int threads, int maxInFlight) {
    this.source = source;
    this.target = target;
    this.threads = Math.max(1, threads);
    this.maxInFlight = maxInFlight;
  }

  @Override
  public int parallelism() {
    return threads;
  }

  @Override
  public List<long[]> run(RechunkPlan plan) {
    List<Region.Box> boxes = plan.readBoxes();
    if (plan.direct()) {
      Dataset in = source.dataset(plan.sourceRef());
      return parallel(
          boxes.size(), i -> RechunkTasks.writeRegion(in, target, plan, boxes.get(i), maxInFlight));
    }
    long memory = plan.request().memoryBytes();
    long perGroup = Math.max(1, memory / Math.max(1, plan.targetChunkBytes()));
    long objects = plan.targetGrid().chunkCount();
    int groups = Math.toIntExact((objects + perGroup - 1) / perGroup);
    try (BlockQueues queues =
        plan.arrayBytes() <= memory ? new MemoryQueues(groups) : new SpillQueues(groups)) {
      parallel(
          boxes.size(),
          i -> {
            Region.Box box = boxes.get(i);
            NdArray data = RechunkTasks.read(source, plan, box);
            List<Block> blocks = BlockCutter.cut(plan, box, data);
            for (Block b : blocks) {
              queues.add((int) (b.target() / perGroup), b);
            }
            return List.of();
          });
      return parallel(
          groups,
          g -> {
            List<Block> blocks = queues.drain(g);
            blocks.sort(Comparator.comparingLong(Block::target));
            return RechunkTasks.assemble(target, plan, blocks, maxInFlight);
          });
    }
  }

  /** Runs {@code count} tasks on the threads; the first failure cancels the rest and is thrown. */
  private List<long[]> parallel(int count, IntFunction<List<long[]>> task) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, Math.max(1, count)));
    try {
      List<Future<List<long[]>>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> task.apply(index)));
      }
      List<long[]> out = new ArrayList<>();
      for (Future<List<long[]>> f : futures) {
        out.addAll(f.get());
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Rechunk interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Blocks on their way to the group of target chunks that assembles them. */
  private interface BlockQueues extends AutoCloseable {
    void add(int group, Block block);

    /** Every block of a group, once all were added. */
    List<Block> drain(int group);

    @Override
    void close();
  }

  private static final class MemoryQueues implements BlockQueues {
    private final List<List<Block>> groups = new ArrayList<>();

    MemoryQueues(int count) {
      for (int g = 0; g < count; g++) {
        groups.add(new ArrayList<>());
      }
    }

    @Override
    public void add(int group, Block block) {
      List<Block> q = groups.get(group);
      synchronized (q) {
        q.add(block);
      }
    }

    @Override
    public List<Block> drain(int group) {
      List<Block> q = groups.get(group);
      synchronized (q) {
        List<Block> out = new ArrayList<>(q);
        q.clear();
        return out;
      }
    }

    @Override
    public void close() {}
  }

  /** One file per group in a temporary directory, appended under the group's lock. */
  private static final class SpillQueues implements BlockQueues {
    private final Path dir;
    private final Object[] locks;

    SpillQueues(int count) {
      try {
        dir = Files.createTempDirectory("arraymorph-rechunk-");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a spill directory for the rechunk", e);
      }
      locks = new Object[count];
      for (int g = 0; g < count; g++) {
        locks[g] = new Object();
      }
    }

    private Path file(int group) {
      return dir.resolve(group + ".blocks");
    }

    @Override
    public void add(int group, Block block) {
      synchronized (locks[group]) {
        try (DataOutputStream out =
            new DataOutputStream(
                new BufferedOutputStream(
                    Files.newOutputStream(
                        file(group), StandardOpenOption.CREATE, StandardOpenOption.APPEND)))) {
          out.writeLong(block.target());
          out.writeInt(block.lo().length);
          for (int d = 0; d < block.lo().length; d++) {
            out.writeInt(block.lo()[d]);
            out.writeInt(block.hi()[d]);
          }
          out.writeInt(block.values().length);
          out.write(block.values());
        } catch (IOException e) {
          throw new UncheckedIOException("Cannot spill rechunk blocks to " + file(group), e);
        }
      }
    }

    @Override
    public List<Block> drain(int group) {
      List<Block> out = new ArrayList<>();
      Path f = file(group);
      if (!Files.exists(f)) {
        return out;
      }
      try (DataInputStream in =
          new DataInputStream(new BufferedInputStream(Files.newInputStream(f)))) {
        while (true) {
          long target;
          try {
            target = in.readLong();
          } catch (EOFException end) {
            break;
          }
          int rank = in.readInt();
          int[] lo = new int[rank];
          int[] hi = new int[rank];
          for (int d = 0; d < rank; d++) {
            lo[d] = in.readInt();
            hi[d] = in.readInt();
          }
          byte[] values = new byte[in.readInt()];
          in.readFully(values);
          out.add(new Block(target, lo, hi, values));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read spilled rechunk blocks from " + f, e);
      }
      try {
        Files.delete(f);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + f, e);
      }
      return out;
    }

    @Override
    public void close() {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete the rechunk spill directory " + dir, e);
      }
    }
  }
}
