package io.arraymorph.spark;

import io.arraymorph.testing.AzuriteServer;
import java.util.Map;

/** The {@link SparkZarrWriteContract} scenarios on Azurite (or the CI's Azure server). */
class SparkZarrWriteOnAzureTest extends SparkZarrWriteContract {
  private final String container = AzuriteServer.uniqueContainerName("spark-zarr-write");
  private final Map<String, String> options;

  SparkZarrWriteOnAzureTest() {
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
