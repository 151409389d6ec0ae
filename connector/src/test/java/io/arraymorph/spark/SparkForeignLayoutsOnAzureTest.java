package io.arraymorph.spark;

import io.arraymorph.testing.AzuriteServer;
import java.util.Map;

/** The {@link SparkForeignLayoutsOnStoreContract} scenarios on Azurite (or the CI's server). */
class SparkForeignLayoutsOnAzureTest extends SparkForeignLayoutsOnStoreContract {
  private final String container = AzuriteServer.uniqueContainerName("spark-foreign");
  private final Map<String, String> options;

  SparkForeignLayoutsOnAzureTest() {
    AzuriteServer server = AzuriteServer.get();
    server.createContainer(container);
    options = server.settings(container);
  }

  @Override
  protected String root() {
    return "az://" + container + "/foreign";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
