package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedObjectStoresTest {
  @TempDir Path dir;

  @Test
  void closingALeaseKeepsTheSharedStoreOpenForTheNextUser() {
    String location = dir.resolve("a").toString();
    ObjectStore first = SharedObjectStores.acquire(location, StoreSettings.empty());
    Futures.join(first.put("k", new byte[] {1, 2, 3}));
    first.close();
    first.close(); // releasing twice is harmless
    try (ObjectStore second = SharedObjectStores.acquire(location, StoreSettings.empty())) {
      // A closed LocalObjectStore would refuse work; the shared one still serves it.
      assertArrayEquals(new byte[] {1, 2, 3}, Futures.join(second.get("k")));
    }
  }

  @Test
  void idleStoresBeyondTheLimitAreClosedLeastRecentlyUsedFirst() {
    List<ObjectStore> leases = new ArrayList<>();
    for (int i = 0; i <= SharedObjectStores.MAX_IDLE + 2; i++) {
      leases.add(
          SharedObjectStores.acquire(dir.resolve("s" + i).toString(), StoreSettings.empty()));
    }
    ObjectStore oldest = leases.get(0);
    Futures.join(oldest.put("k", new byte[] {7}));
    leases.forEach(ObjectStore::close);
    assertTrue(SharedObjectStores.size() <= SharedObjectStores.MAX_IDLE + 2);
    // The least recently used store was closed: its I/O pool refuses new work.
    assertThrows(RejectedExecutionException.class, () -> oldest.get("k"));
  }
}
