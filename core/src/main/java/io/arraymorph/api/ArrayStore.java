package io.arraymorph.api;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.hdf5.Hdf5ChunkPlan;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.kerchunk.KerchunkChunkPlan;
import io.arraymorph.kerchunk.KerchunkDataFiles;
import io.arraymorph.kerchunk.KerchunkDataset;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.kerchunk.KerchunkUrlStores;
import io.arraymorph.manifest.ManifestFormat;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.scan.VersionCheck;
import io.arraymorph.store.CostModel;
import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.SharedObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreStats;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;
import io.arraymorph.zarr.ZarrNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * A hierarchy of groups and datasets in one store location, in Zarr v3 format: the entry point of
 * the Java API.
 *
 * <pre>{@code
 * try (ArrayStore store = ArrayStore.open("/tmp/demo.zarr")) {
 *   Dataset values = store.createDataset("values", ArraySpec.of(DataType.INT32, 100, 100).chunks(10, 10));
 *   values.write(new long[] {0, 0}, NdArray.of(data, 100, 100));
 *   NdArray slice = values.read(new long[] {5, 5}, new long[] {10, 10});
 * }
 * }</pre>
 */
public final class ArrayStore implements AutoCloseable {
  private static final String META = ZarrDataset.METADATA_FILE;
  private final CountingObjectStore store;
  private final int maxInFlight;
  private final StoreSettings settings;
  private final CostModel costModel;
  private final Hdf5File hdf5;
  private final String kerchunkKey;
  private final KerchunkReferences kerchunk;
  private final KerchunkUrlStores kerchunkStores;
  private long kerchunkSize;
  private final KerchunkDataFiles kerchunkDataFiles; // each data file HEADed once, when planned
  private final BiFunction<String, StoreSettings, ObjectStore> opener;
  private KerchunkUrlStores granuleStores; // opened on the first chunk read of a manifest

  private ArrayStore(ObjectStore store, StoreSettings settings, String hdf5Key) {
    this(store, settings, hdf5Key, null, ObjectStores::open);
  }

  private ArrayStore(
      ObjectStore store,
      StoreSettings settings,
      String hdf5Key,
      BiFunction<String, StoreSettings, ObjectStore> opener) {
    this(store, settings, hdf5Key, null, opener);
  }

  private ArrayStore(
      ObjectStore store,
      StoreSettings settings,
      String hdf5Key,
      String kerchunkKey,
      BiFunction<String, StoreSettings, ObjectStore> opener) {
    this.store = store instanceof CountingObjectStore c ? c : new CountingObjectStore(store);
    this.settings = settings;
    this.maxInFlight = settings.get(ArrayMorphOptions.MAX_CONCURRENCY);
    this.costModel = CostModel.from(settings, this.store.costModel());
    this.hdf5 = hdf5Key == null ? null : openHdf5(this.store, hdf5Key);
    this.kerchunkKey = kerchunkKey;
    this.opener = opener;
    if (kerchunkKey == null) {
      this.kerchunkStores = null;
      this.kerchunk = null;
      this.kerchunkDataFiles = null;
    } else {
      this.kerchunkStores = new KerchunkUrlStores(settings, opener, this.store.stats());
      this.kerchunkDataFiles = new KerchunkDataFiles(kerchunkStores, maxInFlight);
      try {
        byte[] json = Futures.join(this.store.get(kerchunkKey));
        this.kerchunkSize = json.length;
        this.kerchunk = KerchunkReferences.parse(json, kerchunkStores);
      } catch (RuntimeException e) {
        this.store.close();
        throw e;
      }
    }
  }

  private static Hdf5File openHdf5(CountingObjectStore store, String key) {
    try {
      return Hdf5File.open(store, key);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** File name endings read as HDF5 (NetCDF4 files are HDF5 files). */
  private static final List<String> HDF5_SUFFIXES =
      List.of(".h5", ".hdf5", ".he5", ".hdf", ".nc", ".nc4");

  /** Whether a location names an HDF5 or NetCDF4 file rather than a Zarr hierarchy. */
  public static boolean isHdf5Location(String location) {
    String lower = location.toLowerCase(java.util.Locale.ROOT).replaceAll("/+$", "");
    return HDF5_SUFFIXES.stream().anyMatch(lower::endsWith);
  }

  /**
   * Whether a location names a kerchunk reference document ({@code *.json}, other than a Zarr v3
   * {@code zarr.json}): opened as a read-only group of the datasets it references.
   */
  public static boolean isKerchunkLocation(String location) {
    String lower = location.toLowerCase(java.util.Locale.ROOT).replaceAll("/+$", "");
    return lower.endsWith(".json") && !lower.endsWith("zarr.json");
  }

  /**
   * Opens a location (a path, {@code file:}, {@code mem://}, {@code s3://}, {@code az://} URI): a
   * Zarr hierarchy, an HDF5/NetCDF4 file read in place ({@link #isHdf5Location}), or a kerchunk
   * reference document ({@link #isKerchunkLocation}) whose refs' file URLs are opened with the same
   * settings.
   */
  public static ArrayStore open(String location) {
    return open(location, StoreSettings.empty());
  }

  /** Opens a location with settings (credentials, endpoint, {@code max_concurrency}, ...). */
  public static ArrayStore open(String location, StoreSettings settings) {
    return open(location, settings, ObjectStores::open);
  }

  /**
   * Like {@link #open(String, StoreSettings)}, but the object store (its client and connections) is
   * shared with other ArrayStores of the same location and settings in this JVM, and kept open for
   * reuse after close: for short, repeated uses such as Spark tasks.
   */
  public static ArrayStore openShared(String location, StoreSettings settings) {
    return open(location, settings, SharedObjectStores::acquire);
  }

  /**
   * Opens {@code location} for reading datasets planned elsewhere: a hierarchy when every reference
   * was opened in one (so a prefix named like a file is not probed again), else as {@link
   * #openShared}.
   */
  public static ArrayStore openShared(
      String location, StoreSettings settings, List<DatasetRef> planned) {
    boolean hierarchy =
        !planned.isEmpty()
            && planned.stream().allMatch(r -> r.format() != DatasetRef.Format.IN_FILE);
    if (hierarchy) {
      return new ArrayStore(
          SharedObjectStores.acquire(location, settings),
          settings,
          null,
          (BiFunction<String, StoreSettings, ObjectStore>) SharedObjectStores::acquire);
    }
    if ((isHdf5Location(location) || isKerchunkLocation(location))
        && !planned.isEmpty()
        && planned.stream().allMatch(DatasetRef::opensWithoutFile)) {
      // Every chunk's place (or ref) travelled with the task: open the file's directory only.
      String trimmed = location.replaceAll("/+$", "");
      int slash = trimmed.lastIndexOf('/');
      String parent = slash < 0 ? "." : trimmed.substring(0, slash + 1);
      return new ArrayStore(
          SharedObjectStores.acquire(parent, settings),
          settings,
          null,
          (BiFunction<String, StoreSettings, ObjectStore>) SharedObjectStores::acquire);
    }
    return openShared(location, settings);
  }

  private static ArrayStore open(
      String location,
      StoreSettings settings,
      BiFunction<String, StoreSettings, ObjectStore> opener) {
    if (isHdf5Location(location)) {
      // The file is one object: open its directory and read the file in place by ranges.
      String trimmed = location.replaceAll("/+$", "");
      int slash = trimmed.lastIndexOf('/');
      String parent = slash < 0 ? "." : trimmed.substring(0, slash + 1);
      String key = trimmed.substring(slash + 1);
      try {
        return new ArrayStore(opener.apply(parent, settings), settings, key, opener);
      } catch (ObjectNotFoundException e) {
        // No object under that name: the ArrayMorph HDF5 plugin keys every object of a file
        // under the file's name, so a prefix named like a file is read as a hierarchy.
        // A name that is neither (nothing at all there) fails at the first dataset lookup.
        return new ArrayStore(opener.apply(location, settings), settings, null, opener);
      }
    }
    if (isKerchunkLocation(location)) {
      String trimmed = location.replaceAll("/+$", "");
      int slash = trimmed.lastIndexOf('/');
      String parent = slash < 0 ? "." : trimmed.substring(0, slash + 1);
      String key = trimmed.substring(slash + 1);
      return new ArrayStore(opener.apply(parent, settings), settings, null, key, opener);
    }
    return new ArrayStore(opener.apply(location, settings), settings, null, opener);
  }

  /**
   * Where a file a manifest or kerchunk refs name by URL (a granule, a data file) is read from: the
   * file's directory opened with this store's settings (credentials, endpoint), counted into this
   * store's statistics.
   */
  public KerchunkReferences.Location fileLocation(String url) {
    if (kerchunkStores != null) {
      return kerchunkStores.apply(url);
    }
    KerchunkUrlStores stores;
    synchronized (this) {
      if (granuleStores == null) {
        granuleStores = new KerchunkUrlStores(settings, opener, store.stats());
      }
      stores = granuleStores;
    }
    return stores.apply(url);
  }

  /**
   * Wraps an object store opened elsewhere, with settings such as {@code max_concurrency} and
   * {@code dtype} (the element type of legacy ArrayMorph datasets whose recorded type is unknown);
   * closing the ArrayStore closes it.
   */
  public static ArrayStore on(ObjectStore store, StoreSettings settings) {
    return new ArrayStore(store, settings, null);
  }

  /** Wraps an object store opened elsewhere, with at most {@code maxInFlight} chunk requests. */
  public static ArrayStore on(ObjectStore store, int maxInFlight) {
    return new ArrayStore(
        store, StoreSettings.of(Map.of("max_concurrency", Integer.toString(maxInFlight))), null);
  }

  /**
   * Opens an existing dataset and returns what it was opened from: a serializable reference from
   * which {@link #dataset(DatasetRef)} reopens it, on this or another machine, without reading its
   * metadata again.
   *
   * @throws DatasetNotFoundException as {@link #dataset(String)}
   */
  public DatasetRef datasetRef(String path) {
    if (hdf5 != null) {
      Hdf5Dataset ds = hdf5.dataset(path);
      return DatasetRef.inFile(
          ds.path(), Hdf5ChunkPlan.of(ds, hdf5.key(), hdf5.size(), hdf5.tag()));
    }
    if (kerchunk != null) {
      KerchunkDataset ds = kerchunkDataset(path);
      return DatasetRef.inFile(
          ds.path(),
          KerchunkChunkPlan.of(
              ds, kerchunkKey, kerchunkSize, kerchunkDataFiles.plan(kerchunk.dataUrls(ds.path()))));
    }
    return find(path).ref();
  }

  /**
   * Looks a dataset up without listing the store when it is missing: its reference, or empty when
   * no node exists at {@code path}. Costs one GET for a Zarr v3 array, one more round trip for
   * other formats or a missing node (their GETs sent at once); none for a dataset inside an HDF5
   * file or kerchunk references.
   *
   * @throws DatasetNotFoundException when {@code path} is a group
   */
  public Optional<DatasetRef> findDataset(String path) {
    if (hdf5 != null || kerchunk != null) {
      return exists(path) ? Optional.of(datasetRef(path)) : Optional.empty();
    }
    Optional<DatasetFormats.Found> found =
        DatasetFormats.open(
            store, path, maxInFlight, settings.get("dtype", null), costModel, this::fileLocation);
    if (found.isPresent() && found.get().isGroup()) {
      throw new DatasetNotFoundException("'" + path + "' is a group, not a dataset");
    }
    return found.map(DatasetFormats.Found::ref);
  }

  /**
   * Looks up a dataset stored in the same format as {@code sibling} (one GET for Zarr v3): how
   * readers find optional companions, such as a dimension's coordinate variable, cheaply.
   */
  public Optional<Dataset> findDatasetLike(DatasetRef sibling, String path) {
    if (hdf5 != null || kerchunk != null) {
      return exists(path) ? Optional.of(dataset(path)) : Optional.empty();
    }
    return DatasetFormats.openAs(
            sibling.format(),
            store,
            path,
            maxInFlight,
            settings.get("dtype", null),
            costModel,
            this::fileLocation)
        .filter(f -> !f.isGroup())
        .map(DatasetFormats.Found::dataset);
  }

  /**
   * Reopens a dataset from a reference made by {@link #datasetRef} on a store of the same location:
   * no metadata request for Zarr and ArrayMorph datasets (their metadata travels in the reference);
   * datasets inside a file are opened through the file.
   */
  public Dataset dataset(DatasetRef ref) {
    if (ref.opensWithoutFile()) {
      // Its reads check the files they read where the store can (VersionCheck.verifyFiles HEADs
      // the others after the task's reads).
      return VersionCheck.open(
          ref.inFile(), store, maxInFlight, this::fileLocation, store.describe());
    }
    if (ref.format() == DatasetRef.Format.IN_FILE) {
      // The task checks the files it read (VersionCheck): opened without the Java API's check.
      return hdf5 != null ? hdf5.dataset(ref.path()) : kerchunkDataset(ref.path());
    }
    if (hdf5 != null || kerchunk != null) {
      throw new IllegalArgumentException(
          "Dataset '" + ref.path() + "' was planned in a Zarr store, not in this file");
    }
    return ref.open(store, maxInFlight, costModel, this::fileLocation);
  }

  /**
   * Opens an existing dataset.
   *
   * @throws DatasetNotFoundException listing the datasets that exist when there is none at {@code
   *     path}
   */
  public Dataset dataset(String path) {
    if (hdf5 != null) {
      // Read at chunk offsets parsed now: each read checks the file is still this one.
      return hdf5.dataset(path)
          .checkingFile(new PlannedFile("File", hdf5.key(), hdf5.size(), hdf5.tag()), store);
    }
    if (kerchunk != null) {
      KerchunkDataset ds = kerchunkDataset(path);
      return ds.checkingFiles(
          kerchunkDataFiles.plan(kerchunk.dataUrls(ds.path())).values(), kerchunkKey);
    }
    return find(path).dataset();
  }

  /** The array of the kerchunk references at {@code path}, without a check of its data files. */
  private KerchunkDataset kerchunkDataset(String path) {
    String p = Keys.join(path);
    if (!kerchunk.variables().contains(p)) {
      throw new DatasetNotFoundException(
          "No dataset '"
              + path
              + "' in kerchunk references '"
              + kerchunkKey
              + "'; datasets there: "
              + kerchunk.variables());
    }
    return kerchunk.dataset(p);
  }

  private DatasetFormats.Found find(String path) {
    Optional<DatasetFormats.Found> found =
        DatasetFormats.open(
            store, path, maxInFlight, settings.get("dtype", null), costModel, this::fileLocation);
    if (found.isEmpty()) {
      throw new DatasetNotFoundException(
          "No dataset '"
              + path
              + "' in "
              + store.describe()
              + "; datasets there: "
              + datasetPaths()
              + manifestSkipReason(path));
    }
    if (found.get().isGroup()) {
      throw new DatasetNotFoundException(
          "'" + path + "' is a group, not a dataset; datasets there: " + datasetPaths());
    }
    return found.get();
  }

  /**
   * When this store is a granule manifest that left {@code path} out when indexing (e.g. a variable
   * in a NetCDF-4 sub-group), why, as the end of a not-found message; else empty. One GET of the
   * root's zarr.json, on the failure path only.
   */
  private String manifestSkipReason(String path) {
    try {
      return ManifestFormat.skipReason(Futures.join(store.get("zarr.json")), path)
          .map(r -> "; this granule manifest left '" + Keys.join(path) + "' out: " + r)
          .orElse("");
    } catch (RuntimeException e) {
      return ""; // no root zarr.json (or unreadable): not a manifest, nothing to add
    }
  }

  /**
   * Creates a dataset and its parent groups, writing its metadata now.
   *
   * @throws ArrayMorphException when a node already exists at {@code path}
   */
  public Dataset createDataset(String path, ArraySpec spec) {
    ZarrDataset dataset = prepareDataset(path, spec);
    if (exists(path)) {
      throw new ArrayMorphException(
          "A dataset or group already exists at '" + path + "'; delete it or choose another path");
    }
    createParentGroups(path);
    dataset.writeMetadata();
    return dataset;
  }

  /**
   * A handle for a dataset whose metadata is not written yet: its chunks can be written first and
   * {@link ZarrDataset#writeMetadata()} called last, so readers never see it half-written.
   */
  public ZarrDataset prepareDataset(String path, ArraySpec spec) {
    requireZarr("create a dataset");
    if (Keys.join(path).isEmpty()) {
      throw new IllegalArgumentException("A dataset needs a non-empty path");
    }
    Keys.validate(Keys.join(path));
    return new ZarrDataset(store, path, ZarrArrayMetadata.fromSpec(spec), maxInFlight, costModel);
  }

  /** Creates the groups on the way to {@code path} that do not exist yet, root included. */
  public void createParentGroups(String path) {
    String[] parts = Keys.join(path).split("/", -1);
    String prefix = "";
    for (int i = 0; i < parts.length; i++) {
      if (!exists(prefix)) {
        Futures.join(store.put(Keys.join(prefix, META), ZarrNodes.groupJson(Map.of())));
      }
      prefix = Keys.join(prefix, parts[i]);
    }
  }

  /** Creates a group (and its parents) with attributes. */
  public void createGroup(String path, Map<String, Object> attributes) {
    requireZarr("create a group");
    createParentGroups(path);
    Futures.join(store.put(Keys.join(path, META), ZarrNodes.groupJson(attributes)));
  }

  /** Whether a group or dataset exists at {@code path} ({@code ""} is the root). */
  public boolean exists(String path) {
    if (hdf5 != null) {
      return hdf5.nodes().stream().anyMatch(n -> Keys.join(n.path()).equals(Keys.join(path)));
    }
    if (kerchunk != null) {
      String p = Keys.join(path);
      return kerchunk.variables().contains(p) || kerchunk.groups().contains(p);
    }
    return DatasetFormats.exists(store, path);
  }

  /** Every group and dataset in the store (Zarr v3 and v2), sorted by path. */
  public List<NodeInfo> list() {
    if (hdf5 != null) {
      return hdf5.nodes();
    }
    if (kerchunk != null) {
      return kerchunkNodes();
    }
    List<String> paths =
        Futures.join(store.list("")).stream()
            .map(o -> DatasetFormats.nodePath(o.key()))
            .flatMap(Optional::stream)
            .distinct()
            .sorted()
            .toList();
    List<CompletableFuture<Optional<NodeInfo>>> infos = new ArrayList<>();
    for (String path : paths) {
      infos.add(CompletableFuture.supplyAsync(() -> describe(path)));
    }
    return infos.stream().map(Futures::join).flatMap(Optional::stream).toList();
  }

  /** Describes a node; one that cannot be opened is listed with the reason instead of failing. */
  private Optional<NodeInfo> describe(String path) {
    try {
      return DatasetFormats.open(
              store, path, maxInFlight, settings.get("dtype", null), costModel, this::fileLocation)
          .map(f -> describe(path, f));
    } catch (ArrayMorphException e) {
      return Optional.of(
          new NodeInfo(
              path,
              NodeInfo.Kind.DATASET,
              null,
              null,
              null,
              "unreadable: " + e.getMessage(),
              List.of(),
              Map.of()));
    }
  }

  private static NodeInfo describe(String path, DatasetFormats.Found found) {
    if (found.isGroup()) {
      return new NodeInfo(
          path, NodeInfo.Kind.GROUP, null, null, null, null, List.of(), found.groupAttributes());
    }
    Dataset d = found.dataset();
    return new NodeInfo(
        path,
        NodeInfo.Kind.DATASET,
        d.shape(),
        d.dataType().zarrName(),
        d.chunkShape(),
        d.codecDescription(),
        d.dimensionNames(),
        d.attributes());
  }

  private List<NodeInfo> kerchunkNodes() {
    List<NodeInfo> out = new ArrayList<>();
    for (String g : kerchunk.groups()) {
      out.add(
          new NodeInfo(
              g, NodeInfo.Kind.GROUP, null, null, null, null, List.of(), kerchunk.attributes(g)));
    }
    for (String v : kerchunk.variables()) {
      try {
        out.add(describe(v, new DatasetFormats.Found(kerchunk.dataset(v), null, null)));
      } catch (ArrayMorphException e) {
        out.add(
            new NodeInfo(
                v,
                NodeInfo.Kind.DATASET,
                null,
                null,
                null,
                "unreadable: " + e.getMessage(),
                List.of(),
                Map.of()));
      }
    }
    out.sort(java.util.Comparator.comparing(NodeInfo::path));
    return out;
  }

  private List<String> datasetPaths() {
    return list().stream()
        .filter(n -> n.kind() == NodeInfo.Kind.DATASET)
        .map(NodeInfo::path)
        .toList();
  }

  /**
   * Deletes a dataset or group and everything under it. Metadata goes first, so readers stop at
   * once.
   */
  public void delete(String path) {
    requireZarr("delete");
    String p = Keys.join(path);
    Futures.join(store.delete(Keys.join(p, META)));
    LocalPublications.changed();
    List<ObjectInfo> rest = Futures.join(store.list(p.isEmpty() ? "" : p + "/"));
    // Batched where the store can (S3: 1000 keys per request), at most max_concurrency at once.
    Futures.join(store.deleteAll(rest.stream().map(ObjectInfo::key).toList(), maxInFlight));
  }

  /**
   * Repairs dataset {@code path} if a publication of it stopped part-way: finishes it from the
   * job's staged chunks under the dataset's writer lock (a live writer's lock is never broken).
   *
   * @throws io.arraymorph.ConcurrentWriteException when a live writer holds the lock
   * @throws io.arraymorph.InterruptedPublicationException when it cannot be finished safely
   */
  public io.arraymorph.write.PublicationRepair.Result repair(String path) {
    return io.arraymorph.write.PublicationRepair.repair(
        this, path, io.arraymorph.write.PublicationRepair.LEASE);
  }

  /**
   * Repairs every interrupted publication recorded in this store's staging area ({@link
   * #repair(String)} for each); datasets a live writer holds are added to {@code skipped}.
   */
  public List<io.arraymorph.write.PublicationRepair.Result> repairAll(List<String> skipped) {
    return io.arraymorph.write.PublicationRepair.repairAll(
        this, io.arraymorph.write.PublicationRepair.LEASE, skipped);
  }

  /** A group's attributes. */
  public Map<String, Object> groupAttributes(String path) {
    if (kerchunk != null) {
      return kerchunk.attributes(Keys.join(path));
    }
    String key = Keys.join(path, META);
    Optional<ZarrNodes.Node> node = Optional.of(ZarrNodes.parse(Futures.join(store.get(key)), key));
    return node.filter(n -> !n.isArray())
        .map(ZarrNodes.Node::groupAttributes)
        .orElseThrow(() -> new ArrayMorphException("'" + path + "' is a dataset, not a group"));
  }

  /**
   * Checks the store can be written (a directory or bucket prefix, not an HDF5 file or kerchunk
   * references).
   *
   * @throws UnsupportedOperationException naming {@code action} and the fix when it cannot
   */
  public void requireZarr(String action) {
    if (kerchunk != null) {
      throw new UnsupportedOperationException(
          "Cannot "
              + action
              + " in kerchunk references '"
              + kerchunkKey
              + "': they are a read-only view of other files; write to a directory or bucket"
              + " prefix instead");
    }
    if (hdf5 != null) {
      throw new UnsupportedOperationException(
          "Cannot "
              + action
              + " in HDF5 file '"
              + hdf5.key()
              + "': ArrayMorph reads HDF5 in place but writes Zarr v3; write to a directory or"
              + " bucket prefix instead (e.g. with `arraymorph import`)");
    }
  }

  /** The HDF5 file this store reads, when its location named one. */
  public java.util.Optional<Hdf5File> hdf5File() {
    return java.util.Optional.ofNullable(hdf5);
  }

  /** Counters of the requests this store made. */
  public StoreStats stats() {
    return store.stats();
  }

  /** The underlying object store (counted). */
  public ObjectStore objectStore() {
    return store;
  }

  @Override
  public void close() {
    if (hdf5 != null) {
      hdf5.close();
    }
    synchronized (this) {
      if (granuleStores != null) {
        granuleStores.close();
      }
    }
    if (kerchunkStores != null) {
      kerchunkStores.close();
    }
    store.close();
  }

  @Override
  public String toString() {
    return "ArrayStore[" + store.describe() + "]";
  }
}
