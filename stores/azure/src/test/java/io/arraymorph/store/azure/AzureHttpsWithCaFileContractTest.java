package io.arraymorph.store.azure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.HttpsTestServers;
import io.arraymorph.testing.ObjectStoreContractTest;
import io.arraymorph.testing.StartsServers;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code tls_ca_file} naming a private CA, the Azure store keeps the whole store contract
 * against an https Azurite whose certificate that CA issued for 127.0.0.1.
 */
@StartsServers
class AzureHttpsWithCaFileContractTest extends ObjectStoreContractTest {
  private static final AtomicInteger ROOTS = new AtomicInteger();
  private static final int MIB = 1024 * 1024;
  private static AzuriteServer server;
  private static String container;

  @BeforeAll
  static void createContainer() {
    server = HttpsTestServers.azurite();
    container = AzuriteServer.uniqueContainerName("https-contract");
    server.createContainer(container);
  }

  static Map<String, String> httpsSettings(AzuriteServer server, String container) {
    Map<String, String> options = new HashMap<>(server.settings(container));
    options.put("tls_ca_file", HttpsTestServers.authority().caPem().toString());
    return options;
  }

  @Override
  protected ObjectStore openEmptyStore() {
    Map<String, String> options = httpsSettings(server, container);
    // Small pages and blocks so the suite exercises pagination and block uploads.
    options.put("list_page_size", "7");
    options.put("multipart_threshold", String.valueOf(2 * MIB));
    options.put("multipart_part_size", String.valueOf(MIB));
    return ObjectStores.open(
        "az://" + container + "/root-" + ROOTS.incrementAndGet() + "/data.zarr",
        StoreSettings.of(options));
  }

  @Override
  protected Set<String> secrets() {
    return Set.of(server.accountKey(), server.connectionString());
  }

  @Test
  void theBlobEndpointIsHttps() {
    assertTrue(server.blobEndpoint().startsWith("https://127.0.0.1:"), server.blobEndpoint());
    assertTrue(
        server.connectionString().contains("DefaultEndpointsProtocol=https;"),
        "https connection string");
  }
}
