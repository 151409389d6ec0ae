package io.arraymorph.bench;

import static io.arraymorph.bench.Report.f;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.SelectionPlan;
import java.lang.management.ManagementFactory;

/** Workload 5: how planning time and allocation grow with the number of chunks. */
final class PlanningBench {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Timing timing;
  private final Report report;

  PlanningBench(Timing timing, Report report) {
    this.timing = timing;
    this.report = report;
  }

  /** Grid shapes with 10^3, 10^5 and 10^6 chunks of 512 x 512. */
  static final long[][] GRIDS = {{25, 40}, {250, 400}, {1000, 1000}};

  static long[] arrayShape(long[] grid) {
    return new long[] {grid[0] * BenchData.CHUNK, grid[1] * BenchData.CHUNK};
  }

  /** A 1% selection: 10% of each dimension, not aligned to chunks. */
  static Hyperslab onePercent(long[] shape) {
    return Hyperslab.box(
        new long[] {shape[0] * 45 / 100 + 17, shape[1] * 45 / 100 + 17},
        new long[] {shape[0] / 10, shape[1] / 10});
  }

  /** Plans a selection and visits every planned chunk, as a reader or partition planner does. */
  static long planAndVisit(ChunkGrid grid, Hyperslab slab) {
    SelectionPlan plan = grid.plan(slab);
    long selected = 0;
    for (ChunkSelection sel : plan) {
      selected += sel.selectedCount();
    }
    if (selected != slab.size()) {
      throw new IllegalStateException("plan lost elements: " + selected + " != " + slab.size());
    }
    return plan.chunkCount();
  }

  /** Allocated bytes of this thread while running op once. */
  static long allocated(Runnable op) {
    long id = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(id);
    op.run();
    return THREADS.getThreadAllocatedBytes(id) - before;
  }

  void run() throws Exception {
    report.heading("5. Cost growth of planning (core)");
    report.text(
        "`ChunkGrid.plan(selection)` and a walk over every planned `ChunkSelection` (what the"
            + " reader and the Spark partition planner do), on one thread; allocation measured with"
            + " `com.sun.management.ThreadMXBean.getThreadAllocatedBytes`. Grids of 512 x 512"
            + " chunks; the 1% selection is 10% of each dimension, not chunk-aligned. Planning"
            + " is lazy: memory held by a plan is per dimension, allocation per visited chunk is"
            + " garbage collected as the walk goes.");
    Report.Table t =
        report.table(
            "chunks in array",
            "selection",
            "planned chunks",
            "median ms",
            "ns / chunk",
            "allocated bytes",
            "bytes / chunk");
    for (long[] g : GRIDS) {
      long[] shape = arrayShape(g);
      ChunkGrid grid = new ChunkGrid(shape, new int[] {BenchData.CHUNK, BenchData.CHUNK});
      for (String which : new String[] {"full scan", "1%"}) {
        Hyperslab slab = which.equals("1%") ? onePercent(shape) : Hyperslab.all(shape);
        long chunks = grid.plan(slab).chunkCount();
        Timing.Sample s =
            timing.measure(
                "plan " + which + " of " + grid.chunkCount() + " chunks",
                20,
                () -> planAndVisit(grid, slab));
        long bytes = allocated(() -> planAndVisit(grid, slab));
        t.row(
            grid.chunkCount(),
            which,
            chunks,
            f(s.median() * 1e3, 2),
            f(s.median() * 1e9 / chunks, 0),
            bytes,
            f(bytes / (double) chunks, 0));
        if (g[0] == 1000 && which.equals("full scan")) {
          report.summary(
              "5. plan full scan of 10^6 chunks",
              f(s.median() * 1e3, 0) + " ms, " + f(bytes / (double) chunks, 0) + " B/chunk",
              "linear growth",
              null);
        }
      }
    }
    t.done();
  }
}
