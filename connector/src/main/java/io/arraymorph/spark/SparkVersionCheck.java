package io.arraymorph.spark;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps a query on the one version of each dataset that the driver planned with. Every input
 * partition checks, when it opens a dataset and again after fetching its chunks, that zarr.json
 * still records the planned {@link Publication} generation in state stable; a writer's publish
 * always changes it first, so a partition that passes both checks read only that version's chunks.
 * Datasets without a publication are not checked (no extra request).
 */
final class SparkVersionCheck {
  /** Opens of a dataset found publishing before the driver gives up. */
  static final int OPEN_ATTEMPTS = 8;

  static final long FIRST_WAIT_MS = 100;

  private SparkVersionCheck() {}

  /**
   * Opens a dataset on the driver, waiting with bounded backoff (about 10 s in all) while a writer
   * publishes it, so the query plans with a stable version.
   *
   * @throws ConcurrentWriteException when it is still publishing after the last attempt
   */
  static Dataset openStable(Supplier<Dataset> open, String location) {
    long wait = FIRST_WAIT_MS;
    for (int attempt = 1; ; attempt++) {
      Dataset ds = open.get();
      boolean publishing =
          ds instanceof ZarrDataset z
              && Publication.of(z.metadata()).map(p -> !p.stable()).orElse(false);
      if (!publishing) {
        return ds;
      }
      if (attempt >= OPEN_ATTEMPTS) {
        throw new ConcurrentWriteException(
            "Dataset '"
                + ds.path()
                + "' in "
                + location
                + " is being published by another job ("
                + Publication.of(((ZarrDataset) ds).metadata()).orElseThrow()
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

  /** Checks a dataset an executor opened against the planned version. */
  static void atOpen(SparkArrayInfo planned, Dataset opened, String location) {
    if (planned.generation() < 0) {
      return;
    }
    Optional<Publication> now =
        opened instanceof ZarrDataset z ? Publication.of(z.metadata()) : Optional.empty();
    check(planned, now, location);
  }

  /** Reads zarr.json again after the chunks were fetched and checks the version. */
  static void afterRead(SparkArrayInfo planned, ArrayStore store, String location) {
    if (planned.generation() < 0) {
      return;
    }
    String key = Keys.join(planned.path(), ZarrDataset.METADATA_FILE);
    Optional<Publication> now;
    try {
      now =
          Publication.of(ZarrArrayMetadata.parse(Futures.join(store.objectStore().get(key)), key));
    } catch (ObjectNotFoundException e) {
      now = Optional.empty();
    }
    check(planned, now, location);
  }

  private static void check(SparkArrayInfo planned, Optional<Publication> now, String location) {
    if (now.isPresent() && now.get().stable() && now.get().generation() == planned.generation()) {
      return;
    }
    throw new ConcurrentWriteException(
        "Dataset '"
            + planned.path()
            + "' in "
            + location
            + " was overwritten by another job while this query read it (planned with generation "
            + planned.generation()
            + ", now "
            + now.map(Object::toString).orElse("gone or unversioned")
            + "); no mixed rows were returned. Re-run the query");
  }
}
