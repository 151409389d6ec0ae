package io.arraymorph.spark;

import io.arraymorph.testing.AzuriteServer;
import java.util.Map;

/** The {@link SparkZarrV3ReadOnStoreContract} scenarios on Azurite (or the CI's server). */
class SparkZarrV3ReadOnAzureTest extends SparkZarrV3ReadOnStoreContract {
  private final String container = AzuriteServer.uniqueContainerName("spark-zarr3");
  private final Map<String, String> options;

  SparkZarrV3ReadOnAzureTest() {
    AzuriteServer server = AzuriteServer.get();
    server.createContainer(container);
    options = server.settings(container);
  }

  @Override
  protected String root() {
    return "az://" + container + "/zarr3";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
