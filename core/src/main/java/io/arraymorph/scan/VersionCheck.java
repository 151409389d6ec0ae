package io.arraymorph.scan;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.InterruptedPublicationException;
import io.arraymorph.api.Dataset;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps a distributed read on the one version of each dataset that was planned. A writer's publish
 * always changes the recorded {@link Publication} first (to publishing, then to a new stable
 * generation), so a task that finds the planned generation still stable <em>after</em> fetching its
 * chunks read only that version's chunks: one small GET per task and dataset, and none for datasets
 * that record no version ({@link Dataset#generation()} {@code < 0}).
 */
public final class VersionCheck {
  /** Opens of a dataset found publishing before the planner gives up. */
  static final int OPEN_ATTEMPTS = 8;

  static final long FIRST_WAIT_MS = 100;

  private VersionCheck() {}

  /**
   * Opens a dataset for planning, waiting with bounded backoff (about 10 s in all) while a writer
   * publishes it, so the read is planned on a stable version.
   *
   * @param open opens the dataset, or gives null when there is none (then null is returned)
   * @param where the location for messages (already redacted)
   * @throws ConcurrentWriteException when it is still publishing after the last attempt
   */
  public static Dataset openStable(Supplier<Dataset> open, String where) {
    long wait = FIRST_WAIT_MS;
    for (int attempt = 1; ; attempt++) {
      Dataset ds = open.get();
      if (ds == null || !ds.publishing()) {
        return ds;
      }
      if (attempt == 1 || attempt >= OPEN_ATTEMPTS) {
        // Left publishing by a writer that failed: waiting would not help; say how to repair it.
        Optional<InterruptedPublicationException> interrupted = ds.interruptedPublication();
        if (interrupted.isPresent()) {
          throw interrupted.get();
        }
      }
      if (attempt >= OPEN_ATTEMPTS) {
        throw new ConcurrentWriteException(
            "Dataset '"
                + ds.path()
                + "' in "
                + where
                + " is being published by another job (generation "
                + ds.generation()
                + ") and stayed so for "
                + OPEN_ATTEMPTS
                + " attempts; re-run the query when that write is done");
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConcurrentWriteException("Interrupted waiting for dataset '" + ds.path() + "'");
      }
      wait = Math.min(2_000, wait * 2);
    }
  }

  /**
   * Reads the dataset's metadata again and checks it still records {@code plannedGeneration} in
   * state stable; does nothing (no request) when the planned generation is negative.
   *
   * @throws ConcurrentWriteException when another job published or is publishing it
   */
  public static void verify(ObjectStore store, String path, long plannedGeneration, String where) {
    if (plannedGeneration < 0) {
      return;
    }
    String key = Keys.join(path, ZarrDataset.METADATA_FILE);
    Optional<Publication> now;
    try {
      now = Publication.of(ZarrArrayMetadata.parse(Futures.join(store.get(key)), key));
    } catch (ObjectNotFoundException e) {
      now = Optional.empty();
    }
    if (now.isPresent() && now.get().stable() && now.get().generation() == plannedGeneration) {
      return;
    }
    throw new ConcurrentWriteException(
        "Dataset '"
            + path
            + "' in "
            + where
            + " was overwritten by another job while this query read it (planned with generation "
            + plannedGeneration
            + ", now "
            + now.map(Object::toString).orElse("gone or unversioned")
            + "); no mixed rows were returned. Re-run the query");
  }
}
