package io.arraymorph.spark.write;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.write.DatasetWrite;
import io.arraymorph.write.FragmentMerge;
import io.arraymorph.write.TaskChunks;
import io.arraymorph.write.TaskResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job side of a write, binding Spark's commit protocol to core's {@link DatasetWrite}: before
 * any task runs the driver takes every target's writer lock (core checks the dataset is still as
 * planned); commit waits for attempts of the job's tasks still running ({@link SparkWriteTasks}:
 * losing speculative attempts Spark is killing), refusing to publish past a bound, refuses
 * duplicate coordinates, merges the fragments tasks staged ({@link SparkFragmentMerge}) and
 * publishes every chunk, then releases the locks while it cleans the job's staging prefix (logging,
 * at DEBUG, how long each step took); abort waits for the job's tasks Spark is still killing
 * ({@link SparkWriteTasks}), removes what the job wrote, cleans and releases.
 */
final class SparkBatchWrite implements BatchWrite {
  private static final Logger LOG = LoggerFactory.getLogger(SparkBatchWrite.class);

  private final SparkWritePlan plan;

  /** The driver's store from locking to commit or abort. */
  private ArrayStore store;

  /** The write job's running tasks, which commit and abort wait for. */
  private SparkWriteTasks tasks;

  /**
   * How long a commit or abort waits for the job's tasks to stop before refusing to publish
   * (commit) or cleaning up anyway (abort): option {@code task_end_timeout}.
   */
  private final long tasksEndMs;

  /**
   * @throws IllegalArgumentException naming {@code task_end_timeout} when its value is not a
   *     duration: before any lock is taken or task runs
   */
  SparkBatchWrite(SparkWritePlan plan) {
    this.plan = plan;
    this.tasksEndMs = plan.options().taskEndTimeout().toMillis();
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    lockTargets();
    tasks = SparkWriteTasks.tag(SparkSession.active().sparkContext());
    return new SparkDataWriterFactory(plan);
  }

  /** Spark calls neither commit nor abort when this throws; core released what it took. */
  private synchronized void lockTargets() {
    store = ArrayStore.openShared(plan.options().location(), plan.options().storeSettings());
    try {
      DatasetWrite.lockAll(writes(), store.objectStore(), plan.options().lockTimeout());
    } catch (RuntimeException e) {
      store.close();
      store = null;
      throw e;
    }
  }

  private List<DatasetWrite> writes() {
    return plan.targets().stream().map(SparkWriteTarget::write).toList();
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    tasks.untag();
    long waitStart = System.nanoTime();
    awaitStragglersBeforeCommit();
    List<TaskResult> results = new ArrayList<>();
    List<List<TaskChunks>> perTarget = new ArrayList<>();
    for (int k = 0; k < plan.targets().size(); k++) {
      perTarget.add(new ArrayList<>());
    }
    for (WriterCommitMessage m : messages) {
      if (m instanceof SparkWriteCommitMessage msg) {
        results.add(msg.result());
        for (int k = 0; k < perTarget.size(); k++) {
          perTarget.get(k).add(msg.chunks().get(k));
        }
      }
    }
    TaskResult all = TaskResult.merge(plan.rank(), results);
    long start = System.nanoTime();
    try {
      // Duplicates are refused and fragments merged before anything is published.
      List<FragmentMerge.Plan> merges = new ArrayList<>();
      for (int k = 0; k < perTarget.size(); k++) {
        merges.add(FragmentMerge.plan(writes().get(k), perTarget.get(k)));
      }
      List<List<long[]>> merged = SparkFragmentMerge.run(plan, writes(), merges, store);
      long mergedAt = System.nanoTime();
      if (writes().size() > 1) {
        // Every lock checked before any dataset is published; publish checks its own lock too.
        for (DatasetWrite w : writes()) {
          w.verifyLocked();
        }
      }
      for (int k = 0; k < perTarget.size(); k++) {
        writes()
            .get(k)
            .publish(store, FragmentMerge.published(merges.get(k), merged.get(k)), all.maxIndex());
      }
      long publishedAt = System.nanoTime();
      DatasetWrite.finishJob(store.objectStore(), writes(), plan.queryId());
      LOG.debug(
          "Commit of job {}: wait for its tasks {} ms, fragment merge {} ms, publication {} ms,"
              + " locks and cleanup {} ms",
          plan.queryId(),
          (start - waitStart) / 1_000_000,
          (mergedAt - start) / 1_000_000,
          (publishedAt - mergedAt) / 1_000_000,
          (System.nanoTime() - publishedAt) / 1_000_000);
    } finally {
      release();
    }
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    // After a failed commit the locks are already released: cleaning up needs no lock, since
    // staging keys are this job's own and a new dataset without metadata is nobody's.
    awaitTasksEnded();
    try (ArrayStore s =
        ArrayStore.openShared(plan.options().location(), plan.options().storeSettings())) {
      DatasetWrite.abortJob(s.objectStore(), writes(), plan.queryId());
    } finally {
      release();
    }
  }

  /**
   * Waits for attempts of the job's tasks still running when Spark commits (with speculation on,
   * the losing attempts it is killing), and refuses the commit while any runs: such an attempt puts
   * chunks at the keys the commit publishes from (staged chunks of an existing dataset) or at a new
   * dataset's final keys, so publishing now could let it change the published version, or a later
   * one, unseen. Refused, nothing is published: Spark aborts the job, which waits again and cleans.
   */
  private void awaitStragglersBeforeCommit() {
    String why;
    try {
      if (tasks.awaitRunJobEnded(tasksEndMs)) {
        return;
      }
      int running = tasks.running();
      why =
          running > 0
              ? running
                  + " attempt(s) of its tasks (attempts Spark is killing, such as losing"
                  + " speculative attempts) still ran after "
                  + waitText()
              : "Spark did not report its job's end within " + waitText();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why = "the commit was interrupted while it waited for the job's tasks to stop";
    }
    throw new IllegalStateException(
        "Write job "
            + plan.queryId()
            + " is not committed: "
            + why
            + ", and publishing while a task can still put chunks could let it change the"
            + " published data. Nothing was published; the previous version stays readable. Run"
            + " the write again (if tasks often take longer to stop, raise the write option "
            + ArrayMorphOptions.TASK_END_TIMEOUT.name()
            + "; if they hang, look for a stuck store request or turn spark.speculation off)");
  }

  /** The wait, as messages say it: {@code 30 s}, {@code 1500 ms}. */
  private String waitText() {
    return tasksEndMs % 1000 == 0 ? tasksEndMs / 1000 + " s" : tasksEndMs + " ms";
  }

  /**
   * Waits for the job's tasks still running (Spark aborts while it kills the others), so that none
   * puts a chunk after the cleanup.
   */
  private void awaitTasksEnded() {
    if (tasks == null) {
      return;
    }
    tasks.untag();
    try {
      if (!tasks.awaitTasksEnded(tasksEndMs)) {
        LOG.warn(
            "Aborting write job {} while tasks of it still run after {}: objects they put from"
                + " now on stay under '{}' in the store; delete that prefix once they have stopped"
                + " (or raise the write option {})",
            plan.queryId(),
            waitText(),
            DatasetWrite.stagingRoot(plan.queryId()),
            ArrayMorphOptions.TASK_END_TIMEOUT.name());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Releases every lock still held and the driver's store; safe to call more than once. */
  private synchronized void release() {
    if (tasks != null) {
      tasks.stop();
      tasks = null;
    }
    try {
      DatasetWrite.releaseAll(writes());
    } finally {
      if (store != null) {
        store.close();
        store = null;
      }
    }
  }

  @Override
  public String toString() {
    return "SparkBatchWrite[" + plan.targets().size() + " datasets]";
  }
}
