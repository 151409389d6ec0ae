package io.arraymorph.testing;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The local filesystem store keeps the store contract. */
class LocalObjectStoreContractTest extends ObjectStoreContractTest {
  @TempDir Path root;

  @Override
  protected ObjectStore openEmptyStore() {
    return new LocalObjectStore(root.resolve("store"), 8);
  }
}
