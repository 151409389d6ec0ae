package io.arraymorph.api;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import java.io.Serializable;
import java.util.Optional;

/**
 * A file whose chunks a task reads at offsets planned elsewhere, as the planner saw it, so the task
 * can check (one HEAD request) that it still reads that file: every {@link InFileChunks} carries
 * one.
 *
 * @param what how messages name the file ("File", "Kerchunk references")
 * @param key the file's key in its directory's store
 * @param size its size in bytes at planning
 * @param tag its entity tag at planning, or null when the store gives none
 */
public record PlannedFile(String what, String key, long size, String tag) implements Serializable {

  /**
   * Checks that the object at {@link #key} is still the one planned (one HEAD request): same size
   * and, where the store gives entity tags, same tag, so a replacement of the same size is refused
   * too.
   *
   * @param where the location for messages (already redacted)
   * @throws ConcurrentWriteException when it was replaced or removed since planning
   */
  public void verify(ObjectStore store, String where) {
    Optional<ObjectInfo> now = Futures.join(store.head(key));
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
            + " was replaced while this query read it ("
            + change
            + "); no rows of this task were returned. Re-run the query");
  }
}
