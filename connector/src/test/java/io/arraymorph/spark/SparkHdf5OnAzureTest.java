package io.arraymorph.spark;

import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.StartsServers;
import java.util.Map;

/**
 * The {@link SparkHdf5OnStoreContract} scenarios on Azurite (or the CI's server named by {@code
 * ARRAYMORPH_TEST_AZURE_CONNECTION_STRING}); the kerchunk references name {@code az://} URLs.
 */
@StartsServers
class SparkHdf5OnAzureTest extends SparkHdf5OnStoreContract {
  private final String container = AzuriteServer.uniqueContainerName("spark-hdf5");
  private final Map<String, String> options;

  SparkHdf5OnAzureTest() {
    AzuriteServer server = AzuriteServer.get();
    server.createContainer(container);
    options = server.settings(container);
  }

  @Override
  protected String root() {
    return "az://" + container + "/fixtures";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
