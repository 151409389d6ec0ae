package io.arraymorph.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The {@link SparkZarrWriteContract} scenarios on the local store. */
class SparkZarrWriteLocalTest extends SparkZarrWriteContract {
  private final Path dir;

  SparkZarrWriteLocalTest() {
    try {
      dir = Files.createTempDirectory("arraymorph-zarr-write");
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
