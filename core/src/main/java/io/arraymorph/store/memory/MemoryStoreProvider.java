package io.arraymorph.store.memory;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStoreProvider;
import io.arraymorph.store.PrefixedObjectStore;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;

/** Opens {@code mem://name/path}: the JVM-wide memory store {@code name}, under {@code path}. */
public final class MemoryStoreProvider implements ObjectStoreProvider {
  @Override
  public boolean accepts(StoreUri location, StoreSettings settings) {
    return location.scheme().equals("mem");
  }

  @Override
  public ObjectStore open(StoreUri location, StoreSettings settings) {
    return PrefixedObjectStore.of(MemoryObjectStore.named(location.authority()), location.path());
  }
}
