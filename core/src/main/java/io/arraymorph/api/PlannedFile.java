package io.arraymorph.api;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.PinnedObjectStore;
import java.io.Serializable;
import java.util.Optional;
import java.util.function.Function;

/**
 * A file whose chunks a read takes at offsets planned elsewhere, as the planner saw it, so the read
 * can check that it still reads that file: within the reads themselves where the store can ({@link
 * #readFrom}: If-Match on S3 and Azure, a stat on the local store), else one HEAD after them
 * ({@link #verify}). Every {@link InFileChunks} carries one, and kerchunk refs one per data file
 * they name ({@link #dataFile}).
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
   * too. No request where the reads from {@code store} check it themselves ({@link
   * #checkedByReads}).
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

  /**
   * Whether reads from {@code store} check this version within themselves ({@link
   * ObjectStore#readsIfUnchanged}, and a tag was recorded): then {@link #readFrom} pins the reads
   * and no HEAD after them is needed ({@link io.arraymorph.scan.VersionCheck}). The one place that
   * decides between the two checks.
   */
  public boolean checkedByReads(ObjectStore store) {
    return tag != null && store.readsIfUnchanged();
  }

  /**
   * The store to read this file's bytes at {@code storeKey} through: where {@link #checkedByReads},
   * one whose reads of it come only from the planned version and fail with this file's refusal
   * (naming it, what changed, and "Re-run the query"); otherwise {@code store} itself, to be
   * checked by {@link #verify} after the reads.
   *
   * @param where the location for messages (already redacted)
   */
  public ObjectStore readFrom(ObjectStore store, String storeKey, String where) {
    if (!checkedByReads(store)) {
      return store;
    }
    return new PinnedObjectStore(
        store,
        storeKey,
        new ObjectInfo(storeKey, size, tag),
        changed -> {
          ConcurrentWriteException refused = replaced(changed.now(), where);
          refused.addSuppressed(changed);
          return refused;
        });
  }

  private void verifyAt(ObjectStore store, String storeKey, String where) {
    if (checkedByReads(store)) {
      return;
    }
    Optional<ObjectInfo> now = Futures.join(store.head(storeKey));
    if (now.isPresent() && !now.get().changedSince(size, tag)) {
      return;
    }
    throw replaced(now, where);
  }

  /** The refusal of a read that found {@code now} instead of the planned file. */
  private ConcurrentWriteException replaced(Optional<ObjectInfo> now, String where) {
    String change =
        now.map(
                i ->
                    i.size() != size
                        ? "planned with " + size + " bytes, now " + i.size() + " bytes"
                        : "same size, entity tag " + tag + " now " + i.tag())
            .orElse("planned with " + size + " bytes, now gone");
    return new ConcurrentWriteException(
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
