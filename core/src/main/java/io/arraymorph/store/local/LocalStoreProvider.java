package io.arraymorph.store.local;

import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStoreProvider;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;
import java.nio.file.Path;

/** Opens {@code file:} URIs and plain paths, and any location when {@code storage=local}. */
public final class LocalStoreProvider implements ObjectStoreProvider {
  @Override
  public boolean accepts(StoreUri location, StoreSettings settings) {
    String storage = settings.get("storage", "");
    if (!storage.isEmpty()) {
      return storage.equalsIgnoreCase("local") && location.scheme().equals("file");
    }
    return location.scheme().equals("file");
  }

  @Override
  public ObjectStore open(StoreUri location, StoreSettings settings) {
    int threads = settings.get(ArrayMorphOptions.LOCAL_IO_THREADS);
    return new LocalObjectStore(Path.of(location.path()), threads);
  }
}
