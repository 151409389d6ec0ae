package io.arraymorph.manifest;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.SharedObjectStores;
import io.arraymorph.store.StoreSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Indexes a collection of granules into a manifest on one machine: each granule's metadata is read
 * on a pool of threads, then the manifest is written. What {@code arraymorph index} runs; the Spark
 * job reads granules with {@link #granule} on executors and writes with {@link ManifestWriter}.
 */
public final class ManifestIndex {
  private ManifestIndex() {}

  /**
   * Reads one granule's metadata and chunk index.
   *
   * @param location the granule's absolute location (a path or URI)
   */
  public static GranuleIndex granule(String location, StoreSettings settings) {
    String trimmed = location.replaceAll("/+$", "");
    int slash = trimmed.lastIndexOf('/');
    String dir = slash < 0 ? "." : trimmed.substring(0, slash + 1);
    String key = trimmed.substring(slash + 1);
    try (ObjectStore store = SharedObjectStores.acquire(dir, settings)) {
      return GranuleIndexer.index(store, key, location);
    }
  }

  /**
   * Indexes {@code granules} (absolute locations, see {@link GranuleLocations}) and writes or
   * appends to the manifest at {@code manifest}.
   *
   * @param threads granules read at once
   */
  public static ManifestWriter.Result index(
      List<String> granules,
      String manifest,
      StoreSettings settings,
      ManifestWriter.Options options,
      int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    List<GranuleIndex> indexed = new ArrayList<>();
    try {
      List<CompletableFuture<GranuleIndex>> futures = new ArrayList<>();
      for (String g : granules) {
        futures.add(CompletableFuture.supplyAsync(() -> granule(g, settings), pool));
      }
      for (CompletableFuture<GranuleIndex> f : futures) {
        indexed.add(Futures.join(f));
      }
    } catch (RuntimeException e) {
      throw e instanceof ArrayMorphException a ? a : new ArrayMorphException(e.getMessage(), e);
    } finally {
      pool.shutdownNow();
    }
    try (ObjectStore store = ObjectStores.open(manifest, settings)) {
      return ManifestWriter.write(store, "", indexed, options);
    }
  }
}
