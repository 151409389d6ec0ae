package io.arraymorph.spark.rechunk;

import io.arraymorph.spark.SparkFixtureFilesAccess;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;

/** The {@link SparkRechunkContract} scenarios on the local filesystem, Spark local[2]. */
class SparkRechunkLocalTest extends SparkRechunkContract {
  @TempDir static Path dir;

  @Override
  protected String root() {
    return dir.toString();
  }

  @Override
  protected Map<String, String> options() {
    return Map.of();
  }

  @Override
  protected SparkSession session() {
    return SparkFixtureFilesAccess.session();
  }
}
