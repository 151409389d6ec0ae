package io.arraymorph.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.LocalPublications;
import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Everything the publication of an existing dataset needs to finish, written durably under the
 * job's staging prefix before the dataset's metadata is marked publishing. With it and the staged
 * chunks, any process can finish an interrupted publication ({@link #rollForward}); without it,
 * nothing has been touched yet and the staged chunks are garbage. Every step it replays is
 * idempotent (copies and deletes to fixed keys, then the metadata written last).
 *
 * @param job the writing job (its staging prefix holds the chunks)
 * @param path the dataset, from the store's root
 * @param mode APPEND or OVERWRITE
 * @param generation the publishing generation the metadata was marked with
 * @param staged the layout the chunks were staged with (their keys under the staging prefix)
 * @param published the metadata to write last, already stamped stable
 * @param previous the metadata before the job (its stale chunks go on OVERWRITE)
 * @param chunks the grid coordinates of every chunk the job publishes
 */
record PublicationJournal(
    String job,
    String path,
    WriteMode mode,
    long generation,
    ZarrArrayMetadata staged,
    ZarrArrayMetadata published,
    ZarrArrayMetadata previous,
    List<long[]> chunks) {

  /** The folder of journals inside a job's staging prefix. */
  static final String DIR = ".publications";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The journal's key for a job and dataset. */
  static String keyOf(String job, String path) {
    return Keys.join(DatasetWrite.stagingRoot(job), DIR, Keys.join(path) + ".json");
  }

  /** Whether {@code key} (from the store's root) is a journal's. */
  static boolean isJournalKey(String key) {
    return key.startsWith(DatasetWrite.STAGING_ROOT + "/")
        && key.contains("/" + DIR + "/")
        && key.endsWith(".json");
  }

  String key() {
    return keyOf(job, path);
  }

  /** Writes the journal (before the metadata is marked publishing). */
  void write(ObjectStore os) {
    Futures.join(writeAsync(os));
  }

  /** Starts {@link #write}; the journal is durable when the future completes. */
  CompletableFuture<Void> writeAsync(ObjectStore os) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("job", job);
    doc.put("path", path);
    doc.put("mode", mode.name());
    doc.put("generation", generation);
    doc.set("staged", tree(staged));
    doc.set("published", tree(published));
    doc.set("previous", tree(previous));
    ArrayNode list = doc.putArray("chunks");
    for (long[] c : chunks) {
      ArrayNode coords = list.addArray();
      for (long x : c) {
        coords.add(x);
      }
    }
    try {
      return os.put(key(), JSON.writeValueAsBytes(doc));
    } catch (IOException e) {
      throw new ArrayMorphException("Could not encode the publication journal of " + path, e);
    }
  }

  /** Reads a journal, if there is one at {@code key}. */
  static Optional<PublicationJournal> read(ObjectStore os, String key) {
    byte[] bytes;
    try {
      bytes = Futures.join(os.get(key));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(bytes);
      String path = n.path("path").asText();
      List<long[]> chunks = new ArrayList<>();
      for (JsonNode c : n.path("chunks")) {
        long[] coords = new long[c.size()];
        for (int d = 0; d < coords.length; d++) {
          coords[d] = c.get(d).asLong();
        }
        chunks.add(coords);
      }
      return Optional.of(
          new PublicationJournal(
              n.path("job").asText(),
              path,
              WriteMode.valueOf(n.path("mode").asText()),
              n.path("generation").asLong(),
              metadata(n.path("staged"), key),
              metadata(n.path("published"), key),
              metadata(n.path("previous"), key),
              chunks));
    } catch (IOException | RuntimeException e) {
      throw new ArrayMorphException(
          "Corrupt publication journal '" + key + "': " + e.getMessage(), e);
    }
  }

  private static JsonNode tree(ZarrArrayMetadata m) {
    try {
      return JSON.readTree(m.toJson());
    } catch (IOException e) {
      throw new ArrayMorphException("Could not encode metadata for a publication journal", e);
    }
  }

  private static ZarrArrayMetadata metadata(JsonNode n, String key) throws IOException {
    return ZarrArrayMetadata.parse(JSON.writeValueAsBytes(n), key);
  }

  private String stagedPrefix() {
    return Keys.join(DatasetWrite.stagingRoot(job), path) + "/";
  }

  /** The staged chunk keys the journal names that are not in the store (one listing). */
  List<String> missingStagedChunks(ObjectStore os) {
    Set<String> present = new HashSet<>();
    for (ObjectInfo o : Futures.join(os.list(stagedPrefix()))) {
      present.add(o.key());
    }
    List<String> missing = new ArrayList<>();
    ZarrDataset from =
        new ZarrDataset(os, Keys.join(DatasetWrite.stagingRoot(job), path), staged, 1);
    for (long[] c : chunks) {
      String key = from.chunkKey(c);
      if (!present.contains(key)) {
        missing.add(key);
      }
    }
    return missing;
  }

  /**
   * Finishes the publication: copies every staged chunk to its final key, on OVERWRITE removes
   * chunks the job did not write (of either layout) and creates the parent groups, then writes the
   * stable metadata. Leaves the staging prefix to {@link #clean}.
   *
   * @param parents creates the groups above the dataset
   */
  void rollForward(ObjectStore os, Consumer<String> parents, int maxInFlight) {
    rollForward(os, parents, maxInFlight, null);
  }

  /**
   * {@link #rollForward(ObjectStore, Consumer, int)} with the dataset's listing started before the
   * copies ({@link #listDataset}), or null to list after them (a repair). Copies write only the
   * kept keys and the writer lock keeps every other writer out, so a listing from before or during
   * the copies names the same stale objects as one after them. With a listing given, the parent
   * groups are made while the copies run; the stale chunks are deleted only once every copy is
   * done, so that no delete empties a folder a copy writes into (the local store).
   *
   * @return how long each step took, for the publication's debug log
   */
  String rollForward(
      ObjectStore os,
      Consumer<String> parents,
      int maxInFlight,
      CompletableFuture<List<ObjectInfo>> listedBefore) {
    ZarrDataset from =
        new ZarrDataset(os, Keys.join(DatasetWrite.stagingRoot(job), path), staged, 1);
    ZarrDataset out = new ZarrDataset(os, path, published, 1);
    long start = System.nanoTime();
    AsyncLimiter limiter = new AsyncLimiter(maxInFlight);
    List<CompletableFuture<Void>> copies = new ArrayList<>();
    Set<String> keep = new HashSet<>();
    for (long[] c : chunks) {
      String source = from.chunkKey(c);
      String target = out.chunkKey(c);
      keep.add(target);
      copies.add(limiter.submit(() -> os.copy(source, target)));
    }
    boolean overwrite = mode == WriteMode.OVERWRITE;
    boolean beside = overwrite && listedBefore != null;
    if (beside) {
      // Its round trips run while the server copies.
      settledOnFailure(copies, listedBefore, () -> parents.accept(path));
    }
    joinAll(copies);
    long copied = System.nanoTime();
    if (overwrite) {
      // Chunks not written by this job hold the fill value: remove stale objects of either layout,
      // listing the dataset once.
      List<ObjectInfo> listed = Futures.join(beside ? listedBefore : listDataset(os, path));
      deleteChunksExcept(os, path, listed, List.of(published, previous), keep, maxInFlight);
      if (!beside) {
        parents.accept(path);
      }
    }
    long cleared = System.nanoTime();
    Futures.join(os.put(out.metadataKey(), published.toJson()));
    LocalPublications.changed(); // a repair publishes too
    return chunks.size()
        + " copies "
        + DatasetWrite.millis(start, copied)
        + " ms, stale chunks and parent groups "
        + DatasetWrite.millis(copied, cleared)
        + " ms, stable metadata "
        + DatasetWrite.millis(cleared, System.nanoTime())
        + " ms";
  }

  /**
   * Runs {@code work} while {@code inFlight} and {@code alsoInFlight} proceed; if it fails, waits
   * for them to settle first, so that no request of this publication lands after its failure is
   * reported.
   */
  private static void settledOnFailure(
      List<CompletableFuture<Void>> inFlight, CompletableFuture<?> alsoInFlight, Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      List<CompletableFuture<?>> all = new ArrayList<>(inFlight);
      all.add(alsoInFlight);
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .handle((v, ignored) -> null)
          .join();
      throw e;
    }
  }

  /**
   * Removes this dataset's part of the job's staging prefix (staged chunks, fragment packs) and
   * then the journal, leaving other datasets of the same job alone.
   */
  void clean(ObjectStore os, int maxInFlight) {
    cleanDataset(os, job, path, maxInFlight);
  }

  /**
   * {@link #clean} for job {@code job} and dataset {@code path}, whether or not a journal exists.
   */
  static void cleanDataset(ObjectStore os, String job, String path, int maxInFlight) {
    String root = DatasetWrite.stagingRoot(job);
    deleteUnder(os, Keys.join(root, path) + "/", maxInFlight);
    deleteUnder(os, Keys.join(root, "fragments", path) + "/", maxInFlight);
    Futures.join(os.delete(keyOf(job, path)));
  }

  private static void deleteUnder(ObjectStore os, String prefix, int maxInFlight) {
    List<String> keys = Futures.join(os.list(prefix)).stream().map(ObjectInfo::key).toList();
    Futures.join(os.deleteAll(keys, maxInFlight));
  }

  /** Deletes the objects under {@code path}'s prefix that are chunk keys of {@code layout}. */
  static void deleteChunksExcept(
      ObjectStore os, String path, ZarrArrayMetadata layout, Set<String> keep, int maxInFlight) {
    deleteChunksExcept(os, path, List.of(layout), keep, maxInFlight);
  }

  /**
   * Deletes the objects under {@code path}'s prefix that are chunk keys of any of {@code layouts},
   * listing the prefix once (an overwrite removes stale chunks of the old and the new layout).
   */
  static void deleteChunksExcept(
      ObjectStore os,
      String path,
      List<ZarrArrayMetadata> layouts,
      Set<String> keep,
      int maxInFlight) {
    deleteChunksExcept(os, path, Futures.join(listDataset(os, path)), layouts, keep, maxInFlight);
  }

  /** Lists every object under the dataset's prefix. */
  static CompletableFuture<List<ObjectInfo>> listDataset(ObjectStore os, String path) {
    return os.list(path + "/");
  }

  /** Deletes the objects of {@code listed} that are chunk keys of {@code layouts}, but not kept. */
  private static void deleteChunksExcept(
      ObjectStore os,
      String path,
      List<ObjectInfo> listed,
      List<ZarrArrayMetadata> layouts,
      Set<String> keep,
      int maxInFlight) {
    String prefix = path + "/";
    List<String> stale = new ArrayList<>();
    for (ObjectInfo o : listed) {
      String key = o.key();
      if (!keep.contains(key) && isChunkKey(layouts, key.substring(prefix.length()))) {
        stale.add(key);
      }
    }
    Futures.join(os.deleteAll(stale, maxInFlight));
  }

  private static boolean isChunkKey(List<ZarrArrayMetadata> layouts, String relative) {
    for (ZarrArrayMetadata l : layouts) {
      if (l.isChunkKey(relative)) {
        return true;
      }
    }
    return false;
  }

  static void joinAll(List<CompletableFuture<Void>> futures) {
    Futures.join(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
  }
}
