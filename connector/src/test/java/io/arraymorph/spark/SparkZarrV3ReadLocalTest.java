package io.arraymorph.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The {@link SparkZarrV3ReadOnStoreContract} scenarios on the local file system. */
class SparkZarrV3ReadLocalTest extends SparkZarrV3ReadOnStoreContract {
  private final Path root;

  SparkZarrV3ReadLocalTest() throws IOException {
    Path target = Path.of("target").toAbsolutePath();
    Files.createDirectories(target);
    root = Files.createTempDirectory(target, "spark-zarr3-");
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
