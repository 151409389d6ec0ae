package io.arraymorph.write;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.InterruptedPublicationException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.WriterLock;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;
import io.arraymorph.zarr.ZarrNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Repairs publications that stopped part-way ({@link DatasetWrite#publish} failed or its process
 * died after marking the metadata publishing). Under the dataset's writer lock (a live writer's
 * lock is never broken), it rolls the publication forward from the job's {@link PublicationJournal}
 * and staged chunks when they are all there, and otherwise refuses, since chunks already copied
 * cannot be told from the previous version's. A journal whose publication never marked the metadata
 * is rolled back (its staging removed): the previous version stands.
 */
public final class PublicationRepair {
  /** The lease a repair takes the writer lock for: longer than any roll-forward's copies. */
  public static final Duration LEASE = Duration.ofMinutes(30);

  /** What a repair did to one dataset. */
  public enum Outcome {
    /** Nothing was interrupted. */
    NOTHING_TO_DO,
    /** The interrupted publication was finished: the dataset holds the new version. */
    ROLLED_FORWARD,
    /**
     * The publication had not marked the metadata: its staging was removed, the old version stays.
     */
    ROLLED_BACK,
    /** The publication had finished; only its leftover staging was removed. */
    CLEANED,
    /**
     * The dataset is publishing but cannot be finished safely (its journal or staged chunks are
     * gone); nothing was changed. {@link Result#reason} says what is missing and what to do.
     */
    UNREPAIRABLE
  }

  /**
   * What a repair did.
   *
   * @param path the dataset
   * @param outcome what was done
   * @param job the interrupted job, or null
   * @param generation the dataset's generation afterwards (0 when it records none)
   * @param reason why the dataset cannot be repaired ({@link Outcome#UNREPAIRABLE}), else null
   */
  public record Result(String path, Outcome outcome, String job, long generation, String reason) {
    Result(String path, Outcome outcome, String job, long generation) {
      this(path, outcome, job, generation, null);
    }
  }

  private PublicationRepair() {}

  /**
   * Repairs dataset {@code path}: finishes an interrupted publication, or does nothing.
   *
   * @throws ConcurrentWriteException when a live writer holds the dataset's lock
   * @throws InterruptedPublicationException when the publication cannot be finished (its journal or
   *     staged chunks are gone); the message says what is missing and what to do
   */
  public static Result repair(ArrayStore store, String path, Duration lease) {
    String p = Keys.join(path);
    store.requireZarr("repair dataset '" + p + "'");
    return underLock(
        store.objectStore(), p, lease, os -> repairLocked(os, store::createParentGroups, p));
  }

  /**
   * Repairs every interrupted publication the store's staging area records (one listing of it),
   * skipping datasets a live writer holds; then finds the datasets left publishing with no journal
   * (one listing of the store and one metadata read per Zarr v3 dataset) and reports each as {@link
   * Outcome#UNREPAIRABLE}, changing nothing.
   *
   * @return one result per journal found, in key order, then one per journal-less publishing
   *     dataset; datasets held by a live writer are left out and named in {@code skipped}
   */
  public static List<Result> repairAll(ArrayStore store, Duration lease, List<String> skipped) {
    store.requireZarr("repair");
    ObjectStore os = store.objectStore();
    List<Result> results = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (ObjectInfo o : Futures.join(os.list(DatasetWrite.STAGING_ROOT + "/"))) {
      if (PublicationJournal.isJournalKey(o.key())) {
        keys.add(o.key());
      }
    }
    keys.sort(null);
    for (String key : keys) {
      Optional<PublicationJournal> journal = PublicationJournal.read(os, key);
      if (journal.isEmpty()) {
        continue;
      }
      String p = journal.get().path();
      try {
        results.add(
            underLock(
                os,
                p,
                lease,
                locked -> {
                  Result r = repairLocked(locked, store::createParentGroups, p);
                  if (r.outcome() != Outcome.NOTHING_TO_DO) {
                    return r;
                  }
                  // The dataset is not publishing: this journal's publication either never marked
                  // it (roll back) or finished (clean up).
                  return settleStable(locked, journal.get());
                }));
      } catch (ConcurrentWriteException e) {
        skipped.add(p);
      }
    }
    Set<String> seen = new HashSet<>(skipped);
    results.forEach(r -> seen.add(r.path()));
    for (String p : publishingWithoutJournal(os, seen)) {
      try {
        results.add(
            underLock(os, p, lease, locked -> repairLocked(locked, store::createParentGroups, p)));
      } catch (InterruptedPublicationException e) {
        Optional<ZarrArrayMetadata> meta = metadata(os, p);
        results.add(
            new Result(
                p,
                Outcome.UNREPAIRABLE,
                meta.flatMap(Publication::jobOf).orElse(null),
                meta.map(Publication::generationOf).orElse(0L),
                e.getMessage()));
      } catch (ConcurrentWriteException e) {
        skipped.add(p);
      }
    }
    return results;
  }

  /** The Zarr v3 datasets outside {@code seen} whose metadata says publishing, in path order. */
  private static List<String> publishingWithoutJournal(ObjectStore os, Set<String> seen) {
    String suffix = "/" + ZarrDataset.METADATA_FILE;
    List<String> found = new ArrayList<>();
    for (ObjectInfo o : Futures.join(os.list(""))) {
      String key = o.key();
      if (key.startsWith(DatasetWrite.STAGING_ROOT + "/") || !key.endsWith(suffix)) {
        continue;
      }
      String p = key.substring(0, key.length() - suffix.length());
      if (!seen.contains(p)
          && metadata(os, p).flatMap(Publication::of).map(pub -> !pub.stable()).orElse(false)) {
        found.add(p);
      }
    }
    found.sort(null);
    return found;
  }

  /**
   * Before a write plans from a dataset found publishing: finishes an interrupted publication so
   * the write plans from the repaired version. Does nothing when a live writer holds the lock (the
   * write's own lock then reports it).
   *
   * @return whether the dataset was repaired
   * @throws InterruptedPublicationException when it cannot be finished
   */
  static boolean repairBeforeWrite(ObjectStore os, String path) {
    if (WriterLock.heldLive(os, path)) {
      return false;
    }
    try {
      // A dataset that exists has its parent groups: the roll-forward needs to create none.
      return underLock(os, path, LEASE, locked -> repairLocked(locked, p -> {}, path)).outcome()
          == Outcome.ROLLED_FORWARD;
    } catch (ConcurrentWriteException e) {
      return false;
    }
  }

  private interface LockedRepair {
    Result run(ObjectStore os);
  }

  private static Result underLock(ObjectStore os, String path, Duration lease, LockedRepair work) {
    try (WriterLock lock = WriterLock.acquire(os, path, "repair-" + UUID.randomUUID(), lease)) {
      return work.run(os);
    }
  }

  private static Result repairLocked(ObjectStore os, Consumer<String> parents, String path) {
    Optional<ZarrArrayMetadata> meta = metadata(os, path);
    Optional<Publication> publication = meta.flatMap(Publication::of);
    if (publication.isEmpty() || publication.get().stable()) {
      return new Result(
          path, Outcome.NOTHING_TO_DO, null, publication.map(Publication::generation).orElse(0L));
    }
    Publication pub = publication.get();
    String job = Publication.jobOf(meta.get()).orElse(null);
    Optional<PublicationJournal> journal =
        job == null
            ? Optional.empty()
            : PublicationJournal.read(os, PublicationJournal.keyOf(job, path));
    if (journal.isEmpty() || journal.get().generation() != pub.generation()) {
      throw new InterruptedPublicationException(
          unrepairable(
              os,
              path,
              pub,
              job,
              "its publication journal ("
                  + (job == null
                      ? "the metadata names no job"
                      : PublicationJournal.keyOf(job, path))
                  + ") is missing or records another generation, as after a write by an"
                  + " ArrayMorph version without journals or a deleted staging area"));
    }
    List<String> missing = journal.get().missingStagedChunks(os);
    if (!missing.isEmpty()) {
      throw new InterruptedPublicationException(
          unrepairable(
              os,
              path,
              pub,
              job,
              missing.size()
                  + " of its "
                  + journal.get().chunks().size()
                  + " staged chunks are missing (first: '"
                  + missing.get(0)
                  + "')"));
    }
    journal.get().rollForward(os, parents, DatasetWrite.REQUESTS_IN_FLIGHT);
    journal.get().clean(os, DatasetWrite.REQUESTS_IN_FLIGHT);
    return new Result(path, Outcome.ROLLED_FORWARD, job, pub.generation());
  }

  private static Result settleStable(ObjectStore os, PublicationJournal journal) {
    long now = metadata(os, journal.path()).map(Publication::generationOf).orElse(0L);
    journal.clean(os, DatasetWrite.REQUESTS_IN_FLIGHT);
    Outcome outcome = now == journal.generation() ? Outcome.CLEANED : Outcome.ROLLED_BACK;
    return new Result(journal.path(), outcome, journal.job(), now);
  }

  private static String unrepairable(
      ObjectStore os, String path, Publication pub, String job, String why) {
    return "Dataset '"
        + path
        + "' in "
        + os.describe()
        + " is in state publishing ("
        + pub
        + (job == null ? "" : ", job " + job)
        + ") and cannot be repaired: "
        + why
        + ". Chunks already copied cannot be told from the previous version's, so neither"
        + " version can be restored safely; nothing was changed. Write the dataset again with"
        + " mode overwrite from its source";
  }

  private static Optional<ZarrArrayMetadata> metadata(ObjectStore os, String path) {
    String key = Keys.join(path, ZarrDataset.METADATA_FILE);
    try {
      ZarrNodes.Node node = ZarrNodes.parse(Futures.join(os.get(key)), key);
      return node.isArray() ? Optional.of(node.array()) : Optional.empty();
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }
}
