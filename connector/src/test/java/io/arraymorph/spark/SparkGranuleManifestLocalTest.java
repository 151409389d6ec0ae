package io.arraymorph.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The {@link SparkGranuleManifestContract} scenarios on the local disk. */
class SparkGranuleManifestLocalTest extends SparkGranuleManifestContract {
  private final Path root;

  SparkGranuleManifestLocalTest() throws java.io.IOException {
    root = Files.createTempDirectory("manifest-local");
  }

  @Override
  protected String root() {
    return root.toString();
  }

  @Override
  protected Map<String, String> options() {
    return Map.of();
  }
}
