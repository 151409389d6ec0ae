package io.arraymorph.api;

import io.arraymorph.legacy.LegacyDataset;
import io.arraymorph.legacy.LegacyMetadata;
import io.arraymorph.store.CostModel;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrDataset;
import io.arraymorph.zarr.ZarrNodes;
import io.arraymorph.zarr.v2.ZarrV2Dataset;
import io.arraymorph.zarr.v2.ZarrV2Metadata;
import java.util.Map;
import java.util.Optional;

/** Recognises which format a dataset path is stored in and opens it. */
final class DatasetFormats {
  private static final String V2_ATTRIBUTES = ".zattrs";

  private DatasetFormats() {}

  /** The node at {@code path}: a dataset, or a group with its attributes. */
  record Found(Dataset dataset, Map<String, Object> groupAttributes) {
    boolean isGroup() {
      return dataset == null;
    }
  }

  static Optional<Found> open(
      ObjectStore store, String path, int maxInFlight, String dtypeOverride, CostModel costModel) {
    String v3Key = Keys.join(path, ZarrDataset.METADATA_FILE);
    Optional<byte[]> v3 = getIfExists(store, v3Key);
    if (v3.isPresent()) {
      ZarrNodes.Node node = ZarrNodes.parse(v3.get(), v3Key);
      return Optional.of(
          node.isArray()
              ? new Found(new ZarrDataset(store, path, node.array(), maxInFlight, costModel), null)
              : new Found(null, node.groupAttributes()));
    }
    String v2Key = Keys.join(path, ZarrV2Dataset.METADATA_FILE);
    Optional<byte[]> v2 = getIfExists(store, v2Key);
    if (v2.isPresent()) {
      ZarrV2Metadata meta = ZarrV2Metadata.parse(v2.get(), v2Key);
      String attrKey = Keys.join(path, V2_ATTRIBUTES);
      Map<String, Object> attrs =
          getIfExists(store, attrKey)
              .map(json -> ZarrV2Metadata.parseAttributes(json, attrKey))
              .orElse(Map.of());
      return Optional.of(new Found(new ZarrV2Dataset(store, path, meta, attrs, maxInFlight), null));
    }
    String legacyKey = Keys.join(path, LegacyDataset.METADATA_FILE);
    Optional<byte[]> legacy = path.isEmpty() ? Optional.empty() : getIfExists(store, legacyKey);
    if (legacy.isPresent()) {
      LegacyMetadata meta = LegacyMetadata.parse(legacy.get(), legacyKey);
      return Optional.of(
          new Found(LegacyDataset.open(store, path, meta, dtypeOverride, maxInFlight), null));
    }
    String groupKey = Keys.join(path, ".zgroup");
    if (getIfExists(store, groupKey).isPresent()) {
      String attrKey = Keys.join(path, V2_ATTRIBUTES);
      return Optional.of(
          new Found(
              null,
              getIfExists(store, attrKey)
                  .map(json -> ZarrV2Metadata.parseAttributes(json, attrKey))
                  .orElse(Map.of())));
    }
    return Optional.empty();
  }

  /**
   * Whether a node of any format (Zarr v3 or v2 array or group, ArrayMorph layout) exists at {@code
   * path}: one HEAD per format tried, Zarr v3 first.
   */
  static boolean exists(ObjectStore store, String path) {
    for (String file : METADATA_FILES) {
      if (path.isEmpty() && file.equals(LegacyDataset.METADATA_FILE)) {
        continue; // the plugin's layout always has a dataset path
      }
      if (Futures.join(store.head(Keys.join(path, file))).isPresent()) {
        return true;
      }
    }
    return false;
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
    try {
      return Optional.of(Futures.join(store.get(key)));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }
}
