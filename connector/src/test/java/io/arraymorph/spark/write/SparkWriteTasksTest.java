package io.arraymorph.spark.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.JobExecutionStatus;
import org.apache.spark.api.java.function.ForeachFunction;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver-side count of a write job's running task attempts, fed the job's events in the order
 * Spark's listener bus delivers them with speculation on: the job ends once one attempt of each
 * task succeeded, and the losing attempt's end (once Spark's kill has stopped it) comes later.
 */
class SparkWriteTasksTest {
  // Ids no real job or stage of the shared session reaches: Spark's status store does not know
  // them, so only the events these tests report count.
  private static final int JOB = Integer.MAX_VALUE - 7;
  private static final int STAGE = Integer.MAX_VALUE - 11;
  private SparkWriteTasks tasks;

  @BeforeEach
  void tag() {
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("arraymorph-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    tasks = SparkWriteTasks.tag(spark.sparkContext());
  }

  @AfterEach
  void stop() {
    tasks.stop();
  }

  /** The job ran one task twice (the original and a speculative copy); the copy won. */
  private void jobEndsWhileTheLoserRuns() {
    tasks.jobStarted(JOB, tasks.id(), List.of(STAGE));
    tasks.taskStarted(STAGE);
    tasks.taskStarted(STAGE);
    tasks.taskEnded(STAGE);
    tasks.jobEnded(JOB);
  }

  private static Executor after(long ms) {
    return CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS);
  }

  @Test
  void theCommitWaitsUntilTheLosingAttemptHasStopped() throws InterruptedException {
    jobEndsWhileTheLoserRuns();
    CompletableFuture<Void> loserStops =
        CompletableFuture.runAsync(() -> tasks.taskEnded(STAGE), after(400));
    long start = System.nanoTime();
    assertTrue(tasks.awaitRunJobEnded(10_000));
    loserStops.join();
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 350);
    assertEquals(0, tasks.running());
  }

  @Test
  void theWaitEndsUnfinishedWhileTheLosingAttemptDoesNotStop() throws InterruptedException {
    jobEndsWhileTheLoserRuns();
    long start = System.nanoTime();
    assertFalse(tasks.awaitRunJobEnded(300));
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 300);
    assertEquals(1, tasks.running(), "the losing attempt");
  }

  @Test
  void aCommitWaitsForAJobTheListenerBusReportsLateWhereAnAbortTakesItAsNeverRun()
      throws InterruptedException {
    // No event within the abort's second: an abort takes the job as never started.
    long start = System.nanoTime();
    assertTrue(tasks.awaitTasksEnded(10_000));
    long abortWaited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(abortWaited >= 1_000 && abortWaited < 5_000, abortWaited + " ms");
    // A commit knows the job ran: it waits for its events, however late.
    CompletableFuture<Void> reported =
        CompletableFuture.runAsync(this::jobEndsWhileTheLoserRuns, after(1_500))
            .thenRunAsync(() -> tasks.taskEnded(STAGE), after(300));
    start = System.nanoTime();
    assertTrue(tasks.awaitRunJobEnded(10_000));
    reported.join();
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 1_700);
    assertEquals(0, tasks.running());
  }

  @Test
  void anotherJobsTasksAreNotCounted() throws InterruptedException {
    tasks.jobStarted(JOB + 1, "another-write", List.of(STAGE + 1));
    tasks.taskStarted(STAGE + 1);
    jobEndsWhileTheLoserRuns();
    tasks.taskEnded(STAGE);
    assertTrue(tasks.awaitRunJobEnded(1_000));
    assertEquals(0, tasks.running());
  }

  /**
   * Reports an attempt of the job's first stage started whose end the listener bus then dropped:
   * this listener counts it as running for good.
   */
  private void dropAnAttemptsEnd(SparkSession spark) throws TimeoutException {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    assertTrue(tasks.job() >= 0, "the tagged job was seen");
    int stage = spark.sparkContext().statusTracker().getJobInfo(tasks.job()).get().stageIds()[0];
    tasks.taskStarted(stage);
    assertEquals(1, tasks.running());
  }

  @Test
  void
      aCommitWhoseListenerMissedAnAttemptsEndGoesOnAtItsTimeoutWhenSparksStatusStoreShowsTheJobSucceeded()
          throws Exception {
    SparkSession spark = SparkSession.active();
    // A real job of the tagged thread, one attempt's end dropped.
    assertEquals(100, spark.range(0, 100, 1, 2).count());
    dropAnAttemptsEnd(spark);
    long start = System.nanoTime();
    assertTrue(tasks.awaitRunJobEnded(2_000));
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // Not before: an early answer from the store is trusted for aborts only.
    assertTrue(waited >= 2_000, "the status store asked only once the wait was over: " + waited);
    assertEquals(1, tasks.running(), "the listener's count, still off by the dropped end");
    assertTrue(tasks.statusShowsJobEnded());
  }

  @Test
  void anAbortWhoseListenerMissedAnAttemptsEndCleansOnceSparksStatusStoreShowsTheJobFailed()
      throws Exception {
    SparkSession spark = SparkSession.active();
    // A real job of the tagged thread that fails for good (local mode does not retry).
    assertThrows(
        Exception.class,
        () ->
            spark
                .range(0, 100, 1, 2)
                .foreach(
                    (ForeachFunction<Long>)
                        x -> {
                          if (x == 37) {
                            throw new IllegalStateException("fails at 37");
                          }
                        }));
    dropAnAttemptsEnd(spark);
    assertEquals(
        JobExecutionStatus.FAILED,
        spark.sparkContext().statusTracker().getJobInfo(tasks.job()).get().status());
    long start = System.nanoTime();
    assertTrue(tasks.awaitTasksEnded(10_000));
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(waited < 5_000, "the status store asked within seconds, not at the end: " + waited);
  }

  @Test
  void aJobTheStatusStoreDoesNotKnowIsNeverTakenAsEnded() throws InterruptedException {
    tasks.jobStarted(JOB, tasks.id(), List.of(STAGE));
    tasks.taskStarted(STAGE);
    tasks.jobEnded(JOB);
    // Past a status check a second into the wait and the one at its end.
    assertFalse(tasks.awaitRunJobEnded(1_500));
    assertFalse(tasks.awaitTasksEnded(300), "nor for an abort");
    assertFalse(tasks.statusShowsJobEnded(), "no status of that job: the commit is refused");
  }

  @Test
  void noJobSeenIsNeverTakenAsEnded() {
    assertFalse(tasks.statusShowsJobEnded());
  }
}
