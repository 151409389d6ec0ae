package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.arraymorph.store.memory.MemoryObjectStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryObjectStoreTest extends ObjectStoreContractTest {
  @Override
  protected ObjectStore newStore(Path tempDir) {
    return new MemoryObjectStore();
  }

  @Test
  void namedStoresAreSharedUntilDropped() {
    MemoryObjectStore a = MemoryObjectStore.named("memtest-shared");
    assertSame(a, MemoryObjectStore.named("memtest-shared"));
    Futures.join(a.put("k", new byte[] {5}));
    assertArrayEquals(
        new byte[] {5}, Futures.join(MemoryObjectStore.named("memtest-shared").get("k")));
    MemoryObjectStore.dropNamed("memtest-shared");
    MemoryObjectStore fresh = MemoryObjectStore.named("memtest-shared");
    assertNotSame(a, fresh);
    assertEquals(List.of(), Futures.join(fresh.list("")));
    MemoryObjectStore.dropNamed("memtest-shared");
  }
}
