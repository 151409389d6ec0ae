package io.arraymorph.api;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the changes of dataset metadata this JVM made (publications of writes, repairs,
 * deletions), so that metadata a reader keeps between queries (a Spark DataFrame's opened datasets)
 * can tell, without a request, that a write in the same JVM may have made it stale and must be read
 * again. Changes by other processes are not counted: for those, a distributed read's version check
 * ({@link io.arraymorph.scan.VersionCheck}) refuses the read instead.
 */
public final class LocalPublications {
  private static final AtomicLong COUNT = new AtomicLong();

  private LocalPublications() {}

  /**
   * The changes made so far. Read it <em>before</em> opening metadata: an equal count later means
   * no change of this JVM finished after the open began.
   */
  public static long count() {
    return COUNT.get();
  }

  /** Records a change; called once its metadata is written (or its writing was attempted). */
  public static void changed() {
    COUNT.incrementAndGet();
  }
}
