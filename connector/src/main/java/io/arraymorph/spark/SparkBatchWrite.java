package io.arraymorph.spark;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrDataset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * The job side of a write: the commit protocol.
 *
 * <ul>
 *   <li>New dataset: tasks wrote chunks to their final keys; commit removes stray chunks, then
 *       writes zarr.json last, which makes the dataset visible. Abort deletes every chunk under the
 *       dataset's prefix (it had no metadata, so nothing there was readable).
 *   <li>Existing dataset (append, overwrite): tasks wrote chunks under a staging prefix with
 *       deterministic keys; commit copies them to their final keys in parallel, deletes stale
 *       chunks (overwrite), writes zarr.json, then deletes the staging prefix. Abort deletes the
 *       staging prefix and leaves the old version intact.
 * </ul>
 */
final class SparkBatchWrite implements BatchWrite {
  private final SparkWritePlan plan;

  SparkBatchWrite(SparkWritePlan plan) {
    this.plan = plan;
  }

  @Override
  public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
    return new SparkDataWriterFactory(plan);
  }

  @Override
  public void commit(WriterCommitMessage[] messages) {
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
    try (ArrayStore store =
        ArrayStore.openShared(plan.options().location(), plan.options().storeSettings())) {
      ObjectStore os = store.objectStore();
      for (SparkWriteTarget t : plan.targets()) {
        ZarrDataset finalDs = store.prepareDataset(t.path(), t.spec(shape, plan.chunks()));
        Set<String> keep = new HashSet<>();
        for (long[] c : chunks) {
          keep.add(finalDs.chunkKey(c));
        }
        if (t.staged()) {
          ZarrDataset staged =
              store.prepareDataset(
                  plan.writePath(t), t.spec(plan.provisionalShape(), plan.chunks()));
          List<CompletableFuture<Void>> copies = new ArrayList<>();
          for (long[] c : chunks) {
            String from = staged.chunkKey(c);
            String to = finalDs.chunkKey(c);
            copies.add(os.get(from).thenCompose(bytes -> os.put(to, bytes)));
          }
          joinAll(copies);
        }
        if (t.mode() != SparkWriteTarget.Mode.APPEND) {
          // Chunks not written by this job hold the fill value: remove stale or stray objects.
          deleteUnder(os, chunkPrefix(t.path()), keep);
          store.createParentGroups(t.path());
          finalDs.writeMetadata();
        }
      }
      deleteUnder(os, plan.stagingRoot() + "/", Set.of());
    }
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
    try (ArrayStore store =
        ArrayStore.openShared(plan.options().location(), plan.options().storeSettings())) {
      ObjectStore os = store.objectStore();
      for (SparkWriteTarget t : plan.targets()) {
        if (t.mode() == SparkWriteTarget.Mode.CREATE && !store.exists(t.path())) {
          deleteUnder(os, chunkPrefix(t.path()), Set.of());
        }
      }
      deleteUnder(os, plan.stagingRoot() + "/", Set.of());
    }
  }

  @Override
  public String toString() {
    return "SparkBatchWrite[" + plan.targets().size() + " datasets]";
  }
}
