package io.arraymorph.store.azure;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.ObjectStoreContractTest;
import io.arraymorph.testing.StartsServers;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/** The Azure store keeps the store contract against Azurite, opened through its provider. */
@StartsServers
class AzureObjectStoreContractTest extends ObjectStoreContractTest {
  private static final AtomicInteger ROOTS = new AtomicInteger();
  private static final int MIB = 1024 * 1024;
  private static AzuriteServer server;
  private static String container;

  @BeforeAll
  static void createContainer() {
    server = AzuriteServer.get();
    container = AzuriteServer.uniqueContainerName("contract");
    server.createContainer(container);
  }

  @Override
  protected ObjectStore openEmptyStore() {
    Map<String, String> options = new HashMap<>(server.settings(container));
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
}
