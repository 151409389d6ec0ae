package io.arraymorph.spark;

import java.nio.file.Path;

/** Opens {@link SparkFixtureFiles} to tests of the connector's subpackages. */
public final class SparkFixtureFilesAccess {
  private SparkFixtureFilesAccess() {}

  public static Path rechunk() {
    return SparkFixtureFiles.rechunk();
  }

  public static org.apache.spark.sql.SparkSession session() {
    return SparkTestSupport.session();
  }
}
