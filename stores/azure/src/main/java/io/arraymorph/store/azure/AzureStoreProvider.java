package io.arraymorph.store.azure;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStoreProvider;
import io.arraymorph.store.PrefixedObjectStore;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;

/**
 * Opens {@code az://container/path}, {@code abfs[s]://container@account.dfs.core.windows.net/path}
 * and {@code wasb[s]://container@account.blob.core.windows.net/path}, and any location when {@code
 * storage=Azure} (the container then comes from the {@code bucket} option).
 */
public final class AzureStoreProvider implements ObjectStoreProvider {
  @Override
  public boolean accepts(StoreUri location, StoreSettings settings) {
    String storage = settings.get("storage", "").trim();
    if (!storage.isEmpty()) {
      return storage.equalsIgnoreCase("azure");
    }
    return AzureStoreConfig.SCHEMES.contains(location.scheme());
  }

  @Override
  public ObjectStore open(StoreUri location, StoreSettings settings) {
    AzureStoreConfig config = AzureStoreConfig.from(location, settings);
    return PrefixedObjectStore.of(AzureObjectStore.open(config, settings), config.prefix());
  }
}
