package io.arraymorph.spark;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.engine.AsyncLimiter;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * The job side of a write: writer locks and the commit protocol.
 *
 * <ul>
 *   <li>Before any task runs ({@link #createBatchWriterFactory}), the driver takes each target
 *       dataset's {@link WriterLock} and checks that the dataset is still as planned (not created
 *       or republished by another job meanwhile); commit and abort release the locks. So two jobs
 *       never write one dataset at once: the second fails at once, naming the first.
 *   <li>New dataset: tasks wrote chunks to their final keys; commit removes stray chunks, then
 *       writes zarr.json last (generation 1), which makes the dataset visible. Abort deletes every
 *       chunk under the dataset's prefix (it had no metadata, so nothing there was readable).
 *   <li>Existing dataset (append, overwrite): tasks wrote chunks under a staging prefix with
 *       deterministic keys. Commit writes the old zarr.json with the next generation in state
 *       {@code publishing}, copies the staged chunks to their final keys (server-side copies, in
 *       parallel), deletes stale chunks (overwrite), writes the new zarr.json in state {@code
 *       stable}, then deletes the staging prefix. Readers that overlap the copy see the generation
 *       change and retry or fail instead of returning a mix ({@link Publication}). Abort deletes
 *       the staging prefix and leaves the old version intact.
 * </ul>
 */
final class SparkBatchWrite implements BatchWrite {
  /** Copies in flight during a commit. */
  static final int COPIES_IN_FLIGHT = 64;

  private final SparkWritePlan plan;
  private final List<WriterLock> locks = new ArrayList<>();

  /** Per target path, the metadata found when the lock was taken (absent: new or unversioned). */
  private final Map<String, ZarrArrayMetadata> lockedMetadata = new HashMap<>();

  /** The driver's store from locking to commit or abort. */
  private ArrayStore store;

  SparkBatchWrite(SparkWritePlan plan) {
    this.plan = plan;
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    lockTargets();
    return new SparkDataWriterFactory(plan);
  }

  /**
   * Takes every target's lock (in path order) and checks the target is as planned; on any failure
   * releases what it took. Spark calls neither commit nor abort when this throws.
   */
  private synchronized void lockTargets() {
    store = ArrayStore.openShared(plan.options().location(), plan.options().storeSettings());
    try {
      List<SparkWriteTarget> ordered = new ArrayList<>(plan.targets());
      ordered.sort(Comparator.comparing(SparkWriteTarget::path));
      for (SparkWriteTarget t : ordered) {
        locks.add(
            WriterLock.acquire(
                store.objectStore(), t.path(), plan.queryId(), plan.options().lockTimeout()));
        checkAsPlanned(t);
      }
    } catch (RuntimeException e) {
      try {
        releaseLocks();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Fails when another job created or republished the target after this write was planned. */
  private void checkAsPlanned(SparkWriteTarget t) {
    Optional<ZarrArrayMetadata> now = arrayMetadata(t.path());
    String where = plan.options().redact(plan.options().location());
    if (t.mode() == SparkWriteTarget.Mode.CREATE) {
      if (now.isPresent() || store.exists(t.path())) {
        throw new ConcurrentWriteException(
            "Dataset '"
                + t.path()
                + "' in "
                + where
                + " was created by another job after this write was planned; nothing was"
                + " written. Run the write again (with mode(\"overwrite\") or mode(\"append\") to"
                + " change that dataset)");
      }
      return;
    }
    if (now.isEmpty() && !store.exists(t.path())) {
      throw new ConcurrentWriteException(
          "Dataset '"
              + t.path()
              + "' in "
              + where
              + " was deleted by another job after this write was planned; nothing was written."
              + " Run the write again");
    }
    long generation = now.map(Publication::generationOf).orElse(0L);
    if (generation != t.baseGeneration()) {
      throw new ConcurrentWriteException(
          "Dataset '"
              + t.path()
              + "' in "
              + where
              + " was rewritten by another job after this write was planned (generation "
              + t.baseGeneration()
              + " -> "
              + generation
              + "); nothing was written. Run the write again");
    }
    now.ifPresent(m -> lockedMetadata.put(t.path(), m));
  }

  /** A Zarr v3 array's metadata at {@code path}, if there is one. */
  private Optional<ZarrArrayMetadata> arrayMetadata(String path) {
    String key = Keys.join(path, ZarrDataset.METADATA_FILE);
    try {
      ZarrNodes.Node node = ZarrNodes.parse(Futures.join(store.objectStore().get(key)), key);
      return node.isArray() ? Optional.of(node.array()) : Optional.empty();
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
    try {
      for (WriterLock lock : locks) {
        lock.verifyHeld();
      }
      publish(messages);
    } finally {
      releaseLocks();
    }
  }

  private void publish(WriterCommitMessage[] messages) {
    long[] shape = plan.shape().clone();
    long[] max = new long[shape.length];
    java.util.Arrays.fill(max, -1);
    Set<String> chunkSuffixes = new HashSet<>();
    List<long[]> chunks = new ArrayList<>();
    for (WriterCommitMessage m : messages) {
      if (m instanceof SparkWriteCommitMessage msg) {
        for (int d = 0; d < max.length; d++) {
          max[d] = Math.max(max[d], msg.maxIndex()[d]);
        }
        for (long[] c : msg.chunks()) {
          if (chunkSuffixes.add(java.util.Arrays.toString(c))) {
            chunks.add(c);
          }
        }
      }
    }
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] < 0) {
        shape[d] = max[d] + 1;
      }
    }
    ObjectStore os = store.objectStore();
    for (SparkWriteTarget t : plan.targets()) {
      ZarrDataset finalDs = store.prepareDataset(t.path(), t.spec(shape, plan.chunks()));
      Set<String> keep = new HashSet<>();
      for (long[] c : chunks) {
        keep.add(finalDs.chunkKey(c));
      }
      if (!t.staged()) {
        // Chunks not written by this job hold the fill value: remove stray objects.
        deleteUnder(os, chunkPrefix(t.path()), keep);
        store.createParentGroups(t.path());
        putMetadata(os, finalDs, Publication.first().stamp(finalDs.metadata()));
        continue;
      }
      ZarrArrayMetadata current = lockedMetadata.get(t.path());
      Publication next =
          Publication.publishingAfter(
              current == null ? t.baseGeneration() : Publication.generationOf(current));
      if (current != null) {
        // Readers that see this stop trusting the chunks until the stable version is written.
        putMetadata(os, finalDs, next.stamp(current));
      }
      ZarrDataset staged =
          store.prepareDataset(plan.writePath(t), t.spec(plan.provisionalShape(), plan.chunks()));
      AsyncLimiter limiter = new AsyncLimiter(COPIES_IN_FLIGHT);
      List<CompletableFuture<Void>> copies = new ArrayList<>();
      for (long[] c : chunks) {
        String from = staged.chunkKey(c);
        String to = finalDs.chunkKey(c);
        copies.add(limiter.submit(() -> os.copy(from, to)));
      }
      joinAll(copies);
      if (t.mode() == SparkWriteTarget.Mode.APPEND) {
        if (current != null) {
          putMetadata(os, finalDs, next.asStable().stamp(current));
        }
      } else {
        // Chunks not written by this job hold the fill value: remove stale objects.
        deleteUnder(os, chunkPrefix(t.path()), keep);
        store.createParentGroups(t.path());
        putMetadata(os, finalDs, next.asStable().stamp(finalDs.metadata()));
      }
    }
    deleteUnder(os, plan.stagingRoot() + "/", Set.of());
  }

  private static void putMetadata(ObjectStore os, ZarrDataset ds, ZarrArrayMetadata metadata) {
    Futures.join(os.put(ds.metadataKey(), metadata.toJson()));
  }

  private static String chunkPrefix(String path) {
    return path + "/c/";
  }

  private static void deleteUnder(ObjectStore os, String prefix, Set<String> keep) {
    List<CompletableFuture<Void>> deletes = new ArrayList<>();
    for (ObjectInfo o : Futures.join(os.list(prefix))) {
      if (!keep.contains(o.key())) {
        deletes.add(os.delete(o.key()));
      }
    }
    joinAll(deletes);
  }

  private static void joinAll(List<CompletableFuture<Void>> futures) {
    Futures.join(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
  }

  @Override
  public void abort(WriterCommitMessage[] messages) {
    // After a failed commit the locks are already released: cleaning up needs no lock, since
    // staging keys are this job's own and a new dataset without metadata is nobody's.
    try (ArrayStore s =
        ArrayStore.openShared(plan.options().location(), plan.options().storeSettings())) {
      ObjectStore os = s.objectStore();
      for (SparkWriteTarget t : plan.targets()) {
        if (t.mode() == SparkWriteTarget.Mode.CREATE && !s.exists(t.path())) {
          deleteUnder(os, chunkPrefix(t.path()), Set.of());
        }
      }
      deleteUnder(os, plan.stagingRoot() + "/", Set.of());
    } finally {
      releaseLocks();
    }
  }

  /** Releases every lock still held and the driver's store; safe to call more than once. */
  private synchronized void releaseLocks() {
    RuntimeException failure = null;
    for (WriterLock lock : locks) {
      try {
        lock.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    locks.clear();
    if (store != null) {
      store.close();
      store = null;
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "SparkBatchWrite[" + plan.targets().size() + " datasets]";
  }
}
