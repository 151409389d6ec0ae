package io.arraymorph.cli;

import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.StartsServers;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@link CliStoreContract} scenarios on Azurite (or the CI's server named by {@code
 * ARRAYMORPH_TEST_AZURE_CONNECTION_STRING}).
 */
@StartsServers
class CliOnAzureTest extends CliStoreContract {
  private final String container = AzuriteServer.uniqueContainerName("cli");
  private final Map<String, String> settings;

  CliOnAzureTest() {
    AzuriteServer server = AzuriteServer.get();
    server.createContainer(container);
    settings = new LinkedHashMap<>(server.settings(container));
    settings.remove("bucket"); // the locations name it
  }

  @Override
  protected String root() {
    return "az://" + container + "/run";
  }

  @Override
  protected Map<String, String> settings() {
    return settings;
  }
}
