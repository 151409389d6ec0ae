package io.arraymorph.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The {@link SparkForeignLayoutsOnStoreContract} scenarios on the local file system. */
class SparkForeignLayoutsLocalTest extends SparkForeignLayoutsOnStoreContract {
  private final Path root;

  SparkForeignLayoutsLocalTest() throws IOException {
    Path target = Path.of("target").toAbsolutePath();
    Files.createDirectories(target);
    root = Files.createTempDirectory(target, "spark-foreign-");
  }

  @Override
  protected boolean everyArray() {
    return true;
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
