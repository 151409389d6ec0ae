package io.arraymorph.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** The {@link SparkAggregatePushdownContract} scenarios on the local store. */
class SparkAggregatePushdownLocalTest extends SparkAggregatePushdownContract {
  private final String root;

  SparkAggregatePushdownLocalTest() {
    try {
      root = Files.createTempDirectory("arraymorph-aggregates").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected String root() {
    return root;
  }

  @Override
  protected Map<String, String> options() {
    return Map.of();
  }
}
