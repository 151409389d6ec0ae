package io.arraymorph.store.azure;

import io.arraymorph.hdf5.Hdf5RequestCountsOnStoreContract;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.StartsServers;

/** Reading HDF5 in place from Azurite makes the stated, counted number of requests. */
@StartsServers
class AzureHdf5RequestCountsTest extends Hdf5RequestCountsOnStoreContract {
  private final AzuriteServer server = AzuriteServer.get();
  private final String container = AzuriteServer.uniqueContainerName("hdf5-requests");

  AzureHdf5RequestCountsTest() {
    server.createContainer(container);
  }

  @Override
  protected String directory() {
    return "az://" + container + "/requests";
  }

  @Override
  protected StoreSettings settings() {
    return StoreSettings.of(server.settings(container));
  }
}
