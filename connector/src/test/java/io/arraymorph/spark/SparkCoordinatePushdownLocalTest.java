package io.arraymorph.spark;

import java.nio.file.Path;
import java.util.Map;

/** The {@link SparkCoordinatePushdownContract} scenarios on the local filesystem. */
class SparkCoordinatePushdownLocalTest extends SparkCoordinatePushdownContract {

  @Override
  protected String root() {
    return SparkFixtureFiles.coordinates().toString();
  }

  @Override
  protected Map<String, String> options() {
    return Map.of();
  }

  @Override
  protected void upload(Path fixtures) {
    // read in place
  }
}
