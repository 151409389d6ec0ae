package io.arraymorph.store.s3;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStoreProvider;
import io.arraymorph.store.PrefixedObjectStore;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;

/**
 * Opens {@code s3://bucket/prefix} locations, and any location when {@code storage=S3} (then the
 * bucket comes from the {@code bucket} option unless the URI is an s3 URI with one, and the path is
 * the prefix).
 */
public final class S3StoreProvider implements ObjectStoreProvider {
  @Override
  public boolean accepts(StoreUri location, StoreSettings settings) {
    String storage = settings.get("storage", "").trim();
    if (!storage.isEmpty()) {
      return storage.equalsIgnoreCase("s3");
    }
    return location.scheme().equals("s3");
  }

  @Override
  public ObjectStore open(StoreUri location, StoreSettings settings) {
    S3StoreConfig config = S3StoreConfig.from(location, settings);
    return PrefixedObjectStore.of(S3ObjectStore.open(config, settings), config.prefix());
  }
}
