package io.arraymorph.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.ForwardingObjectStore;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Coordinate variables are found in the dataset's group or an ancestor, with one listing per group
 * where the store lists one level, and by direct lookups where it cannot or may not.
 */
class CoordinateLookupTest {

  /** A memory store that lists one level (as S3 does), recording what is asked of it. */
  private static final class ListingStore extends FilterStore {
    final List<String> listed = new ArrayList<>();
    final List<String> gets = new ArrayList<>();
    boolean refuseLists;

    ListingStore(ObjectStore inner) {
      super(inner);
    }

    @Override
    public CompletableFuture<byte[]> get(String key) {
      gets.add(key);
      return super.get(key);
    }

    @Override
    public CompletableFuture<Optional<List<String>>> listChildren(String prefix) {
      listed.add(prefix);
      if (refuseLists) {
        return CompletableFuture.failedFuture(new StoreException("403 on LIST " + prefix));
      }
      return list(prefix)
          .thenApply(
              all -> {
                TreeSet<String> names = new TreeSet<>();
                all.forEach(o -> names.add(o.key().substring(prefix.length()).split("/", -1)[0]));
                return Optional.of(List.copyOf(names));
              });
    }
  }

  /** Passes every call to another store, and leaves it open when closed. */
  private static class FilterStore extends ForwardingObjectStore {
    FilterStore(ObjectStore inner) {
      super(inner);
    }

    @Override
    public CompletableFuture<Boolean> putIfAbsent(String key, byte[] data) {
      return inner.putIfAbsent(key, data);
    }

    @Override
    public void close() {}
  }

  private final MemoryObjectStore memory = new MemoryObjectStore();

  private DatasetRef write() {
    try (ArrayStore store = ArrayStore.on(new FilterStore(memory), 4)) {
      store
          .createDataset("a/time", ArraySpec.of(DataType.INT64, 3).dimensionNames("time"))
          .write(new long[] {0}, NdArray.of(new long[] {5, 6, 7}, 3));
      store.createDataset(
          "a/b/temp", ArraySpec.of(DataType.INT32, 3, 4).dimensionNames("time", "x"));
      return store.datasetRef("a/b/temp");
    }
  }

  @Test
  void findsAnAncestorsVariableListingEachGroupOnceAndOpensOnlyNamesThatAreThere() {
    DatasetRef ref = write();
    ListingStore listing = new ListingStore(memory);
    try (ArrayStore store = ArrayStore.on(listing, 4)) {
      CoordinateLookup lookup = new CoordinateLookup(store, ref);
      Dataset time = lookup.find("time").orElseThrow();
      assertEquals("a/time", time.path());
      assertArrayEquals(new long[] {3}, time.shape());
      assertTrue(lookup.find("x").isEmpty());
      assertEquals(List.of("a/b/", "a/", ""), listing.listed);
      assertEquals(List.of("a/time/zarr.json"), listing.gets);
    }
  }

  @Test
  void aStoreThatMayNotListLooksEachNameUpInstead() {
    DatasetRef ref = write();
    ListingStore refusing = new ListingStore(memory);
    refusing.refuseLists = true;
    try (ArrayStore store = ArrayStore.on(refusing, 4)) {
      CoordinateLookup lookup = new CoordinateLookup(store, ref);
      assertEquals("a/time", lookup.find("time").orElseThrow().path());
      assertTrue(lookup.find("x").isEmpty());
      assertTrue(refusing.gets.contains("a/b/x/zarr.json"), "" + refusing.gets);
      assertTrue(refusing.gets.contains("x/zarr.json"), "" + refusing.gets);
    }
  }

  @Test
  void aStoreThatCannotListOneLevelLooksEachNameUp() {
    DatasetRef ref = write();
    CountingObjectStore counting = new CountingObjectStore(new FilterStore(memory));
    try (ArrayStore store = ArrayStore.on(counting, 4)) {
      assertEquals("a/time", new CoordinateLookup(store, ref).find("time").orElseThrow().path());
    }
  }
}
