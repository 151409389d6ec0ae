package io.arraymorph.spark;

import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.StartsServers;
import java.util.Map;

/** The {@link SparkAggregatePushdownContract} scenarios on Azurite (or the CI's Azure server). */
@StartsServers
class SparkAggregatePushdownOnAzureTest extends SparkAggregatePushdownContract {
  private final String container = AzuriteServer.uniqueContainerName("spark-aggregates");
  private final Map<String, String> options;

  SparkAggregatePushdownOnAzureTest() {
    AzuriteServer server = AzuriteServer.get();
    server.createContainer(container);
    options = server.settings(container);
  }

  @Override
  protected String root() {
    return "az://" + container + "/aggregates";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
