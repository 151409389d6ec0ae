package io.arraymorph.spark.write;

import java.util.List;

/**
 * Test access to what a {@link SparkWriteBuilder} plans on the driver, for tests in other packages.
 */
public final class SparkWritePlans {
  private SparkWritePlans() {}

  /**
   * Plans {@code builder}'s write (its driver requests) and returns the dimension names planned.
   */
  public static List<String> plannedDimNames(SparkWriteBuilder builder) {
    return builder.plan().dimNames();
  }
}
