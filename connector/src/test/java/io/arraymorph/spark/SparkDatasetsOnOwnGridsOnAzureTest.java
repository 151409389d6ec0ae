package io.arraymorph.spark;

import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.StartsServers;
import java.util.Map;

/**
 * The {@link SparkDatasetsOnOwnGridsContract} scenarios on Azurite (or the CI's server named by
 * {@code ARRAYMORPH_TEST_AZURE_CONNECTION_STRING}).
 */
@StartsServers
class SparkDatasetsOnOwnGridsOnAzureTest extends SparkDatasetsOnOwnGridsContract {
  private final String container = AzuriteServer.uniqueContainerName("spark-grids");
  private final Map<String, String> options;

  SparkDatasetsOnOwnGridsOnAzureTest() {
    AzuriteServer server = AzuriteServer.get();
    server.createContainer(container);
    options = server.settings(container);
  }

  @Override
  protected String root() {
    return "az://" + container + "/grids";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
