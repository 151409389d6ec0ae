package io.arraymorph.store.azure;

import io.arraymorph.hdf5.Hdf5FixturesOnStoreContract;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.StartsServers;

/**
 * Every h5py fixture file read in place from Azurite through {@code
 * ArrayStore.open("az://…/<file>")} equals h5py's values.
 */
@StartsServers
class AzureHdf5FixturesInPlaceTest extends Hdf5FixturesOnStoreContract {
  private final AzuriteServer server = AzuriteServer.get();
  private final String container = AzuriteServer.uniqueContainerName("hdf5");

  AzureHdf5FixturesInPlaceTest() {
    server.createContainer(container);
  }

  @Override
  protected String directory() {
    return "az://" + container + "/hdf5-fixtures";
  }

  @Override
  protected StoreSettings settings() {
    return StoreSettings.of(server.settings(container));
  }
}
