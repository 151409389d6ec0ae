package io.arraymorph.scan;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.InterruptedPublicationException;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.InFileChunks;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps a distributed read on the one version of each dataset that was planned. A writer's publish
 * always changes the recorded {@link Publication} first (to publishing, then to a new stable
 * generation), so a task that finds the planned generation still stable <em>after</em> fetching its
 * chunks read only that version's chunks: one small GET per task and dataset, and none for datasets
 * that record no version ({@link Dataset#generation()} {@code < 0}).
 *
 * <p>It is the one owner of every read's consistency check, whatever the door: a Spark task (its
 * datasets inside files are opened by {@link #open}, whose reads check their files where the store
 * can; {@link ChunkTaskReader} calls {@link #verify} and {@link #verifyFiles} after its last chunk
 * and {@link #explain} on a failure), a Java API or CLI read ({@link #checked}: datasets inside
 * files check their files within or after the read; Zarr datasets re-read their publication with
 * {@link #currentMetadata} and retry in the caller).
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
    Optional<Publication> now = Futures.join(currentMetadata(store, path)).flatMap(Publication::of);
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

  /**
   * The dataset's metadata as stored now (one GET of its {@code zarr.json}), or empty when it is
   * gone: what a reader compares with the {@link Publication} it read with.
   */
  public static CompletableFuture<Optional<ZarrArrayMetadata>> currentMetadata(
      ObjectStore store, String path) {
    String key = Keys.join(path, ZarrDataset.METADATA_FILE);
    return store
        .get(key)
        .thenApply(json -> Optional.of(ZarrArrayMetadata.parse(json, key)))
        .exceptionallyCompose(
            e ->
                Futures.unwrap(e) instanceof ObjectNotFoundException
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : CompletableFuture.failedFuture(e));
  }

  /**
   * Opens a dataset whose chunks are read at planned places ({@link InFileChunks#resolved}) so that
   * its reads check their files where the store can do so within the reads ({@link
   * PlannedFile#readFrom}: no request on S3 and Azure, a stat on the local store); {@link
   * #verifyFiles} then HEADs only the other files.
   *
   * @param urls where the file URLs of kerchunk refs are read
   * @param where the location for messages (already redacted)
   */
  public static Dataset open(
      InFileChunks inFile,
      ObjectStore store,
      int maxInFlight,
      Function<String, KerchunkReferences.Location> urls,
      String where) {
    ObjectStore read = store;
    List<PlannedFile> dataFiles = new ArrayList<>();
    for (PlannedFile file : inFile.filesRead()) {
      if (file.isDataFile()) {
        dataFiles.add(file);
      } else {
        read = file.readFrom(read, file.key(), where);
      }
    }
    return inFile.open(read, maxInFlight, readingDataFiles(dataFiles, urls, where));
  }

  /**
   * Where kerchunk refs' file URLs are read so that reads of {@code dataFiles} come only from their
   * planned versions where the store can check that within the reads ({@link
   * PlannedFile#readFrom}).
   *
   * @param urls where the file URLs are read otherwise
   * @param where the location for messages (already redacted)
   */
  public static Function<String, KerchunkReferences.Location> readingDataFiles(
      Collection<PlannedFile> dataFiles,
      Function<String, KerchunkReferences.Location> urls,
      String where) {
    if (dataFiles.isEmpty()) {
      return urls;
    }
    Map<String, PlannedFile> byUrl = new HashMap<>();
    dataFiles.forEach(f -> byUrl.put(f.key(), f));
    return url -> {
      KerchunkReferences.Location at = urls.apply(url);
      PlannedFile file = byUrl.get(url);
      return file == null
          ? at
          : new KerchunkReferences.Location(file.readFrom(at.store(), at.key(), where), at.key());
    };
  }

  /**
   * Checks that every file whose chunks were read at planned places (HDF5 and NetCDF4 files,
   * kerchunk's data files) is still the one planned: one HEAD per distinct file whose reads did not
   * check it themselves ({@link PlannedFile#checkedByReads}, as {@link #open} read them), none for
   * datasets not inside a file or whose chunks were not resolved at planning.
   *
   * @param urls where the file URLs of kerchunk refs are read
   * @param where the location for messages (already redacted)
   * @throws ConcurrentWriteException naming the file when one was replaced since planning
   */
  public static void verifyFiles(
      List<InFileChunks> files,
      ObjectStore store,
      Function<String, KerchunkReferences.Location> urls,
      String where) {
    Set<String> checked = new HashSet<>();
    for (InFileChunks inFile : files) {
      if (inFile != null && inFile.resolved()) {
        for (PlannedFile file : inFile.filesRead()) {
          if (checked.add(file.key())) {
            file.verify(store, urls, where);
          }
        }
      }
    }
  }

  /**
   * A failure of a read explained: when {@code fileCheck} finds a file whose chunks were read at
   * planned offsets replaced since planning (then a chunk can look corrupt), the replacement error,
   * which names the file and says to re-run the read, with {@code failure} attached; otherwise
   * {@code failure} itself (with a failing check attached).
   */
  public static RuntimeException explain(RuntimeException failure, Runnable fileCheck) {
    if (failure instanceof ConcurrentWriteException || fileCheck == null) {
      return failure;
    }
    try {
      fileCheck.run();
    } catch (ConcurrentWriteException replaced) {
      replaced.addSuppressed(failure);
      return replaced;
    } catch (RuntimeException checkFailed) {
      failure.addSuppressed(checkFailed);
    }
    return failure;
  }

  /**
   * A read of chunks at planned places (the Java API's and CLI's region reads of datasets inside
   * files), kept on one version: when it succeeds, {@code fileCheck} runs after it (off the store's
   * I/O threads, as it makes requests), so values read from a file replaced meanwhile are never
   * returned; when it fails, the failure is {@link #explain}ed. A null check returns {@code read}.
   */
  public static <T> CompletableFuture<T> checked(CompletableFuture<T> read, Runnable fileCheck) {
    if (fileCheck == null) {
      return read;
    }
    return read.handleAsync(
        (value, error) -> {
          if (error != null) {
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof RuntimeException failure) {
              throw explain(failure, fileCheck);
            }
            throw new java.util.concurrent.CompletionException(cause);
          }
          fileCheck.run();
          return value;
        });
  }
}
