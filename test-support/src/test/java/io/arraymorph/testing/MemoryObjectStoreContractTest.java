package io.arraymorph.testing;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;

/** The memory store keeps the store contract. */
class MemoryObjectStoreContractTest extends ObjectStoreContractTest {
  @Override
  protected ObjectStore openEmptyStore() {
    return new MemoryObjectStore();
  }
}
