package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prefixed views, opening stores by location, and request counting. */
class PrefixedAndOpenedStoresTest {
  private static final String MEM = "prefixed-stores-test";

  @AfterEach
  void drop() {
    MemoryObjectStore.dropNamed(MEM);
  }

  @Test
  void prefixedStoreMapsKeysUnderItsPrefix() {
    MemoryObjectStore inner = new MemoryObjectStore();
    Futures.join(inner.put("outside", new byte[] {0}));
    ObjectStore view = PrefixedObjectStore.of(inner, "/p/q/");
    Futures.join(view.put("x/y", new byte[] {1, 2}));
    Futures.join(view.put("x/z", new byte[] {3}));
    assertArrayEquals(new byte[] {1, 2}, Futures.join(inner.get("p/q/x/y")));
    assertArrayEquals(new byte[] {2}, Futures.join(view.getRange("x/y", 1, 10)));
    assertEquals(
        Optional.of(new ObjectInfo("x/z", 1)), ObjectStoreContractTest.untagged(view.head("x/z")));
    assertEquals(
        List.of(new ObjectInfo("x/y", 2), new ObjectInfo("x/z", 1)), Futures.join(view.list("x")));
    assertEquals(2, Futures.join(view.list("")).size());
    Futures.join(view.delete("x/y"));
    assertEquals(List.of("outside", "p/q/x/z"), keys(inner));
    assertTrue(view.describe().contains("p/q"), view.describe());
  }

  @Test
  void prefixedStoreRejectsKeysClimbingOutOfItsPrefix() {
    MemoryObjectStore inner = new MemoryObjectStore();
    ObjectStore view = PrefixedObjectStore.of(inner, "p");
    assertThrows(IllegalArgumentException.class, () -> view.put("../secret", new byte[] {1}));
    assertThrows(IllegalArgumentException.class, () -> view.get("a/../../b"));
    assertEquals(List.of(), keys(inner));
  }

  @Test
  void emptyPrefixIsTheStoreItself() {
    MemoryObjectStore inner = new MemoryObjectStore();
    assertSame(inner, PrefixedObjectStore.of(inner, ""));
    assertSame(inner, PrefixedObjectStore.of(inner, "/"));
  }

  private static List<String> keys(ObjectStore s) {
    return Futures.join(s.list("")).stream().map(ObjectInfo::key).toList();
  }

  @Test
  void memUriOpensTheNamedStoreUnderItsPath() {
    try (ObjectStore s = ObjectStores.open("mem://" + MEM + "/sub/dir")) {
      Futures.join(s.put("k", new byte[] {4}));
    }
    assertArrayEquals(new byte[] {4}, Futures.join(MemoryObjectStore.named(MEM).get("sub/dir/k")));
    try (ObjectStore again = ObjectStores.open("mem://" + MEM)) {
      assertEquals(List.of("sub/dir/k"), keys(again));
    }
  }

  @Test
  void pathsAndFileUrisOpenLocalStores(@TempDir Path dir) throws Exception {
    try (ObjectStore s = ObjectStores.open(dir.toString())) {
      Futures.join(s.put("a/b", new byte[] {1}));
    }
    assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("a/b")));
    try (ObjectStore s = ObjectStores.open(dir.toUri().toString())) {
      assertTrue(s instanceof LocalObjectStore, s.getClass().toString());
      assertArrayEquals(new byte[] {1}, Futures.join(s.get("a/b")));
    }
  }

  @Test
  void unknownSchemeNamesTheLocation() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ObjectStores.open("nosuch://bucket/key"));
    assertTrue(e.getMessage().contains("nosuch://bucket/key"), e.getMessage());
    assertTrue(e.getMessage().contains("'nosuch'"), e.getMessage());
    // The text docs/troubleshooting.md quotes, listing the providers core has.
    assertTrue(e.getMessage().startsWith("No store handles 'nosuch://bucket/key'"), e.getMessage());
    assertTrue(e.getMessage().contains("providers on the classpath: ["), e.getMessage());
  }

  @Test
  void countingStoreCountsRequestsAndBytes() {
    CountingObjectStore s = new CountingObjectStore(new MemoryObjectStore());
    Futures.join(s.put("a", new byte[10]));
    Futures.join(s.put("b", new byte[5]));
    Futures.join(s.get("a"));
    Futures.join(s.getRange("a", 8, 100));
    assertThrows(ObjectNotFoundException.class, () -> Futures.join(s.get("missing")));
    Futures.join(s.head("a"));
    Futures.join(s.list(""));
    Futures.join(s.delete("b"));
    StoreStats st = s.stats();
    assertEquals(2, st.gets());
    assertEquals(1, st.rangeGets());
    assertEquals(2, st.puts());
    assertEquals(1, st.notFound());
    assertEquals(1, st.heads());
    assertEquals(1, st.lists());
    assertEquals(1, st.deletes());
    assertEquals(12, st.bytesRead());
    assertEquals(15, st.bytesWritten());
    assertEquals(8, st.requests());
    st.reset();
    assertEquals(0, st.requests());
    assertEquals(0, st.bytesRead());
  }
}
