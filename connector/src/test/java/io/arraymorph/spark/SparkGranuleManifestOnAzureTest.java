package io.arraymorph.spark;

import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.StartsServers;
import java.util.Map;

/**
 * The {@link SparkGranuleManifestContract} scenarios on Azurite (or the CI's server named by {@code
 * ARRAYMORPH_TEST_AZURE_CONNECTION_STRING}): granules are read with {@code If-Match} range GETs, so
 * a replaced granule is refused, naming it.
 */
@StartsServers
class SparkGranuleManifestOnAzureTest extends SparkGranuleManifestContract {
  private final String container = AzuriteServer.uniqueContainerName("spark-manifest");
  private final Map<String, String> options;

  SparkGranuleManifestOnAzureTest() {
    AzuriteServer server = AzuriteServer.get();
    server.createContainer(container);
    options = server.settings(container);
  }

  @Override
  protected boolean readsNearbyRangesTogether() {
    return true;
  }

  @Override
  protected String root() {
    return "az://" + container + "/collection";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
