package io.arraymorph.spark;

import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.StartsServers;
import java.util.Map;

/** The {@link SparkOrderFreeWriteContract} scenarios on Azurite (or the CI's Azure server). */
@StartsServers
class SparkOrderFreeWriteOnAzureTest extends SparkOrderFreeWriteContract {
  private final String container = AzuriteServer.uniqueContainerName("spark-order-free");
  private final Map<String, String> options;

  SparkOrderFreeWriteOnAzureTest() {
    AzuriteServer server = AzuriteServer.get();
    server.createContainer(container);
    options = server.settings(container);
  }

  @Override
  protected String root() {
    return "az://" + container + "/writes";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
