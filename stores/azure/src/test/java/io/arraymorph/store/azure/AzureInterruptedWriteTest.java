package io.arraymorph.store.azure;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.InterruptedWriteContract;
import io.arraymorph.testing.StartsServers;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;

/** A write failing at each of its requests, then repaired, against Azurite. */
@StartsServers
class AzureInterruptedWriteTest extends InterruptedWriteContract {
  private static final AtomicInteger ROOTS = new AtomicInteger();
  private static AzuriteServer server;
  private static String container;

  @BeforeAll
  static void createContainer() {
    server = AzuriteServer.get();
    container = AzuriteServer.uniqueContainerName("interrupted");
    server.createContainer(container);
  }

  @Override
  protected Supplier<ObjectStore> newLocation() {
    String uri = "az://" + container + "/root-" + ROOTS.incrementAndGet() + "/data.zarr";
    return () -> ObjectStores.open(uri, StoreSettings.of(server.settings(container)));
  }
}
