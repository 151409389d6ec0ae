package io.arraymorph.write;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.InterruptedPublicationException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.LocalPublications;
import io.arraymorph.array.DataType;
import io.arraymorph.legacy.LegacyDataset;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.InterruptedPublications;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.WriterLock;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;
import io.arraymorph.zarr.ZarrNodes;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One write of one Zarr v3 dataset, from planning to publication; every door (Spark, the CLI, the
 * Java API) writes through it.
 *
 * <ul>
 *   <li>{@link #plan} decides the dataset's layout: for a new or replaced dataset from the request;
 *       for an append from the stored metadata (type, chunks, codecs, fill value, chunk key
 *       encoding), refusing a request that contradicts it before anything is locked or written.
 *   <li>{@link #lock} takes the dataset's {@link WriterLock} and checks that the dataset is still
 *       as planned (nobody created, deleted or republished it meanwhile).
 *   <li>Tasks ({@link #openTask}) write whole chunks: a new dataset's to their final keys (nothing
 *       is readable before its metadata exists), an existing dataset's to a staging prefix owned by
 *       the job. Keys are deterministic, so a retried task overwrites its own chunks.
 *   <li>{@link #publish} makes the result visible at once: a new dataset's metadata is written
 *       last; for an existing one the metadata is first marked {@code publishing} with the next
 *       {@link Publication} generation, the staged chunks are copied to their final keys, then the
 *       new metadata is written {@code stable} (readers that overlap the copy retry or fail rather
 *       than return a mix). {@link #abort} removes what the job wrote and leaves the previous
 *       version readable.
 * </ul>
 *
 * <p>The object is serializable: planned on a driver, it travels to the tasks that write chunks.
 */
public final class DatasetWrite implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Logger LOG = LoggerFactory.getLogger(DatasetWrite.class);

  /** Where jobs stage chunks of existing datasets, from the store's root. */
  public static final String STAGING_ROOT = ".arraymorph-staging";

  /** Copies and deletes in flight while publishing. */
  static final int REQUESTS_IN_FLIGHT = 64;

  private final String path;
  private final WriteMode mode;
  private final String job;
  private final byte[] metadataJson;
  private final long[] fixedShape;
  private final long[] baseShape;
  private final long baseGeneration;
  private final byte[] baseMetadataJson;

  /** Requests the publication keeps in flight (copies, deletes); see {@link #limitRequests}. */
  private int requestsInFlight = REQUESTS_IN_FLIGHT;

  private transient ZarrArrayMetadata metadata;
  private transient WriterLock lock;
  private transient ZarrArrayMetadata lockedMetadata;

  /** Set while this write's metadata may say publishing: its staging must then be kept. */
  private transient volatile boolean publicationStarted;

  /**
   * The job's staging prefix listed while this write's copies ran (after its journal was durable),
   * for {@link #finishJob} to delete without listing again; null when not listed.
   */
  private transient volatile CompletableFuture<List<ObjectInfo>> stagingListed;

  /**
   * Whether this is its job's only write, so its publication lists the job's staging prefix for
   * {@link #finishJob}: a listing taken while one of several datasets is published misses the
   * journals of those published after it, so a job of several lists once, in finishJob. A write
   * locked alone ({@link #lock}) is its job's only one; {@link #lockAll} says otherwise.
   */
  private transient volatile boolean onlyWriteOfJob = true;

  private DatasetWrite(
      String path,
      WriteMode mode,
      String job,
      ZarrArrayMetadata metadata,
      long[] fixedShape,
      ZarrArrayMetadata base) {
    this.path = path;
    this.mode = mode;
    this.job = job;
    this.metadata = metadata;
    this.metadataJson = metadata.toJson();
    this.fixedShape = fixedShape;
    this.baseShape = base == null ? null : base.shape();
    this.baseGeneration = base == null ? -1 : Publication.generationOf(base);
    this.baseMetadataJson = base == null ? null : base.toJson();
  }

  /**
   * Plans a write of {@code request.path()} in {@code store}, reading the stored metadata once.
   *
   * @param job names the writing job in locks and staging keys (e.g. a Spark query id)
   * @throws IllegalArgumentException naming the option, the stored value and the fix when the
   *     request contradicts the stored dataset, or the dataset exists for a CREATE
   * @throws ArrayMorphException when the dataset is not a Zarr v3 array ArrayMorph can write
   */
  public static DatasetWrite plan(ArrayStore store, String job, WriteRequest request) {
    return plan(job, request, inspect(store, request.path()));
  }

  /**
   * Plans a write from what {@link #inspect} found, reading nothing: a caller that needed the
   * stored dataset before planning (its dimension names, chunks) asks the store only once.
   *
   * @throws IllegalArgumentException as {@link #plan(ArrayStore, String, WriteRequest)}, and when
   *     {@code existing} was inspected at another path
   */
  public static DatasetWrite plan(String job, WriteRequest request, Existing existing) {
    String path = Keys.join(request.path());
    if (!path.equals(existing.path())) {
      throw new IllegalArgumentException(
          "The write of '" + path + "' was planned from '" + existing.path() + "'");
    }
    Optional<ZarrArrayMetadata> stored = existing.stored();
    if (existing.unrepairable != null && request.mode() != WriteMode.OVERWRITE) {
      throw existing.unrepairable;
    }
    return switch (request.mode()) {
      case CREATE -> {
        if (stored.isPresent()) {
          throw new IllegalArgumentException(
              "Dataset '"
                  + path
                  + "' already exists in "
                  + existing.where()
                  + "; append or overwrite");
        }
        yield fresh(path, job, request, WriteMode.CREATE, null);
      }
      case OVERWRITE ->
          stored.isEmpty()
              ? fresh(path, job, request, WriteMode.CREATE, null)
              : fresh(path, job, request, WriteMode.OVERWRITE, stored.get());
      case APPEND ->
          stored.isEmpty()
              ? fresh(path, job, request, WriteMode.CREATE, null)
              : append(path, job, request, stored.get());
    };
  }

  /**
   * Reads what {@code path} holds before a write, with one metadata read and three existence checks
   * (in parallel), refusing a path ArrayMorph cannot write.
   *
   * @throws ArrayMorphException when the path is a group, a Zarr v2 node or a dataset of the C++
   *     plugin's layout, or the store is not a Zarr store
   */
  public static Existing inspect(ArrayStore store, String path) {
    String p = Keys.join(path);
    if (p.isEmpty()) {
      throw new IllegalArgumentException("A dataset needs a non-empty path");
    }
    Keys.validate(p);
    store.requireZarr("write dataset '" + p + "'");
    return inspect(store.objectStore(), p);
  }

  /**
   * {@link #inspect(ArrayStore, String)} on a Zarr object store. A dataset left publishing by a
   * writer that failed is repaired first, so the write plans from a whole version.
   */
  static Existing inspect(ObjectStore os, String path) {
    Existing existing = inspectOnce(os, path);
    if (existing.publishing()) {
      try {
        if (PublicationRepair.repairBeforeWrite(os, existing.path())) {
          existing = inspectOnce(os, path);
        }
      } catch (InterruptedPublicationException e) {
        existing.unrepairable = e;
      }
    }
    return existing;
  }

  private static Existing inspectOnce(ObjectStore os, String path) {
    String p = Keys.join(path);
    List<String> markers = List.of(".zarray", ".zgroup", LegacyDataset.METADATA_FILE);
    List<CompletableFuture<Optional<ObjectInfo>>> heads = new ArrayList<>();
    for (String marker : markers) {
      heads.add(os.head(Keys.join(p, marker)));
    }
    Optional<ZarrNodes.Node> node = node(os, p);
    for (int k = 0; k < markers.size(); k++) {
      if (Futures.join(heads.get(k)).isPresent()) {
        refuseOtherFormat(os, p, markers.get(k));
      }
    }
    if (node.isPresent() && !node.get().isArray()) {
      throw new ArrayMorphException(
          "'" + p + "' in " + os.describe() + " is a group, not a dataset; write another path");
    }
    return new Existing(p, node.map(ZarrNodes.Node::array), os);
  }

  /** What a path held when a write was planned: nothing, or a Zarr v3 array ({@link #inspect}). */
  public static final class Existing {
    private final String path;
    private final Optional<ZarrArrayMetadata> stored;
    private final ObjectStore os;

    /** Why the interrupted publication found there cannot be finished; only overwrite proceeds. */
    private InterruptedPublicationException unrepairable;

    private Existing(String path, Optional<ZarrArrayMetadata> stored, ObjectStore os) {
      this.path = path;
      this.stored = stored;
      this.os = os;
    }

    /** The path from the store's root. */
    public String path() {
      return path;
    }

    /** Whether a dataset exists there. */
    public boolean exists() {
      return stored.isPresent();
    }

    /** The stored metadata, if a dataset exists. */
    public Optional<ZarrArrayMetadata> stored() {
      return stored;
    }

    /** The stored dataset as read (no request is made), if it exists. */
    public Optional<io.arraymorph.api.Dataset> dataset() {
      return stored.map(m -> new ZarrDataset(os, path, m, 1));
    }

    String where() {
      return os.describe();
    }

    boolean publishing() {
      return stored.flatMap(Publication::of).map(pub -> !pub.stable()).orElse(false);
    }
  }

  private static DatasetWrite fresh(
      String path, String job, WriteRequest r, WriteMode mode, ZarrArrayMetadata base) {
    if (r.dataType() == null || r.chunks() == null) {
      throw new IllegalArgumentException(
          "A new dataset '" + path + "' needs a data type and a chunk shape");
    }
    long[] fixed = r.shape() != null ? r.shape().clone() : filled(r.chunks().length, -1L);
    ArraySpec spec =
        ArraySpec.of(r.dataType(), provisional(fixed))
            .chunks(r.chunks())
            .compression(
                r.compression() == null ? ArraySpec.Compression.NONE : r.compression(),
                r.compressionLevel())
            .fillValue(r.fillValue() == null ? 0 : r.fillValue());
    if (r.dimensionNames() != null) {
      spec.dimensionNames(r.dimensionNames().toArray(String[]::new));
    }
    if (r.shards() != null) {
      spec.shards(r.shards());
    }
    if (r.chunkKeyEncoding() != null || r.chunkKeySeparator() != null) {
      spec.chunkKeyEncoding(
          r.chunkKeyEncoding() == null ? "default" : r.chunkKeyEncoding(), r.separatorOrDefault());
    }
    if (r.attributes() != null) {
      spec.attributes(r.attributes());
    }
    return new DatasetWrite(path, mode, job, ZarrArrayMetadata.fromSpec(spec), fixed, base);
  }

  /** An append: the stored layout, every explicit request checked against it. */
  private static DatasetWrite append(
      String path, String job, WriteRequest r, ZarrArrayMetadata stored) {
    String fix =
        "; remove the option (an append keeps the dataset's layout) or use mode overwrite to"
            + " replace the dataset";
    long[] shape = stored.shape();
    if (r.rank() != shape.length) {
      throw new IllegalArgumentException(
          "Dataset '"
              + path
              + "' has rank "
              + shape.length
              + " but the data has "
              + r.rank()
              + " dimensions; an append writes data of the dataset's rank");
    }
    if (r.dataType() != null && r.dataType() != stored.dataType()) {
      throw contradiction(
          path, "dtype", r.dataType().zarrName(), stored.dataType().zarrName(), fix);
    }
    if (r.compression() != null) {
      String asked = r.compression().name().toLowerCase(Locale.ROOT);
      List<String> have = stored.codecs().compressorNames();
      String storedName = have.isEmpty() ? "none" : String.join("+", have);
      if (!storedName.equals(asked)) {
        throw contradiction(path, "codec", asked, storedName, fix);
      }
    }
    if (r.fillValue() != null
        && !Arrays.equals(
            ZarrArrayMetadata.fillBytes(r.fillValue(), stored.dataType()), stored.fillValue())) {
      throw contradiction(
          path,
          "fill_value",
          String.valueOf(r.fillValue()),
          String.valueOf(stored.fillValueJson()),
          fix);
    }
    if (r.chunks() != null) {
      int[] inner =
          stored.codecs().sharding() == null ? null : stored.codecs().sharding().innerShape();
      if (!Arrays.equals(r.chunks(), stored.chunkShape()) && !Arrays.equals(r.chunks(), inner)) {
        throw contradiction(
            path,
            "chunks",
            Arrays.toString(r.chunks()),
            Arrays.toString(inner != null ? inner : stored.chunkShape()),
            fix);
      }
    }
    if (r.shards() != null) {
      int[] storedShards = stored.codecs().sharding() == null ? null : stored.chunkShape();
      if (!Arrays.equals(r.shards(), storedShards)) {
        throw contradiction(
            path,
            "shards",
            Arrays.toString(r.shards()),
            storedShards == null ? "no shards" : Arrays.toString(storedShards),
            fix);
      }
    }
    String encoding =
        r.chunkKeyEncoding() != null ? r.chunkKeyEncoding() : stored.chunkKeyEncoding();
    String separator =
        r.chunkKeySeparator() != null
            ? r.chunkKeySeparator()
            : r.chunkKeyEncoding() != null ? r.separatorOrDefault() : stored.chunkKeySeparator();
    if (!(encoding.equals(stored.chunkKeyEncoding())
        && separator.equals(stored.chunkKeySeparator()))) {
      throw contradiction(
          path,
          "chunk_key_encoding",
          encoding + " '" + separator + "'",
          stored.chunkKeyEncoding() + " '" + stored.chunkKeySeparator() + "'",
          fix);
    }
    if (r.shape() != null && !Arrays.equals(r.shape(), shape)) {
      throw contradiction(
          path,
          "shape",
          Arrays.toString(r.shape()),
          Arrays.toString(shape),
          "; remove the option: an append grows the shape to hold the indices it writes");
    }
    // The shape is open: indices past the end grow the dataset at commit.
    long[] open = filled(shape.length, -1L);
    return new DatasetWrite(
        path, WriteMode.APPEND, job, stored.withShape(provisional(open)), open, stored);
  }

  private static IllegalArgumentException contradiction(
      String path, String option, String given, String stored, String fix) {
    return new IllegalArgumentException(
        "Option '"
            + option
            + "' is "
            + given
            + " but dataset '"
            + path
            + "' is stored with "
            + option
            + " "
            + stored
            + fix);
  }

  /**
   * Refuses a path holding a Zarr v2 node or a dataset of ArrayMorph's C++ plugin layout, which
   * ArrayMorph reads but does not write: a Zarr v3 write there would put a second dataset beside
   * the first instead of replacing or extending it.
   */
  private static void refuseOtherFormat(ObjectStore os, String path, String marker) {
    if (marker.equals(LegacyDataset.METADATA_FILE)) {
      throw new ArrayMorphException(
          "'"
              + path
              + "' in "
              + os.describe()
              + " is a dataset of ArrayMorph's C++ plugin layout ("
              + LegacyDataset.METADATA_FILE
              + "); ArrayMorph reads that layout but writes Zarr v3 only: write another path (e.g."
              + " copy it with `arraymorph cp` and write the copy)");
    }
    throw new ArrayMorphException(
        "'"
            + path
            + "' in "
            + os.describe()
            + " is a Zarr v2 node ("
            + marker
            + "); ArrayMorph writes Zarr v3 only: write another path");
  }

  private static Optional<ZarrNodes.Node> node(ObjectStore os, String path) {
    String key = Keys.join(path, ZarrDataset.METADATA_FILE);
    try {
      return Optional.of(ZarrNodes.parse(Futures.join(os.get(key)), key));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  private static long[] filled(int n, long v) {
    long[] out = new long[n];
    Arrays.fill(out, v);
    return out;
  }

  /**
   * A shape for chunk keys and encodings before the real one is known (they do not depend on it).
   */
  private static long[] provisional(long[] fixed) {
    long[] s = fixed.clone();
    for (int d = 0; d < s.length; d++) {
      if (s[d] < 0) {
        s[d] = 1L << 40;
      }
    }
    return s;
  }

  // ---- what callers need to know ----

  /** The dataset's path from the store's root. */
  public String path() {
    return path;
  }

  /** What the write does; an APPEND or OVERWRITE of a missing dataset is planned as CREATE. */
  public WriteMode mode() {
    return mode;
  }

  /** The metadata chunks are written with (its shape provisional where not yet known). */
  public ZarrArrayMetadata metadata() {
    if (metadata == null) {
      metadata = ZarrArrayMetadata.parse(metadataJson, Keys.join(path, ZarrDataset.METADATA_FILE));
    }
    return metadata;
  }

  public DataType dataType() {
    return metadata().dataType();
  }

  /** The shape of the objects tasks write: a shard for a sharded dataset, else a chunk. */
  public int[] chunkShape() {
    return metadata().chunkShape();
  }

  /** The shape fixed before the job runs, -1 where it follows from the data (and may grow). */
  public long[] fixedShape() {
    return fixedShape.clone();
  }

  /** Whether chunks go to a staging prefix first (the dataset exists). */
  public boolean staged() {
    return mode != WriteMode.CREATE;
  }

  /** The staging prefix of a job, from the store's root. */
  public static String stagingRoot(String job) {
    return Keys.join(STAGING_ROOT, job);
  }

  /** Where tasks write this dataset's chunks. */
  String writePath() {
    return staged() ? Keys.join(stagingRoot(job), path) : path;
  }

  /**
   * Where a task stages its pack {@code seq} of fragments (see {@link ChunkAssembler}): under the
   * job's staging prefix, so commit and abort remove it with the rest.
   */
  String fragmentPackKey(String task, int seq) {
    return Keys.join(stagingRoot(job), "fragments", path, "packs", task + "-" + seq);
  }

  ZarrDataset writeTarget(ObjectStore os, int maxInFlight) {
    return new ZarrDataset(os, writePath(), metadata(), maxInFlight);
  }

  /** The stored dataset an append merges with, or null. */
  ZarrDataset base(ObjectStore os, int maxInFlight) {
    if (mode != WriteMode.APPEND) {
      return null;
    }
    return new ZarrDataset(
        os,
        path,
        ZarrArrayMetadata.parse(baseMetadataJson, Keys.join(path, ZarrDataset.METADATA_FILE)),
        maxInFlight);
  }

  long[] baseShape() {
    return baseShape == null ? null : baseShape.clone();
  }

  /** A writer of this dataset's chunks for one task. */
  public TaskWriter openTask(ObjectStore os, int maxInFlight) {
    return new TaskWriter(this, os, maxInFlight);
  }

  // ---- locking ----

  /**
   * Takes the writer locks of several writes in path order (so two jobs cannot deadlock), checking
   * each dataset is as planned; on any failure releases what it took and rethrows.
   */
  public static void lockAll(List<DatasetWrite> writes, ObjectStore os, Duration lease) {
    List<DatasetWrite> ordered = new ArrayList<>(writes);
    ordered.sort(Comparator.comparing(DatasetWrite::path));
    try {
      for (DatasetWrite w : ordered) {
        w.lock(os, lease);
        w.onlyWriteOfJob = writes.size() == 1;
      }
    } catch (RuntimeException e) {
      try {
        releaseAll(writes);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Takes the dataset's writer lock and checks the dataset is still as planned.
   *
   * @throws ConcurrentWriteException when another writer holds the lock, or created, deleted or
   *     republished the dataset after this write was planned (the lock is then released)
   */
  public synchronized void lock(ObjectStore os, Duration lease) {
    lock = WriterLock.acquire(os, path, job, lease);
    try {
      checkAsPlanned(os);
    } catch (RuntimeException e) {
      release();
      throw e;
    }
  }

  private void checkAsPlanned(ObjectStore os) {
    Optional<ZarrNodes.Node> now = node(os, path);
    Optional<ZarrArrayMetadata> array = now.filter(ZarrNodes.Node::isArray).map(n -> n.array());
    String where = os.describe();
    if (mode == WriteMode.CREATE) {
      if (now.isPresent()) {
        throw new ConcurrentWriteException(
            "Dataset '"
                + path
                + "' in "
                + where
                + " was created by another job after this write was planned; nothing was"
                + " written. Run the write again (append or overwrite to change that dataset)");
      }
      return;
    }
    if (array.isEmpty()) {
      throw new ConcurrentWriteException(
          "Dataset '"
              + path
              + "' in "
              + where
              + " was deleted by another job after this write was planned; nothing was written."
              + " Run the write again");
    }
    long generation = Publication.generationOf(array.get());
    boolean sameLayout =
        Arrays.equals(withoutAttributes(array.get()), withoutAttributes(baseMetadataJson));
    if (generation != baseGeneration || !sameLayout) {
      throw new ConcurrentWriteException(
          "Dataset '"
              + path
              + "' in "
              + where
              + " was rewritten by another job after this write was planned (generation "
              + baseGeneration
              + " -> "
              + generation
              + "); nothing was written. Run the write again");
    }
    lockedMetadata = array.get();
  }

  private static byte[] withoutAttributes(ZarrArrayMetadata m) {
    return m.withAttributes(Map.of()).toJson();
  }

  private byte[] withoutAttributes(byte[] json) {
    return withoutAttributes(
        ZarrArrayMetadata.parse(json, Keys.join(path, ZarrDataset.METADATA_FILE)));
  }

  /**
   * Checks the lock is still this write's (its lease may have expired and another writer taken it);
   * a job publishing several datasets checks every lock before publishing any.
   *
   * @throws ConcurrentWriteException when it is not
   * @throws IllegalStateException when {@link #lock} was not called
   */
  public void verifyLocked() {
    heldLock().verifyHeld();
  }

  /** The lock taken by {@link #lock}, without a request; refuses a write that took none. */
  private WriterLock heldLock() {
    WriterLock held = lock;
    if (held == null) {
      throw new IllegalStateException("Take the writer lock of '" + path + "' before publishing");
    }
    return held;
  }

  /** Releases the lock if held; safe to call more than once. */
  public synchronized void release() {
    if (lock != null) {
      try {
        lock.close();
      } finally {
        lock = null;
      }
    }
  }

  /** Releases every write's lock, reporting the first failure after trying all. */
  public static void releaseAll(Collection<DatasetWrite> writes) {
    RuntimeException failure = null;
    for (DatasetWrite w : writes) {
      try {
        w.release();
      } catch (RuntimeException e) {
        failure = firstOf(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  // ---- one job, from lock to publication ----

  /** What a job's chunk writes produced: the chunks written and the last index written per axis. */
  public record Written(Collection<long[]> chunks, long[] lastIndex) {}

  /** A job's chunk writes (through {@link #openTask} writers), run while the lock is held. */
  @FunctionalInterface
  public interface Work {
    /** Writes the job's chunks and says which; nothing it writes is visible before publication. */
    Written run(DatasetWrite write);
  }

  /**
   * Runs one single-dataset job through the whole protocol: takes the writer lock (checking the
   * dataset is still as planned), runs {@code work}, publishes what it wrote at once and cleans the
   * job's staging prefix; on any failure removes what the job wrote, so the previous version (if
   * any) stays readable, and always releases the lock. The Java API, {@code arraymorph cp} and
   * rechunk run through it; Spark's write, split between driver callbacks, uses the same pieces
   * ({@link #lockAll}, {@link #publish}, {@link #abortJob}).
   *
   * @param lease how long the lock lasts: a job that takes longer is not published
   * @return the metadata published
   * @throws ConcurrentWriteException when another writer holds the lock or changed the dataset
   */
  public ZarrArrayMetadata run(ArrayStore store, Duration lease, Work work) {
    return run(store.objectStore(), store::createParentGroups, lease, work);
  }

  /** {@link #run(ArrayStore, Duration, Work)} on an object store, {@code parents} as in publish. */
  ZarrArrayMetadata run(ObjectStore os, Consumer<String> parents, Duration lease, Work work) {
    lock(os, lease);
    ZarrArrayMetadata published;
    try {
      Written written = work.run(this);
      published = publish(os, parents, written.chunks(), written.lastIndex());
    } catch (Throwable e) {
      // Throwable, decided once for every door: cleanup must follow any failure of the work, also
      // an Error and a checked exception thrown undeclared (Spark rethrows a job's that way).
      try {
        abortJob(os, List.of(this), job, requestsInFlight);
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      try {
        release();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    // Published: from here nothing fails the write (finishJob only warns).
    finishJob(os, List.of(this), job, requestsInFlight);
    return published;
  }

  /**
   * Removes what job {@code job} wrote for {@code writes} ({@link #abort}) and its staging prefix,
   * leaving every previous version readable; needs no lock. Tries every step and reports the first
   * failure.
   */
  public static void abortJob(ObjectStore os, Collection<DatasetWrite> writes, String job) {
    abortJob(os, writes, job, REQUESTS_IN_FLIGHT);
  }

  private static void abortJob(
      ObjectStore os, Collection<DatasetWrite> writes, String job, int maxInFlight) {
    RuntimeException failure = null;
    List<DatasetWrite> settled = new ArrayList<>();
    boolean keep = false;
    for (DatasetWrite w : writes) {
      try {
        if (w.publicationStarted) {
          // Its staged chunks are what a repair finishes the publication from.
          keep |= w.keepsInterruptedPublication(os);
        } else {
          w.abort(os);
          settled.add(w);
        }
      } catch (RuntimeException e) {
        keep |= w.publicationStarted;
        failure = firstOf(failure, e);
      }
    }
    try {
      if (!keep) {
        cleanStaging(os, job, maxInFlight);
      } else {
        for (DatasetWrite w : settled) {
          w.cleanOwnStaging(os, maxInFlight);
        }
      }
    } catch (RuntimeException e) {
      failure = firstOf(failure, e);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * After a publication of this write failed part-way: whether its metadata still says publishing
   * (or cannot be read), so its journal and staged chunks must stay for a repair. When the marker
   * never landed (the previous version stands) or the stable metadata did, removes this write's
   * staging and says no.
   */
  private boolean keepsInterruptedPublication(ObjectStore os) {
    Optional<Publication> now =
        node(os, path).filter(ZarrNodes.Node::isArray).flatMap(n -> Publication.of(n.array()));
    if (now.isPresent() && !now.get().stable()) {
      return true;
    }
    publicationStarted = false;
    cleanOwnStaging(os, requestsInFlight);
    return false;
  }

  /** Removes this dataset's part of the job's staging prefix, leaving other datasets' alone. */
  private void cleanOwnStaging(ObjectStore os, int maxInFlight) {
    PublicationJournal.cleanDataset(os, job, path, maxInFlight);
  }

  private static RuntimeException firstOf(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  // ---- publication ----

  /**
   * The final shape: fixed extents as planned; the others just hold every index seen, and for an
   * append never shrink below the stored shape.
   */
  public long[] finalShape(long[] maxIndex) {
    long[] shape = fixedShape.clone();
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] < 0) {
        long needed = maxIndex[d] + 1;
        shape[d] = mode == WriteMode.APPEND ? Math.max(baseShape[d], needed) : needed;
      }
    }
    return shape;
  }

  /**
   * Publishes the committed tasks' chunks: afterwards the dataset holds exactly them (CREATE,
   * OVERWRITE) or them over the stored ones (APPEND), with its shape grown to the indices written.
   * Needs the lock ({@link #lock}); does not release it or clean the job's staging prefix ({@link
   * #cleanStaging}), since one job may publish several datasets.
   *
   * @throws ConcurrentWriteException when the lock expired and another writer took it
   */
  public void publish(ArrayStore store, Collection<long[]> chunks, long[] maxIndex) {
    publish(store.objectStore(), store::createParentGroups, chunks, maxIndex);
  }

  /**
   * {@link #publish(ArrayStore, Collection, long[])} on an object store; {@code parents} creates
   * the groups above a new or replaced dataset.
   *
   * @return the metadata published
   */
  ZarrArrayMetadata publish(
      ObjectStore os, Consumer<String> parents, Collection<long[]> chunks, long[] maxIndex) {
    try {
      return publishLocked(os, parents, chunks, maxIndex);
    } finally {
      // Metadata this JVM keeps between reads (a DataFrame's) is read again, even on failure.
      LocalPublications.changed();
    }
  }

  private ZarrArrayMetadata publishLocked(
      ObjectStore os, Consumer<String> parents, Collection<long[]> chunks, long[] maxIndex) {
    WriterLock held = heldLock(); // refused before any request when no lock was taken
    ZarrArrayMetadata target = metadata().withShape(finalShape(maxIndex));
    ZarrDataset out = new ZarrDataset(os, path, target, 1);
    Set<String> keep = new HashSet<>();
    for (long[] c : chunks) {
      keep.add(out.chunkKey(c));
    }
    if (mode == WriteMode.CREATE) {
      held.verifyHeld();
      // Chunks not written by this job hold the fill value: remove stray objects.
      deleteChunksExcept(os, target, keep);
      parents.accept(path);
      ZarrArrayMetadata published = Publication.first().stamp(target);
      put(os, out, published);
      return published;
    }
    ZarrArrayMetadata current = lockedMetadata;
    Publication next = Publication.publishingAfter(current);
    ZarrArrayMetadata published =
        next.asStable()
            .stamp(mode == WriteMode.APPEND ? current.withShape(target.shape()) : target);
    PublicationJournal journal =
        new PublicationJournal(
            job,
            path,
            mode,
            next.generation(),
            metadata(),
            published,
            current,
            List.copyOf(chunks));
    long start = System.nanoTime();
    // Lock check and durable journal, before readers see anything change; the dataset's listing
    // is started too, and awaited only once the copies are done.
    CompletableFuture<List<ObjectInfo>> listed = beforeMark(os, held, journal);
    // Everything the job staged is in place now, the journal included (when this is the job's
    // only dataset): the cleanup's listing runs beside the publication instead of after it.
    stagingListed = onlyWriteOfJob ? os.list(stagingRoot(job) + "/") : null;
    // From here on the metadata may say publishing (a failed put may still have landed): the
    // staged chunks and the journal must then stay until the publication is finished or repaired.
    publicationStarted = true;
    try {
      long prepared = System.nanoTime();
      // Readers that see this stop trusting the chunks until the stable version is written.
      put(os, out, next.stamp(current, job));
      long marked = System.nanoTime();
      String rolled = journal.rollForward(os, parents, requestsInFlight, listed);
      LOG.debug(
          "Published '{}' generation {} (job {}): lock check and journal {} ms, mark {}"
              + " ms, {}",
          path,
          next.generation(),
          job,
          millis(start, prepared),
          millis(prepared, marked),
          rolled);
    } catch (RuntimeException e) {
      throw new InterruptedPublicationException(
          "Publication of dataset '"
              + path
              + "' in "
              + os.describe()
              + " (job "
              + job
              + ", generation "
              + next.generation()
              + ") failed part-way: "
              + e.getMessage()
              + ". Its metadata may say publishing, so readers refuse it until it is repaired; the"
              + " staged chunks are kept for that. "
              + InterruptedPublications.repairAdvice(path),
          e);
    }
    publicationStarted = false;
    // The journal goes with the job's staging prefix (cleanStaging).
    return published;
  }

  /**
   * What a publication does before its {@code publishing} mark, as concurrent requests, since none
   * depends on another: checks the lock is still this write's, writes the journal (durable before
   * anything readers see changes: with it any process can finish the publication), and on OVERWRITE
   * starts listing the dataset for the stale chunks to remove (copies only write kept keys, so the
   * listing may precede or overlap them). The lock check and the journal are settled before this
   * returns; on failure the listing is settled too, so a failed check leaves nothing in flight to
   * land after the abort's cleanup.
   *
   * @return the dataset's listing, perhaps still running (on OVERWRITE; else null)
   * @throws ConcurrentWriteException when the lock is no longer this write's
   */
  private CompletableFuture<List<ObjectInfo>> beforeMark(
      ObjectStore os, WriterLock held, PublicationJournal journal) {
    CompletableFuture<List<ObjectInfo>> listed =
        mode == WriteMode.OVERWRITE ? PublicationJournal.listDataset(os, path) : null;
    CompletableFuture<Void> journaled = journal.writeAsync(os);
    RuntimeException failure = null;
    try {
      held.verifyHeld();
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      Futures.join(journaled);
    } catch (RuntimeException e) {
      failure = firstOf(failure, e);
    }
    if (failure != null) {
      if (listed != null) {
        listed.handle((v, e) -> null).join();
      }
      throw failure;
    }
    return listed;
  }

  /**
   * Removes what the job wrote for this dataset: a new dataset's chunks (it has no metadata, so
   * nothing there was readable). Staged chunks go with {@link #cleanStaging}. Needs no lock.
   */
  public void abort(ObjectStore os) {
    if (mode == WriteMode.CREATE && node(os, path).isEmpty()) {
      deleteChunksExcept(os, metadata(), Set.of());
    }
  }

  /**
   * Ends a job whose datasets are published: releases every write's lock while the job's staging
   * prefix is deleted (a published job's staging is its own and needs no lock), so the two cost one
   * wait, not two. Neither failure fails the job, since the new versions are committed and readable
   * and a failed write would be retried, writing the data twice: a lock that cannot be released is
   * logged with how to remove it ({@link #warnLockLeft}), staging that cannot be deleted with how
   * to reclaim it ({@link #warnStagingLeft}).
   */
  public static void finishJob(ObjectStore os, Collection<DatasetWrite> writes, String job) {
    finishJob(os, writes, job, REQUESTS_IN_FLIGHT);
  }

  private static void finishJob(
      ObjectStore os, Collection<DatasetWrite> writes, String job, int maxInFlight) {
    long start = System.nanoTime();
    CompletableFuture<Void> clean;
    try {
      // A listing taken during a publication names every journal only when the job published
      // one dataset; with several none was taken (onlyWriteOfJob), and one is made now.
      CompletableFuture<List<ObjectInfo>> listed =
          writes.size() == 1 ? writes.iterator().next().stagingListed : null;
      clean = cleanStagingAsync(os, job, maxInFlight, listed);
    } catch (RuntimeException e) {
      clean = CompletableFuture.failedFuture(e);
    }
    for (DatasetWrite w : writes) {
      WriterLock held = w.lock;
      try {
        w.release();
      } catch (RuntimeException e) {
        warnLockLeft(os, w.path, held, e);
      }
    }
    try {
      Futures.join(clean);
    } catch (RuntimeException e) {
      warnStagingLeft(os, writes, job, e);
    }
    LOG.debug(
        "Job {}: locks released and staging cleaned in {} ms",
        job,
        millis(start, System.nanoTime()));
  }

  /**
   * Logs that a published dataset's writer lock could not be released: the new version is
   * committed, but other writes of the dataset are refused until the lock's lease ends, or until
   * someone who knows that no write of it runs deletes the lock object.
   */
  private static void warnLockLeft(
      ObjectStore os, String path, WriterLock held, RuntimeException e) {
    LOG.warn(
        "Dataset '{}' in {} is published: the new version is committed and readable, but"
            + " releasing its writer lock failed: {}. Other writes of it are refused until the"
            + " lock expires at {}; to write sooner, once no job writes that dataset, delete the"
            + " lock object '{}' with the store's tools.",
        path,
        os.describe(),
        e.getMessage(),
        held == null ? "the end of its lease" : held.holder().expires(),
        WriterLock.keyOf(path));
  }

  /**
   * Logs that a published job's staging prefix was not (wholly) deleted. An existing dataset's
   * journal is deleted last ({@link #cleanStagingAsync}), so it names the leftover and {@code
   * arraymorph repair} removes it ({@link PublicationRepair#repairAll}: a journal whose generation
   * is the stable one is cleaned, no data touched). A job that only created datasets wrote no
   * journal; its leftover is fragment packs, deleted by hand.
   */
  private static void warnStagingLeft(
      ObjectStore os, Collection<DatasetWrite> writes, String job, RuntimeException e) {
    boolean journaled = writes.stream().anyMatch(DatasetWrite::staged);
    LOG.warn(
        "Job {} published {} in {}: the new version is committed and readable, but deleting the"
            + " job's staging prefix '{}/' failed: {}. What is left holds no data any published"
            + " version reads. {}",
        job,
        writes.stream().map(w -> "'" + w.path + "'").toList(),
        os.describe(),
        stagingRoot(job),
        e.getMessage(),
        journaled
            ? "Run `arraymorph repair <location>` (ArrayStore.repairAll) to remove it."
            : "It holds only fragment packs (the job wrote no publication journal): delete the"
                + " prefix with the store's tools to reclaim the space.");
  }

  /** Deletes a job's staging prefix. */
  public static void cleanStaging(ObjectStore os, String job) {
    cleanStaging(os, job, REQUESTS_IN_FLIGHT);
  }

  /** Deletes a job's staging prefix with at most {@code maxInFlight} deletes at once. */
  public static void cleanStaging(ObjectStore os, String job, int maxInFlight) {
    Futures.join(cleanStagingAsync(os, job, maxInFlight, null));
  }

  /**
   * Deletes a job's staging prefix, journals last, from {@code listed} (the prefix listed once the
   * job's journals were durable) or, when null, from a listing made now.
   */
  private static CompletableFuture<Void> cleanStagingAsync(
      ObjectStore os, String job, int maxInFlight, CompletableFuture<List<ObjectInfo>> listed) {
    // Bounded: a client without its own connection limit (the JDK one behind tls_ca_file) would
    // otherwise open a connection per staged object. Journals go last: while one is left, a
    // repair finds and removes what a failed cleanup left.
    return (listed != null ? listed : os.list(stagingRoot(job) + "/"))
        .thenCompose(
            objects -> {
              List<String> journals = new ArrayList<>();
              List<String> rest = new ArrayList<>();
              for (ObjectInfo o : objects) {
                (PublicationJournal.isJournalKey(o.key()) ? journals : rest).add(o.key());
              }
              return os.deleteAll(rest, maxInFlight)
                  .thenCompose(v -> os.deleteAll(journals, maxInFlight));
            });
  }

  /**
   * Keeps at most {@code maxInFlight} (and never more than the default of 64) copies and deletes in
   * flight while publishing, for callers bound to a store's {@code max_concurrency}.
   */
  public void limitRequests(int maxInFlight) {
    requestsInFlight = Math.max(1, Math.min(REQUESTS_IN_FLIGHT, maxInFlight));
  }

  /** Deletes the objects under the dataset's prefix that are chunk keys of {@code layout}. */
  private void deleteChunksExcept(ObjectStore os, ZarrArrayMetadata layout, Set<String> keep) {
    PublicationJournal.deleteChunksExcept(os, path, layout, keep, requestsInFlight);
  }

  /** Milliseconds between two {@link System#nanoTime} readings, for the phase timings logged. */
  static long millis(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }

  private static void put(ObjectStore os, ZarrDataset ds, ZarrArrayMetadata metadata) {
    Futures.join(os.put(ds.metadataKey(), metadata.toJson()));
  }

  @Override
  public String toString() {
    return "DatasetWrite[" + path + " " + mode + " " + metadata() + "]";
  }
}
