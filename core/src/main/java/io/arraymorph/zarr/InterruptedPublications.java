package io.arraymorph.zarr;

import io.arraymorph.InterruptedPublicationException;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import java.util.Optional;

/**
 * Tells an interrupted publication from one in progress: a dataset whose metadata says publishing
 * while no writer holds a live lock on it was left so by a writer that failed or crashed, and stays
 * so until it is repaired. Readers then refuse at once with the fix instead of waiting it out.
 */
public final class InterruptedPublications {
  private InterruptedPublications() {}

  /**
   * Checks a dataset whose metadata was seen publishing: empty when a live writer holds its lock or
   * it has become stable, else the error to refuse the read with. The metadata is read again after
   * the lock, since a writer writes the stable metadata before releasing its lock.
   */
  public static Optional<InterruptedPublicationException> check(
      ObjectStore store, String path, String where) {
    if (WriterLock.heldLive(store, path)) {
      return Optional.empty();
    }
    String key = Keys.join(path, ZarrDataset.METADATA_FILE);
    ZarrArrayMetadata now;
    try {
      now = ZarrArrayMetadata.parse(Futures.join(store.get(key)), key);
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
    Optional<Publication> publication = Publication.of(now);
    if (publication.isEmpty() || publication.get().stable()) {
      return Optional.empty();
    }
    return Optional.of(
        new InterruptedPublicationException(
            message(path, where, publication.get(), Publication.jobOf(now).orElse(null))));
  }

  /** What readers and writers say about a dataset left publishing, with the fix. */
  public static String message(String path, String where, Publication publication, String job) {
    return "Dataset '"
        + path
        + "' in "
        + where
        + " is in state publishing ("
        + publication
        + (job == null ? "" : ", job " + job)
        + ") and no writer holds its lock: that publication was interrupted, so its chunks may mix"
        + " two versions and are not read. "
        + repairAdvice(path);
  }

  /** How to repair an interrupted publication of {@code path}. */
  public static String repairAdvice(String path) {
    return "Repair it with `arraymorph repair <location> "
        + path
        + "` (Java: ArrayStore.repair(\""
        + path
        + "\")), or write to it again: a write first finishes the interrupted publication from"
        + " its staged chunks";
  }
}
