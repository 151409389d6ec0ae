package io.arraymorph.spark.write;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Counts the running tasks of one write's Spark job, so that its abort can wait for them. When a
 * task fails for good, Spark calls the abort while the job's other tasks are still being killed
 * (without interrupting them: they stop at their next row), and a task that puts a chunk after the
 * abort's cleanup would leave it behind. The job is recognised by a local property set on the
 * thread that submits it ({@link #tag}), which Spark copies into the job's properties.
 */
final class SparkWriteTasks extends SparkListener {
  private static final String PROPERTY = "arraymorph.write.tasks";

  /** How long an abort waits for a job Spark has not reported started: then none ran. */
  private static final long UNSTARTED_MS = 1_000;

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
   * task's end once it has stopped, after its writer's abort), at most {@code timeoutMs}.
   *
   * @return false when the wait timed out with tasks still running
   */
  synchronized boolean awaitTasksEnded(long timeoutMs) throws InterruptedException {
    long start = System.nanoTime();
    while (!jobEnded || running > 0) {
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      if (job < 0 && waited >= UNSTARTED_MS) {
        return true;
      }
      if (waited >= timeoutMs) {
        return false;
      }
      wait(Math.min(100, timeoutMs - waited));
    }
    return true;
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart start) {
    if (job < 0
        && start.properties() != null
        && id.equals(start.properties().getProperty(PROPERTY))) {
      job = start.jobId();
      for (Object stage : CollectionConverters.asJava(start.stageIds())) {
        stages.add((Integer) stage);
      }
    }
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd end) {
    if (end.jobId() == job) {
      jobEnded = true;
      notifyAll();
    }
  }

  @Override
  public synchronized void onTaskStart(SparkListenerTaskStart start) {
    if (stages.contains(start.stageId())) {
      running++;
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    if (stages.contains(end.stageId())) {
      running--;
      notifyAll();
    }
  }
}
