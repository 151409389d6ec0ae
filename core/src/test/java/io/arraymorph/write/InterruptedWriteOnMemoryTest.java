package io.arraymorph.write;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import io.arraymorph.testing.InterruptedWriteContract;
import java.util.function.Supplier;

class InterruptedWriteOnMemoryTest extends InterruptedWriteContract {
  @Override
  protected Supplier<ObjectStore> newLocation() {
    MemoryObjectStore memory = new MemoryObjectStore();
    return () -> memory;
  }
}
