package io.arraymorph.api;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import java.io.Serializable;
import java.util.Optional;
import java.util.function.Function;

/**
 * A file whose chunks a read takes at offsets planned elsewhere, as the planner saw it, so the read
 * can check (one HEAD request) that it still reads that file: every {@link InFileChunks} carries
 * one, and kerchunk refs one per data file they name ({@link #dataFile}).
 *
 * @param what how messages name the file ("File", "Kerchunk data file")
 * @param key the file's key in its directory's store, or for a {@link #dataFile} its URL
 * @param size its size in bytes at planning
 * @param tag its entity tag at planning, or null when the store gives none
 */
public record PlannedFile(String what, String key, long size, String tag) implements Serializable {
  private static final String DATA_FILE = "Kerchunk data file";

  /** A data file kerchunk refs name by {@code url}, as a HEAD at planning saw it. */
  public static PlannedFile dataFile(String url, ObjectInfo planned) {
    return new PlannedFile(DATA_FILE, url, planned.size(), planned.tag());
  }

  /** Whether this is a {@link #dataFile}, whose {@link #key} is a URL. */
  public boolean isDataFile() {
    return DATA_FILE.equals(what);
  }

  /**
   * Checks that the object at {@link #key} is still the one planned (one HEAD request): same size
   * and, where the store gives entity tags, same tag, so a replacement of the same size is refused
   * too.
   *
   * @param where the location for messages (already redacted)
   * @throws ConcurrentWriteException when it was replaced or removed since planning
   */
  public void verify(ObjectStore store, String where) {
    verifyAt(store, key, where);
  }

  /**
   * Like {@link #verify(ObjectStore, String)}; a {@link #dataFile} is looked up through {@code
   * urls} (where the file URLs of kerchunk refs are read).
   */
  public void verify(
      ObjectStore store, Function<String, KerchunkReferences.Location> urls, String where) {
    if (isDataFile()) {
      KerchunkReferences.Location at = urls.apply(key);
      verifyAt(at.store(), at.key(), where);
    } else {
      verifyAt(store, key, where);
    }
  }

  private void verifyAt(ObjectStore store, String storeKey, String where) {
    Optional<ObjectInfo> now = Futures.join(store.head(storeKey));
    if (now.isPresent() && !now.get().changedSince(size, tag)) {
      return;
    }
    String change =
        now.map(
                i ->
                    i.size() != size
                        ? "planned with " + size + " bytes, now " + i.size() + " bytes"
                        : "same size, entity tag " + tag + " now " + i.tag())
            .orElse("planned with " + size + " bytes, now gone");
    throw new ConcurrentWriteException(
        what
            + " '"
            + key
            + "' in "
            + where
            + " was replaced while it was read ("
            + change
            + "); no values read from it were returned. Re-run the query");
  }
}
