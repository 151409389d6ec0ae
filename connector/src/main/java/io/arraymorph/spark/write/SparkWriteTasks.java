package io.arraymorph.spark.write;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Counts the running tasks of one write's Spark job, so that its commit and abort can wait for
 * them. Spark ends a job while attempts of it may still run: when a task fails for good it calls
 * the abort while the job's other tasks are still being killed, and with speculation on it calls
 * the commit once one attempt of each task succeeded, while it kills the losing attempts (both
 * asynchronously: a killed task stops at its next row or interrupt). An attempt that puts a chunk
 * after the abort's cleanup would leave it behind; one that puts a chunk during or after the commit
 * could change what the commit publishes. The job is recognised by a local property set on the
 * thread that submits it ({@link #tag}), which Spark copies into the job's properties.
 */
final class SparkWriteTasks extends SparkListener {
  private static final String PROPERTY = "arraymorph.write.tasks";

  private static final Logger LOG = LoggerFactory.getLogger(SparkWriteTasks.class);

  /** How long an abort waits for a job Spark has not reported started: then none ran. */
  private static final long UNSTARTED_MS = 1_000;

  /** How often an abort's wait asks Spark's status store, in case this listener missed an event. */
  private static final long STATUS_CHECK_MS = 1_000;

  private final SparkContext sc;
  private final String id = UUID.randomUUID().toString();
  private final Set<Integer> stages = new HashSet<>();
  private int job = -1;
  private boolean jobEnded;
  private int running;

  private SparkWriteTasks(SparkContext sc) {
    this.sc = sc;
  }

  /**
   * Starts counting the tasks of the next job the calling thread submits (Spark's write exec
   * submits the write job on the thread that asked for the writer factory).
   */
  static SparkWriteTasks tag(SparkContext sc) {
    SparkWriteTasks tasks = new SparkWriteTasks(sc);
    sc.addSparkListener(tasks);
    sc.setLocalProperty(PROPERTY, tasks.id);
    return tasks;
  }

  /** Stops tagging the calling thread's jobs (the commit's own jobs are not the write's). */
  void untag() {
    if (id.equals(sc.getLocalProperty(PROPERTY))) {
      sc.setLocalProperty(PROPERTY, null);
    }
  }

  /** Stops counting. */
  void stop() {
    untag();
    sc.removeSparkListener(this);
  }

  /**
   * Waits until the job has ended and every task it started has ended too (Spark reports a killed
   * task's end once it has stopped, after its writer's abort), at most {@code timeoutMs}. A job
   * Spark has not reported started within a second is taken as never run (an abort before it).
   *
   * @return false when the wait timed out with tasks still running
   */
  boolean awaitTasksEnded(long timeoutMs) throws InterruptedException {
    return await(timeoutMs, true);
  }

  /**
   * {@link #awaitTasksEnded}, for a job that ran (its commit): the job's start is waited for as
   * long as its end, since Spark's listener bus may report it late, and Spark's status store is
   * asked only when the wait is over.
   */
  boolean awaitRunJobEnded(long timeoutMs) throws InterruptedException {
    return await(timeoutMs, false);
  }

  /**
   * Whether Spark's status store shows the job ended (succeeded or failed) with no attempt of its
   * stages running. The wait trusts it while this listener still counts attempts: the listener bus
   * drops events from a full queue, and a dropped task end would otherwise hold a commit or abort
   * of a job that runs nothing more until its timeout (and refuse the commit). The status store is
   * fed by a queue of its own; when it lacks the job or a stage (not reported, or evicted past
   * {@code spark.ui.retainedStages}), the answer is no.
   */
  boolean statusShowsJobEnded() {
    int id;
    synchronized (this) {
      id = job;
    }
    if (id < 0) {
      return false;
    }
    Option<SparkJobInfo> info = sc.statusTracker().getJobInfo(id);
    if (info.isEmpty()
        || (info.get().status() != JobExecutionStatus.SUCCEEDED
            && info.get().status() != JobExecutionStatus.FAILED)) {
      return false;
    }
    for (int stage : info.get().stageIds()) {
      Option<SparkStageInfo> s = sc.statusTracker().getStageInfo(stage);
      if (s.isEmpty() || s.get().numActiveTasks() > 0) {
        return false;
      }
    }
    return true;
  }

  /** The job's tasks running now, as far as Spark has reported. */
  synchronized int running() {
    return running;
  }

  private synchronized boolean await(long timeoutMs, boolean mayNotHaveRun)
      throws InterruptedException {
    long start = System.nanoTime();
    // A commit asks the status store only once its wait is over: were the store's own queue to
    // drop a straggler's start, an early answer would let a commit publish while that attempt can
    // still put chunks. An abort's early end at worst leaves objects of a job nobody publishes.
    long nextStatusCheck = mayNotHaveRun ? STATUS_CHECK_MS : timeoutMs;
    while (!jobEnded || running > 0) {
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (mayNotHaveRun && job < 0 && waited >= UNSTARTED_MS) {
        return true;
      }
      if (waited >= nextStatusCheck || waited >= timeoutMs) {
        nextStatusCheck = waited + STATUS_CHECK_MS;
        if (statusShowsJobEnded()) {
          LOG.info(
              "Spark job {} of a write: its listener still counts {} running attempt(s) after {} ms, but"
                  + " Spark's status store shows it ended with none running (listener-bus events"
                  + " late or dropped); going on",
              job,
              running,
              waited);
          return true;
        }
      }
      if (waited >= timeoutMs) {
        return false;
      }
      wait(Math.min(100, timeoutMs - waited));
    }
    return true;
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    if (start.properties() != null) {
      jobStarted(
          start.jobId(),
          start.properties().getProperty(PROPERTY),
          CollectionConverters.asJava(start.stageIds()));
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    jobEnded(end.jobId());
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart start) {
    taskStarted(start.stageId());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    taskEnded(end.stageId());
  }

  /** Job {@code jobId} started with local property {@code tag}: it is the write's if tagged so. */
  synchronized void jobStarted(int jobId, String tag, Collection<?> stageIds) {
    if (job < 0 && id.equals(tag)) {
      job = jobId;
      for (Object stage : stageIds) {
        stages.add((Integer) stage);
      }
    }
  }

  synchronized void jobEnded(int jobId) {
    if (jobId == job) {
      jobEnded = true;
      notifyAll();
    }
  }

  /** An attempt of a task of stage {@code stageId} started (a retry or speculative copy too). */
  synchronized void taskStarted(int stageId) {
    if (stages.contains(stageId)) {
      running++;
    }
  }

  /** An attempt ended: succeeded, failed, or killed once it stopped. */
  synchronized void taskEnded(int stageId) {
    if (stages.contains(stageId)) {
      running--;
      notifyAll();
    }
  }

  /** The job's id once Spark reported its start, else -1 (for tests). */
  synchronized int job() {
    return job;
  }

  /** The tag {@link #tag} set, for tests that report the job's events themselves. */
  String id() {
    return id;
  }
}
