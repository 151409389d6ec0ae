package io.arraymorph.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The {@link SparkOrderFreeWriteContract} scenarios on the local store. */
class SparkOrderFreeWriteLocalTest extends SparkOrderFreeWriteContract {
  private final Path dir;

  SparkOrderFreeWriteLocalTest() {
    try {
      dir = Files.createTempDirectory("arraymorph-order-free-write");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected String root() {
    return dir.toString();
  }

  @Override
  protected Map<String, String> options() {
    return Map.of();
  }
}
