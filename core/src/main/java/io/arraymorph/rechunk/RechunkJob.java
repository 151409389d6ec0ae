package io.arraymorph.rechunk;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.write.DatasetWrite;
import java.util.ArrayList;
import java.util.List;

/**
 * One rechunk from plan to publication, the same for every door: plans, takes the target's writer
 * lock, runs the tasks through a {@link Runner}, and publishes the target at once; on any failure
 * removes what the job wrote and leaves the previous target (if any) readable.
 */
public final class RechunkJob {
  private RechunkJob() {}

  /** Runs a plan's tasks (local threads, a Spark job) and returns the target chunks written. */
  @FunctionalInterface
  public interface Runner {
    List<long[]> run(RechunkPlan plan);

    /** How many tasks the runner works on at once (a one-stage plan has at least as many). */
    default int parallelism() {
      return 1;
    }
  }

  /**
   * Rechunks as {@code request} asks.
   *
   * @param job the job's name in locks and staging keys (unique per run)
   * @throws IllegalArgumentException before anything is written, when the request is refused
   */
  public static RechunkResult run(
      ArrayStore source, ArrayStore target, RechunkRequest request, String job, Runner runner) {
    long start = System.nanoTime();
    RechunkPlan plan = RechunkPlanner.plan(source, target, request, job, runner.parallelism());
    DatasetWrite write = plan.write();
    List<long[]> chunks = new ArrayList<>();
    write.run(
        target,
        request.lockLease(),
        w -> {
          chunks.addAll(runner.run(plan));
          return new DatasetWrite.Written(chunks, plan.lastIndex());
        });
    return new RechunkResult(
        write.path(),
        plan.direct(),
        plan.readBoxes().size(),
        chunks.size(),
        plan.arrayBytes(),
        (System.nanoTime() - start) / 1e9,
        plan.explain());
  }
}
