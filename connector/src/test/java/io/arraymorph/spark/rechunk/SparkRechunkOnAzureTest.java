package io.arraymorph.spark.rechunk;

import io.arraymorph.spark.SparkFixtureFilesAccess;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.StartsServers;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The {@link SparkRechunkContract} scenarios on Azurite (or the CI's Azure server). */
@StartsServers
class SparkRechunkOnAzureTest extends SparkRechunkContract {
  private final String bucket = AzuriteServer.uniqueContainerName("spark-rechunk");
  private final Map<String, String> options;

  SparkRechunkOnAzureTest() {
    AzuriteServer server = AzuriteServer.get();
    server.createContainer(bucket);
    options = server.settings(bucket);
  }

  @Override
  protected String root() {
    return "az://" + bucket + "/rechunk";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }

  @Override
  protected SparkSession session() {
    return SparkFixtureFilesAccess.session();
  }
}
