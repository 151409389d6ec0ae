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

  @Override
  protected Map<String, String> wrongSecret() {
    Map<String, String> bad = new LinkedHashMap<>(settings);
    bad.put("connection_string", withPart("AccountKey", WRONG_SECRET));
    return bad;
  }

  @Override
  protected Map<String, String> closedPort(int port) {
    Map<String, String> bad = new LinkedHashMap<>(settings);
    String account = AzuriteServer.get().accountName();
    bad.put(
        "connection_string", withPart("BlobEndpoint", "http://127.0.0.1:" + port + "/" + account));
    return bad;
  }

  /** The connection string with its {@code key} part set to {@code value}. */
  private String withPart(String key, String value) {
    String cs = settings.get("connection_string");
    String replaced =
        cs.replaceAll(
            "(^|;)" + key + "=[^;]*",
            "$1" + key + "=" + java.util.regex.Matcher.quoteReplacement(value));
    org.junit.jupiter.api.Assertions.assertNotEquals(
        cs, replaced, key + " not in the connection string");
    return replaced;
  }
}
