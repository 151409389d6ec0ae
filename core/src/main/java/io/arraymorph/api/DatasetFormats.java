package io.arraymorph.api;

import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.legacy.LegacyDataset;
import io.arraymorph.legacy.LegacyMetadata;
import io.arraymorph.manifest.ManifestFormat;
import io.arraymorph.store.CostModel;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrDataset;
import io.arraymorph.zarr.ZarrNodes;
import io.arraymorph.zarr.v2.ZarrV2Dataset;
import io.arraymorph.zarr.v2.ZarrV2Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Recognises which format a dataset path is stored in and opens it. */
final class DatasetFormats {
  private static final String V2_ATTRIBUTES = ".zattrs";

  private DatasetFormats() {}

  /** The node at {@code path}: a dataset (with the metadata it was built from), or a group. */
  record Found(Dataset dataset, DatasetRef ref, Map<String, Object> groupAttributes) {
    boolean isGroup() {
      return dataset == null;
    }
  }

  /**
   * Opens the node at {@code path}, trying Zarr v3, Zarr v2, ArrayMorph's layout, then a Zarr v2
   * group: one GET for a Zarr v3 node; otherwise one more round trip asking the other three at once
   * (and the attributes of a Zarr v2 array or group after it).
   */
  static Optional<Found> open(
      ObjectStore store,
      String path,
      int maxInFlight,
      String dtypeOverride,
      CostModel costModel,
      Function<String, KerchunkReferences.Location> granules) {
    return openAs(null, store, path, maxInFlight, dtypeOverride, costModel, granules);
  }

  /**
   * Like {@link #open}, trying only {@code format} (every format when null). When every format is
   * tried, the others are asked at once after Zarr v3's GET misses, so a missing or older node
   * costs two round trips instead of four (each a request's latency on a cloud store).
   */
  static Optional<Found> openAs(
      DatasetRef.Format format,
      ObjectStore store,
      String path,
      int maxInFlight,
      String dtypeOverride,
      CostModel costModel,
      Function<String, KerchunkReferences.Location> granules) {
    boolean any = format == null;
    String v3Key = Keys.join(path, ZarrDataset.METADATA_FILE);
    Optional<byte[]> v3 =
        any || format == DatasetRef.Format.ZARR_V3 ? getIfExists(store, v3Key) : Optional.empty();
    if (v3.isPresent()) {
      // A granule manifest's virtual array is Zarr v3 with a storage transformer plain Zarr
      // refuses.
      boolean virtual = ManifestFormat.isVirtualArray(v3.get());
      ZarrNodes.Node node = virtual ? null : ZarrNodes.parse(v3.get(), v3Key);
      if (node != null && !node.isArray()) {
        return Optional.of(new Found(null, null, node.groupAttributes()));
      }
      return Optional.of(
          found(
              new DatasetRef(path, DatasetRef.Format.ZARR_V3, v3.get(), null, null),
              store,
              maxInFlight,
              costModel,
              granules));
    }
    String v2Key = Keys.join(path, ZarrV2Dataset.METADATA_FILE);
    String legacyKey = Keys.join(path, LegacyDataset.METADATA_FILE);
    String groupKey = Keys.join(path, ".zgroup");
    // Started together, read in order of precedence: the first format found wins, as before.
    CompletableFuture<byte[]> v2Get =
        any || format == DatasetRef.Format.ZARR_V2 ? store.get(v2Key) : null;
    CompletableFuture<byte[]> legacyGet =
        !path.isEmpty() && (any || format == DatasetRef.Format.ARRAYMORPH_LAYOUT)
            ? store.get(legacyKey)
            : null;
    CompletableFuture<byte[]> groupGet = any ? store.get(groupKey) : null;
    Optional<byte[]> v2 = ifExists(v2Get);
    if (v2.isPresent()) {
      byte[] attrs = getIfExists(store, Keys.join(path, V2_ATTRIBUTES)).orElse(null);
      return Optional.of(
          found(
              new DatasetRef(path, DatasetRef.Format.ZARR_V2, v2.get(), attrs, null),
              store,
              maxInFlight,
              costModel,
              granules));
    }
    Optional<byte[]> legacy = ifExists(legacyGet);
    if (legacy.isPresent()) {
      LegacyMetadata meta = LegacyMetadata.parse(legacy.get(), legacyKey);
      LegacyDataset ds = LegacyDataset.open(store, path, meta, dtypeOverride, maxInFlight);
      DatasetRef ref =
          new DatasetRef(
              path,
              DatasetRef.Format.ARRAYMORPH_LAYOUT,
              legacy.get(),
              null,
              ds.dataType().zarrName());
      return Optional.of(new Found(ds, ref, null));
    }
    if (ifExists(groupGet).isPresent()) {
      String attrKey = Keys.join(path, V2_ATTRIBUTES);
      return Optional.of(
          new Found(
              null,
              null,
              getIfExists(store, attrKey)
                  .map(json -> ZarrV2Metadata.parseAttributes(json, attrKey))
                  .orElse(Map.of())));
    }
    return Optional.empty();
  }

  private static Found found(
      DatasetRef ref,
      ObjectStore store,
      int maxInFlight,
      CostModel costModel,
      Function<String, KerchunkReferences.Location> granules) {
    return new Found(ref.open(store, maxInFlight, costModel, granules), ref, null);
  }

  /**
   * Whether a node of any format (Zarr v3 or v2 array or group, ArrayMorph layout) exists at {@code
   * path}: one HEAD for Zarr v3, then, if it misses, the other formats' HEADs at once (two round
   * trips for a missing node instead of four).
   */
  static boolean exists(ObjectStore store, String path) {
    if (Futures.join(store.head(Keys.join(path, ZarrDataset.METADATA_FILE))).isPresent()) {
      return true;
    }
    List<CompletableFuture<Optional<ObjectInfo>>> heads = new ArrayList<>();
    for (String file : METADATA_FILES) {
      if (file.equals(ZarrDataset.METADATA_FILE)
          || (path.isEmpty() && file.equals(LegacyDataset.METADATA_FILE))) {
        continue; // v3 asked above; the plugin's layout always has a dataset path
      }
      heads.add(store.head(Keys.join(path, file)));
    }
    boolean found = false;
    for (CompletableFuture<Optional<ObjectInfo>> head : heads) {
      found |= Futures.join(head).isPresent();
    }
    return found;
  }

  private static final String[] METADATA_FILES = {
    ZarrDataset.METADATA_FILE, ".zarray", ".zgroup", LegacyDataset.METADATA_FILE
  };

  /** Whether a key names a node's metadata, and if so the node's path. */
  static Optional<String> nodePath(String key) {
    for (String file : METADATA_FILES) {
      if (key.equals(file)) {
        return Optional.of("");
      }
      if (key.endsWith("/" + file)) {
        return Optional.of(key.substring(0, key.length() - file.length() - 1));
      }
    }
    return Optional.empty();
  }

  private static Optional<byte[]> getIfExists(ObjectStore store, String key) {
    return ifExists(store.get(key));
  }

  /** The object a started GET returns, empty when it does not exist or was not asked for. */
  private static Optional<byte[]> ifExists(CompletableFuture<byte[]> get) {
    if (get == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Futures.join(get));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }
}
