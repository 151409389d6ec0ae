package io.arraymorph.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Core's order-free write path without Spark, on the memory store: tasks give elements in any
 * order, whole chunks are written at once, partial ones staged as fragments and merged at commit;
 * every value read back through the public API equals the value generated.
 */
class ChunkAssemblerTest {
  private static final Duration LEASE = Duration.ofMinutes(1);
  private static final int N = 20;
  private static final int C = 6;

  private final MemoryObjectStore os = new MemoryObjectStore();
  private final ArrayStore store = ArrayStore.on(os, 4);

  private static double value(long i, long j) {
    return i * 1000 + j + 0.5;
  }

  private static WriteRequest create(String path, long[] shape) {
    return create(path, shape, C);
  }

  private static WriteRequest create(String path, long[] shape, int chunk) {
    return new WriteRequest(
        path,
        WriteMode.CREATE,
        2,
        DataType.FLOAT64,
        ArraySpec.Compression.GZIP,
        -1,
        Double.NaN,
        new int[] {chunk, chunk},
        shape,
        List.of("i", "j"),
        null);
  }

  /** Every cell of the N x N array, in row-major order. */
  private static List<long[]> cells() {
    List<long[]> out = new ArrayList<>();
    for (long i = 0; i < N; i++) {
      for (long j = 0; j < N; j++) {
        out.add(new long[] {i, j});
      }
    }
    return out;
  }

  /** The tasks' reports, after each task gave its cells. */
  private record Job(DatasetWrite write, List<TaskChunks> tasks) {}

  private Job run(WriteRequest request, List<List<long[]>> tasks, long budget) {
    DatasetWrite w = DatasetWrite.plan(store, "job", request);
    w.lock(os, LEASE);
    List<TaskChunks> reports = new ArrayList<>();
    for (List<long[]> cells : tasks) {
      ChunkAssembler a = new ChunkAssembler(w, os, budget, 4);
      for (long[] c : cells) {
        a.setDouble(c, value(c[0], c[1]));
      }
      reports.add(a.finish());
    }
    return new Job(w, reports);
  }

  private void commit(Job job) {
    try {
      FragmentMerge.Plan plan = FragmentMerge.plan(job.write(), job.tasks());
      List<long[]> merged = FragmentMerge.merge(job.write(), os, plan.toMerge(), 4);
      long[] max = {-1, -1};
      for (long[] c : FragmentMerge.published(plan, merged)) {
        for (int d = 0; d < 2; d++) {
          max[d] = Math.max(max[d], Math.min(N - 1, (c[d] + 1) * C - 1));
        }
      }
      job.write().publish(store, FragmentMerge.published(plan, merged), max);
    } finally {
      DatasetWrite.cleanStaging(os, "job");
      job.write().release();
    }
  }

  private void assertEveryValue(String path) {
    double[] got = store.dataset(path).read().toDoubleArray();
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < N; j++) {
        assertEquals(value(i, j), got[i * N + j], "cell (" + i + ", " + j + ")");
      }
    }
  }

  private boolean stagingEmpty() {
    return Futures.join(os.list(DatasetWrite.STAGING_ROOT + "/")).isEmpty();
  }

  private static List<List<long[]>> deal(List<long[]> cells, int tasks) {
    List<List<long[]>> out = new ArrayList<>();
    for (int t = 0; t < tasks; t++) {
      out.add(new ArrayList<>());
    }
    for (int k = 0; k < cells.size(); k++) {
      out.get(k % tasks).add(cells.get(k));
    }
    return out;
  }

  @Test
  void orderedCellsWriteEveryChunkWholeWithoutFragments() {
    Job job = run(create("v", new long[] {N, N}), List.of(cells()), 4 * (C * C * 9L));
    assertEquals(16, job.tasks().get(0).complete().size());
    assertTrue(job.tasks().get(0).fragments().isEmpty());
    commit(job);
    assertEveryValue("v");
    assertTrue(stagingEmpty());
  }

  @Test
  void randomOrderAcrossTasksStagesFragmentsAndMergesEveryValue() {
    List<long[]> cells = cells();
    Collections.shuffle(cells, new Random(7));
    Job job = run(create("v", new long[] {N, N}), deal(cells, 3), Long.MAX_VALUE);
    assertTrue(job.tasks().stream().allMatch(t -> !t.fragments().isEmpty()));
    commit(job);
    assertEveryValue("v");
    assertTrue(stagingEmpty());
  }

  @Test
  void budgetExceededSpillsFragmentsAndKeepsPeakWithinBudget() {
    List<long[]> cells = cells();
    Collections.shuffle(cells, new Random(11));
    long oneBuffer = C * C * 8L + (C * C + 7) / 8;
    Job job = run(create("v", new long[] {N, N}), List.of(cells), 3 * oneBuffer);
    TaskChunks t = job.tasks().get(0);
    assertTrue(t.fragments().size() > 16, "fragments: " + t.fragments().size());
    assertTrue(t.peakBufferedBytes() <= 3 * oneBuffer, "peak " + t.peakBufferedBytes());
    commit(job);
    assertEveryValue("v");
  }

  @Test
  void fragmentsStagedTogetherShareOnePackObjectReadBackByRange() {
    List<long[]> cells = cells();
    Collections.shuffle(cells, new Random(5));
    Job job = run(create("v", new long[] {N, N}), deal(cells, 3), Long.MAX_VALUE);
    long fragments = job.tasks().stream().mapToLong(t -> t.fragments().size()).sum();
    List<ObjectInfo> staged = Futures.join(os.list(DatasetWrite.STAGING_ROOT + "/"));
    // Each task staged its partial chunks at finish: one pack object per task.
    assertTrue(fragments > 30, "fragments: " + fragments);
    assertEquals(3, staged.size(), staged.toString());
    commit(job);
    assertEveryValue("v");
    assertTrue(stagingEmpty());
  }

  @Test
  void mergeGroupsAreRunsOfConsecutiveChunksCoveringEveryFragmentedChunkOnce() {
    List<long[]> cells = cells();
    Collections.shuffle(cells, new Random(9));
    Job job = run(create("v", new long[] {N, N}), deal(cells, 2), Long.MAX_VALUE);
    FragmentMerge.Plan plan = FragmentMerge.plan(job.write(), job.tasks());
    List<FragmentMerge.ChunkFragments> order = new ArrayList<>();
    for (List<FragmentMerge.ChunkFragments> g : plan.groups(3)) {
      order.addAll(g);
    }
    assertEquals(3, plan.groups(3).size());
    assertEquals(plan.toMerge(), order);
    for (int k = 1; k < order.size(); k++) {
      assertTrue(
          java.util.Arrays.compare(order.get(k - 1).coords(), order.get(k).coords()) < 0,
          "row-major order at " + k);
    }
    commit(job);
    assertEveryValue("v");
  }

  @Test
  void aTruncatedPackIsRefusedNamingItAndNothingIsPublished() {
    List<long[]> cells = cells();
    Collections.shuffle(cells, new Random(13));
    Job job = run(create("v", new long[] {N, N}), deal(cells, 2), Long.MAX_VALUE);
    ObjectInfo pack = Futures.join(os.list(DatasetWrite.STAGING_ROOT + "/")).get(0);
    byte[] bytes = Futures.join(os.get(pack.key()));
    Futures.join(os.put(pack.key(), java.util.Arrays.copyOf(bytes, bytes.length - 100)));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> commit(job));
    assertTrue(e.getMessage().contains("is truncated; run the write again"), e.getMessage());
    assertTrue(e.getMessage().contains(pack.key()), e.getMessage());
    assertFalse(store.exists("v"));
  }

  @Test
  void unknownShapeEdgeChunksAreMergedFromFragments() {
    Job job = run(create("v", null), List.of(cells()), Long.MAX_VALUE);
    // 20 = 3 * 6 + 2: the last row and column of chunks are never whole while the shape may grow.
    assertEquals(9, job.tasks().get(0).complete().size());
    assertEquals(7, job.tasks().get(0).fragments().size());
    commit(job);
    assertEquals(List.of((long) N, (long) N), asList(store.dataset("v").shape()));
    assertEveryValue("v");
  }

  private static List<Long> asList(long[] a) {
    List<Long> out = new ArrayList<>();
    for (long x : a) {
      out.add(x);
    }
    return out;
  }

  @Test
  void appendFromFragmentsKeepsStoredValuesAndFillInGaps() {
    Dataset ds =
        store.createDataset(
            "v",
            ArraySpec.of(DataType.FLOAT64, 8, 8)
                .chunks(C, C)
                .compression(ArraySpec.Compression.GZIP)
                .fillValue(Double.NaN));
    double[] stored = new double[64];
    for (int e = 0; e < 64; e++) {
      stored[e] = -e;
    }
    ds.write(new long[] {0, 0}, NdArray.of(stored, 8, 8));
    // Two tasks give the even cells of rows 4..9 (growing the shape to 10 x 8).
    List<long[]> given = new ArrayList<>();
    for (long i = 4; i < 10; i++) {
      for (long j = 0; j < 8; j += 2) {
        given.add(new long[] {i, j});
      }
    }
    WriteRequest append =
        new WriteRequest("v", WriteMode.APPEND, 2, null, null, -1, null, null, null, null, null);
    Job job = run(append, deal(given, 2), Long.MAX_VALUE);
    FragmentMerge.Plan plan = FragmentMerge.plan(job.write(), job.tasks());
    List<long[]> merged = FragmentMerge.merge(job.write(), os, plan.toMerge(), 4);
    job.write().publish(store, FragmentMerge.published(plan, merged), new long[] {9, 6});
    DatasetWrite.cleanStaging(os, "job");
    job.write().release();

    Dataset after = store.dataset("v");
    assertEquals(List.of(10L, 8L), asList(after.shape()));
    double[] got = after.read().toDoubleArray();
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 8; j++) {
        double want = i >= 4 && j % 2 == 0 ? value(i, j) : i < 8 ? -(i * 8 + j) : Double.NaN;
        assertEquals(want, got[i * 8 + j], "cell (" + i + ", " + j + ")");
      }
    }
    assertTrue(stagingEmpty());
  }

  @Test
  void runsCrossingChunksFromTwoTasksInRandomOrderWriteEveryValue() {
    DatasetWrite w = DatasetWrite.plan(store, "job", create("v", new long[] {N, N}));
    w.lock(os, LEASE);
    // Each row in runs of 7 (crossing the chunk edge at 6, 12, 18), the runs dealt in random
    // order to two tasks with a budget of two buffers, so that runs land in fragments too.
    List<long[]> runs = new ArrayList<>();
    for (long i = 0; i < N; i++) {
      for (long j = 0; j < N; j += 7) {
        runs.add(new long[] {i, j, Math.min(7, N - j)});
      }
    }
    Collections.shuffle(runs, new Random(3));
    long oneBuffer = C * C * 8L + (C * C + 7) / 8;
    List<TaskChunks> reports = new ArrayList<>();
    for (List<long[]> task : deal(runs, 2)) {
      ChunkAssembler a = new ChunkAssembler(w, os, 2 * oneBuffer, 4);
      for (long[] r : task) {
        double[] values = new double[(int) r[2]];
        for (int k = 0; k < values.length; k++) {
          values[k] = value(r[0], r[1] + k);
        }
        a.setDoubles(new long[] {r[0], r[1]}, values, values.length);
      }
      reports.add(a.finish());
    }
    commit(new Job(w, reports));
    assertEveryValue("v");
    assertTrue(stagingEmpty());
  }

  @Test
  void aRunOverlappingElementsGivenBeforeIsRefusedNamingTheFirstDuplicate() {
    DatasetWrite w = DatasetWrite.plan(store, "job", create("v", new long[] {N, N}));
    ChunkAssembler a = new ChunkAssembler(w, os, Long.MAX_VALUE, 4);
    a.setDouble(new long[] {2, 9}, 1);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> a.setLongs(new long[] {2, 4}, new long[] {1, 2, 3, 4, 5, 6, 7}, 7));
    assertTrue(e.getMessage().contains("Duplicate coordinates (i=2, j=9)"), e.getMessage());
  }

  @Test
  void powerOfTwoChunksInRandomOrderWithinATightBudgetWriteEveryValue() {
    // Chunks of 4 x 4 are found by shifts; 20 x 20 has a 5 x 5 grid of them.
    List<long[]> cells = cells();
    Collections.shuffle(cells, new Random(13));
    long oneBuffer = 4 * 4 * 8L + 2;
    Job job = run(create("v", new long[] {N, N}, 4), deal(cells, 3), 4 * oneBuffer);
    assertTrue(job.tasks().stream().allMatch(t -> t.peakBufferedBytes() <= 4 * oneBuffer));
    assertTrue(job.tasks().stream().allMatch(t -> t.fragments().size() > 25));
    commit(job);
    assertEveryValue("v");
    assertTrue(stagingEmpty());
  }

  @Test
  void anIndexOutsideTheFixedShapeIsRefusedNamingItAndTheShape() {
    DatasetWrite w = DatasetWrite.plan(store, "job", create("v", new long[] {N, N}));
    ChunkAssembler a = new ChunkAssembler(w, os, Long.MAX_VALUE, 4);
    a.setDouble(new long[] {3, 4}, 1);
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> a.setDouble(new long[] {3, N + 4}, 2));
    assertTrue(e.getMessage().contains("[3, 24] lies outside the shape [20, 20]"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> a.setDouble(new long[] {-1, 0}, 2));
  }

  @Test
  void duplicateWithinATaskIsRefusedNamingTheCoordinates() {
    DatasetWrite w = DatasetWrite.plan(store, "job", create("v", new long[] {N, N}));
    ChunkAssembler a = new ChunkAssembler(w, os, Long.MAX_VALUE, 4);
    a.setDouble(new long[] {3, 4}, 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.setDouble(new long[] {3, 4}, 2));
    assertTrue(e.getMessage().contains("Duplicate coordinates (i=3, j=4)"), e.getMessage());
  }

  @Test
  void duplicateOfAChunkTheTaskWroteWholeIsRefused() {
    DatasetWrite w = DatasetWrite.plan(store, "job", create("v", new long[] {N, N}));
    ChunkAssembler a = new ChunkAssembler(w, os, Long.MAX_VALUE, 4);
    for (long i = 0; i < C; i++) {
      for (long j = 0; j < C; j++) {
        a.setDouble(new long[] {i, j}, 1);
      }
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> a.setDouble(new long[] {5, 0}, 2));
    assertTrue(e.getMessage().contains("(i=5, j=0)"), e.getMessage());
  }

  @Test
  void duplicateAcrossFragmentsOfTwoTasksIsRefusedAtMergeAndNothingIsPublished() {
    List<long[]> cells = cells();
    List<List<long[]>> tasks = deal(cells, 2);
    // Cell (7, 8) is dealt to task 0; task 1 gives it too.
    tasks.get(1).add(new long[] {7, 8});
    Job job = run(create("v", new long[] {N, N}), tasks, Long.MAX_VALUE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> commit(job));
    assertTrue(e.getMessage().contains("Duplicate coordinates (i=7, j=8)"), e.getMessage());
    job.write().abort(os);
    assertFalse(store.exists("v"));
    assertTrue(
        Futures.join(os.list("")).stream().map(ObjectInfo::key).noneMatch(k -> k.startsWith("v/")));
  }

  @Test
  void chunkGivenWholeByOneTaskAndPartlyByAnotherIsRefusedBeforeMerging() {
    List<long[]> again = List.of(new long[] {0, 0});
    Job job = run(create("v", new long[] {N, N}), List.of(cells(), again), Long.MAX_VALUE);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> FragmentMerge.plan(job.write(), job.tasks()));
    assertTrue(e.getMessage().contains("chunk [0, 6), [0, 6)"), e.getMessage());
    job.write().release();
  }

  @Test
  void aMergeReadingSmallBatchesAheadWritesEveryValue() {
    List<long[]> cells = cells();
    Collections.shuffle(cells, new Random(19));
    Job job = run(create("v", new long[] {N, N}), deal(cells, 3), Long.MAX_VALUE);
    FragmentMerge.Plan plan = FragmentMerge.plan(job.write(), job.tasks());
    RangeReads reads = new RangeReads(Integer.MAX_VALUE);
    // One chunk per batch, three batches' worth of fragments ahead: 16 batches in one pipeline.
    long ahead = 3 * plan.fragmentBytes() / plan.toMerge().size();
    List<long[]> merged =
        FragmentMerge.merge(job.write(), reads.store, plan.toMerge(), 2, 1, ahead);
    assertEquals(16, merged.size());
    // One ranged read per fragment (one chunk per batch): each fragment is read once.
    long fragments = job.tasks().stream().mapToLong(t -> t.fragments().size()).sum();
    assertEquals(fragments, reads.calls.get());
    job.write().publish(store, FragmentMerge.published(plan, merged), new long[] {N - 1, N - 1});
    DatasetWrite.cleanStaging(os, "job");
    job.write().release();
    assertEveryValue("v");
    assertTrue(stagingEmpty());
  }

  @Test
  void aPackUnreadableMidwayThroughThePipelinedMergeFailsNamingItAndTheAbortLeavesNothing() {
    List<long[]> cells = cells();
    Collections.shuffle(cells, new Random(23));
    Job job = run(create("v", new long[] {N, N}), deal(cells, 3), Long.MAX_VALUE);
    FragmentMerge.Plan plan = FragmentMerge.plan(job.write(), job.tasks());
    RangeReads reads = new RangeReads(20);
    long ahead = 3 * plan.fragmentBytes() / plan.toMerge().size();
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> FragmentMerge.merge(job.write(), reads.store, plan.toMerge(), 2, 1, ahead));
    assertTrue(
        e.getMessage()
            .contains("Cannot read the staged fragments of dataset 'v' in '" + reads.failed),
        e.getMessage());
    assertTrue(e.getMessage().contains("connection reset"), e.getMessage());
    job.write().abort(os);
    DatasetWrite.cleanStaging(os, "job");
    assertFalse(store.exists("v"));
    assertTrue(
        Futures.join(os.list("")).stream().map(ObjectInfo::key).noneMatch(k -> k.startsWith("v/")));
    assertTrue(stagingEmpty());
  }

  /**
   * The memory store, counting its ranged reads and failing the {@code failAt}-th (from 1): a
   * proxy, so every other method is the memory store's own (grouped reads by the interface's
   * default, through the counted {@code getRange}).
   */
  private final class RangeReads {
    final AtomicInteger calls = new AtomicInteger();
    volatile String failed;
    final ObjectStore store;

    RangeReads(int failAt) {
      InvocationHandler h =
          (proxy, method, args) -> {
            if (method.getName().equals("getRange")
                && args.length == 3
                && calls.incrementAndGet() == failAt) {
              failed = (String) args[0];
              return CompletableFuture.failedFuture(new java.io.IOException("connection reset"));
            }
            if (method.getName().equals("getRanges") && method.isDefault()) {
              // Grouped reads go through this proxy's getRange, so they are counted and can fail.
              return InvocationHandler.invokeDefault(proxy, method, args);
            }
            try {
              return method.invoke(os, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          };
      store =
          (ObjectStore)
              Proxy.newProxyInstance(
                  ObjectStore.class.getClassLoader(), new Class<?>[] {ObjectStore.class}, h);
    }
  }
}
