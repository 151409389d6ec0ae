package io.arraymorph.it;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.StoreSettings;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;

/**
 * Task attempts that keep running after Spark has decided their job's outcome, for the tests of the
 * write's commit and abort waits. UDFs run in the executor JVMs (test classes are on their
 * classpath).
 */
final class Stragglers {
  /** How long a straggling attempt sleeps, ignoring the interrupt Spark kills it with. */
  static final long STRAGGLE_MS = 8_000;

  private Stragglers() {}

  /**
   * Registers {@code straggle(i, j)} (returns i; in partition 0, attempt 0 only when {@code
   * firstAttemptOnly}, sleeps {@link #STRAGGLE_MS} at (15, 15), the element that completes chunk
   * (1, 1) of 8 x 8 chunks, so the attempt puts that chunk only after its sleep) and {@code
   * always_fail(i)} (throws at i = 37).
   */
  static void register(SparkSession spark, boolean firstAttemptOnly) {
    spark
        .udf()
        .register(
            "straggle",
            (UDF2<Long, Long, Long>)
                (i, j) -> {
                  TaskContext t = TaskContext.get();
                  if (i == 15
                      && j == 15
                      && t != null
                      && t.partitionId() == 0
                      && (!firstAttemptOnly || t.attemptNumber() == 0)) {
                    sleepThroughInterrupts(STRAGGLE_MS);
                  }
                  return i;
                },
            DataTypes.LongType);
    spark
        .udf()
        .register(
            "always_fail",
            (UDF1<Long, Long>)
                i -> {
                  if (i == 37) {
                    throw new IllegalStateException("always fails at row 37");
                  }
                  return i;
                },
            DataTypes.LongType);
  }

  /** Sleeps like a call that ignores interrupts (native code, a blocking read). */
  static void sleepThroughInterrupts(long ms) {
    long end = System.nanoTime() + ms * 1_000_000;
    boolean interrupted = false;
    for (long left = ms; left > 0; left = (end - System.nanoTime()) / 1_000_000) {
      try {
        Thread.sleep(left);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Objects under {@code location} whose key names the write's staging prefix. */
  static long stagedObjects(String location, Map<String, String> options) {
    try (ArrayStore store = ArrayStore.open(location, StoreSettings.of(options))) {
      return Futures.join(store.objectStore().list("")).stream()
          .map(ObjectInfo::key)
          .filter(k -> k.contains("arraymorph-staging"))
          .count();
    }
  }
}
