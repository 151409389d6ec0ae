package io.arraymorph.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChunkFetchLoopTest {
  private static final int FILL = -7;
  private final ScheduledExecutorService completer = Executors.newScheduledThreadPool(3);

  /** Fetches in flight across every source of a test, and the most seen at once. */
  private final AtomicInteger inFlight = new AtomicInteger();

  private final AtomicInteger maxSeen = new AtomicInteger();

  @AfterEach
  void stop() {
    completer.shutdownNow();
  }

  /**
   * A 16 x 16 int32 array in 4 x 4 chunks whose element (i, j) is {@code i * 100 + j}, except chunk
   * (1, 2), never written; each fetch completes after a short delay and counts as in flight until
   * then.
   */
  private final class SlowSource implements ChunkSource {
    final ChunkGrid grid = new ChunkGrid(new long[] {16, 16}, new int[] {4, 4});
    final AtomicInteger fetches = new AtomicInteger();

    @Override
    public ChunkGrid grid() {
      return grid;
    }

    @Override
    public DataType dataType() {
      return DataType.INT32;
    }

    @Override
    public byte[] fillValue() {
      return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(FILL).array();
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // the scheduled task completes the future
    public CompletableFuture<byte[]> readChunk(long[] c) {
      fetches.incrementAndGet();
      maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<byte[]> f = new CompletableFuture<>();
      completer.schedule(
          () -> {
            inFlight.decrementAndGet();
            if (c[0] == 1 && c[1] == 2) {
              f.complete(null);
              return;
            }
            ByteBuffer b = ByteBuffer.allocate(16 * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 4; i++) {
              for (int j = 0; j < 4; j++) {
                b.putInt((int) ((c[0] * 4 + i) * 100 + c[1] * 4 + j));
              }
            }
            f.complete(b.array());
          },
          1,
          TimeUnit.MILLISECONDS);
      return f;
    }
  }

  private static int expected(long i, long j) {
    return i / 4 == 1 && j / 4 == 2 ? FILL : (int) (i * 100 + j);
  }

  @Test
  void aRegionReadHasEveryValueWithFillForUnwrittenChunksAndStaysWithinTheBound() {
    SlowSource src = new SlowSource();
    NdArray out =
        new ChunkFetchLoop(3)
            .read(src, Hyperslab.box(new long[] {2, 3}, new long[] {13, 12}))
            .join();
    assertArrayEquals(new long[] {13, 12}, out.shape());
    for (long i = 0; i < 13; i++) {
      for (long j = 0; j < 12; j++) {
        assertEquals(
            expected(i + 2, j + 3), out.getInt(i, j), "element " + (i + 2) + "," + (j + 3));
      }
    }
    assertEquals(16, src.fetches.get(), "each overlapping chunk fetched once");
    assertEquals(3, maxSeen.get(), "the bound is reached but never passed");
  }

  @Test
  void chunkFetchesAndRegionReadsOfOneLoopShareOneBound() {
    SlowSource onGrid = new SlowSource();
    SlowSource offGrid = new SlowSource();
    ChunkFetchLoop loop = new ChunkFetchLoop(4);
    List<CompletableFuture<?>> all = new ArrayList<>();
    onGrid.grid.forEachChunk(c -> all.add(loop.fetch(onGrid, c, null)));
    for (int r = 0; r < 3; r++) {
      all.add(loop.read(offGrid, Hyperslab.all(new long[] {16, 16})));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    assertEquals(4, maxSeen.get(), "one bound over chunk fetches and region reads together");
    assertEquals(16 + 3 * 16, onGrid.fetches.get() + offGrid.fetches.get());
  }

  @Test
  void aChunkNeverWrittenIsTheFillChunk() {
    SlowSource src = new SlowSource();
    byte[] fill = new ChunkFetchLoop(2).fetch(src, new long[] {1, 2}, null).join();
    int[] values = new int[16];
    ByteBuffer.wrap(fill).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
    int[] want = new int[16];
    Arrays.fill(want, FILL);
    assertArrayEquals(want, values);
    byte[] written = new ChunkFetchLoop(2).fetch(src, new long[] {0, 1}, null).join();
    assertEquals(4, ByteBuffer.wrap(written).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
  }

  /**
   * {@link SlowSource}'s chunks read together: each {@link ChunkSource#readChunks} call returns
   * only the elements from each selection's first to its last (its chunk's {@link ChunkPart}), null
   * for the chunk never written; reading a chunk alone fails, so a region read must batch.
   */
  private final class PartSource implements ChunkSource {
    final SlowSource chunks = new SlowSource();
    final List<Integer> batches = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public ChunkGrid grid() {
      return chunks.grid();
    }

    @Override
    public DataType dataType() {
      return chunks.dataType();
    }

    @Override
    public byte[] fillValue() {
      return chunks.fillValue();
    }

    @Override
    public CompletableFuture<byte[]> readChunk(long[] c) {
      throw new AssertionError("chunk " + Arrays.toString(c) + " read alone");
    }

    @Override
    public boolean readsChunksTogether() {
      return true;
    }

    @Override
    public List<CompletableFuture<ChunkPart>> readChunks(
        List<long[]> coords, List<io.arraymorph.array.ChunkSelection> needed) {
      batches.add(coords.size());
      List<CompletableFuture<ChunkPart>> out = new ArrayList<>();
      for (int i = 0; i < coords.size(); i++) {
        long[] range = needed.get(i).elementRange(grid().chunkShape());
        out.add(
            chunks
                .readChunk(coords.get(i))
                .thenApply(
                    whole ->
                        whole == null
                            ? null
                            : new ChunkPart(
                                Arrays.copyOfRange(whole, (int) range[0] * 4, (int) range[1] * 4),
                                range[0])));
      }
      return out;
    }
  }

  @Test
  void aSourceThatReadsChunksTogetherIsReadInBatchesOfPartsWithEveryValueAndFill() {
    PartSource src = new PartSource();
    NdArray box =
        new ChunkFetchLoop(3)
            .read(src, Hyperslab.box(new long[] {2, 3}, new long[] {13, 12}))
            .join();
    for (long i = 0; i < 13; i++) {
      for (long j = 0; j < 12; j++) {
        assertEquals(
            expected(i + 2, j + 3), box.getInt(i, j), "element " + (i + 2) + "," + (j + 3));
      }
    }
    // 16 chunks of 64 bytes: one batch (at most 16 chunks a batch).
    assertEquals(List.of(16), src.batches);
    // One column through a column of chunks: each part starts at the chunk's element 3, one chunk
    // was never written.
    src.batches.clear();
    NdArray column =
        new ChunkFetchLoop(2)
            .read(src, Hyperslab.box(new long[] {0, 11}, new long[] {16, 1}))
            .join();
    for (long i = 0; i < 16; i++) {
      assertEquals(expected(i, 11), column.getInt(i, 0), "element " + i + ",11");
    }
    assertEquals(List.of(4), src.batches);
  }
}
