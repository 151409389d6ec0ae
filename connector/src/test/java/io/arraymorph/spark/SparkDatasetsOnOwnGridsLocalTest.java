package io.arraymorph.spark;

import java.nio.file.Files;
import java.util.Map;

/** The {@link SparkDatasetsOnOwnGridsContract} scenarios on the local disk. */
class SparkDatasetsOnOwnGridsLocalTest extends SparkDatasetsOnOwnGridsContract {
  private final String root;

  SparkDatasetsOnOwnGridsLocalTest() throws java.io.IOException {
    root = Files.createTempDirectory("grids-local").toString();
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
