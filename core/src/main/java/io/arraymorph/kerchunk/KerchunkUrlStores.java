package io.arraymorph.kerchunk;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreStats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Resolves the file URLs of kerchunk refs ({@code s3://bucket/dir/x.h5}, {@code az://...}, {@code
 * file:///dir/x.h5}, {@code mem://...}, {@code /dir/x.h5}) through the project's object store
 * providers: one store per directory, opened on first use with the settings the references were
 * opened with (credentials, endpoint) and counted into shared {@link StoreStats}. Relative URLs and
 * {@code {{template}}} URLs are rejected: they need the references' own location, which kerchunk
 * resolves with fsspec options ArrayMorph does not have.
 */
public final class KerchunkUrlStores
    implements Function<String, KerchunkReferences.Location>, AutoCloseable {
  private final StoreSettings settings;
  private final BiFunction<String, StoreSettings, ObjectStore> opener;
  private final StoreStats stats;
  private final Map<String, ObjectStore> stores = new ConcurrentHashMap<>();

  /**
   * @param opener opens a store rooted at a directory location
   * @param stats where requests to the referenced files are counted
   */
  public KerchunkUrlStores(
      StoreSettings settings,
      BiFunction<String, StoreSettings, ObjectStore> opener,
      StoreStats stats) {
    this.settings = settings;
    this.opener = opener;
    this.stats = stats;
  }

  @Override
  public KerchunkReferences.Location apply(String url) {
    if (url.contains("{{")) {
      throw new ArrayMorphException(
          "Kerchunk ref URL '"
              + url
              + "' uses a template; ArrayMorph reads only references with literal absolute URLs"
              + " (write them without templates, e.g. kerchunk's SingleHdf5ToZarr output)");
    }
    boolean absolute = url.contains("://") || url.startsWith("/") || url.startsWith("file:");
    if (!absolute) {
      throw new ArrayMorphException(
          "Kerchunk ref URL '"
              + url
              + "' is relative; ArrayMorph resolves only absolute URLs (s3://, az://, file://,"
              + " mem://, or an absolute path): regenerate the references with the file's full"
              + " URL");
    }
    int slash = url.lastIndexOf('/');
    String dir = url.substring(0, slash + 1);
    String key = url.substring(slash + 1);
    if (key.isEmpty()) {
      throw new ArrayMorphException("Kerchunk ref URL '" + url + "' names a directory, not a file");
    }
    ObjectStore store =
        stores.computeIfAbsent(dir, d -> new CountingObjectStore(opener.apply(d, settings), stats));
    return new KerchunkReferences.Location(store, key);
  }

  @Override
  public void close() {
    stores.values().forEach(ObjectStore::close);
    stores.clear();
  }
}
