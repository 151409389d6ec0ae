package io.arraymorph.manifest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.MissingObjects;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.WriterLock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The manifest as it stands before a write, which an append extends.
 *
 * @param generation its published version
 * @param granules its granule table (of its first record group: {@link RecordGroups})
 * @param groupTables the granule tables of its other record groups, by group
 * @param signatures each variable's signature ({@link VariableSignature}), new granules must match
 * @param groupAttributes the group's attributes other than the manifest's own
 * @param skipped the variables it left out, with the reason
 */
record ExistingManifest(
    long generation,
    List<GranuleRange> granules,
    Map<String, List<GranuleRange>> groupTables,
    Map<String, Map<String, String>> signatures,
    Map<String, Object> groupAttributes,
    List<String> skipped) {

  /**
   * The manifest at {@code path}, or null when the location is empty.
   *
   * @throws ArrayMorphException when the location holds something else, a manifest exists and
   *     {@code append} is off, or the manifest's format or record dimension differ
   */
  static ExistingManifest read(ObjectStore store, String path, ManifestWriter.Options options) {
    String groupKey = Keys.join(path, "zarr.json");
    byte[] group = Futures.join(MissingObjects.getOrNull(store, groupKey));
    String where = store.describe() + (path.isEmpty() ? "" : " at '" + path + "'");
    if (group == null) {
      boolean holdsObjects =
          Futures.join(store.list(path.isEmpty() ? "" : path + "/")).stream()
              .anyMatch(o -> !o.key().startsWith(WriterLock.ROOT + "/"));
      if (holdsObjects) {
        throw new ArrayMorphException(
            "Cannot write a manifest into "
                + where
                + ": it already holds objects but no manifest; choose an empty location");
      }
      return null;
    }
    JsonNode root = ManifestJson.read(group, groupKey);
    JsonNode m = root.path("attributes").path(ManifestFormat.GROUP_ATTRIBUTE);
    if (!m.isObject()) {
      throw new ArrayMorphException(
          "Cannot write a manifest into "
              + where
              + ": a Zarr node that is not a granule manifest is stored there");
    }
    if (!options.append()) {
      throw new ArrayMorphException(
          "A granule manifest already exists in "
              + where
              + "; append the new granules to it (arraymorph index --append, option"
              + " append=true) or choose another location");
    }
    if (m.path("format").asInt() != ManifestFormat.VERSION) {
      throw new ArrayMorphException(
          "The manifest in "
              + where
              + " has format "
              + m.path("format")
              + ", not "
              + ManifestFormat.VERSION
              + "; write a new manifest");
    }
    if (!m.path("record_dimension").asText().equals(options.recordDimension())) {
      throw new ArrayMorphException(
          "The manifest in "
              + where
              + " concatenates along '"
              + m.path("record_dimension").asText()
              + "', not '"
              + options.recordDimension()
              + "'; append with the same record dimension");
    }
    long generation = m.path("generation").asLong();
    Map<String, Map<String, String>> sigs =
        ManifestJson.MAPPER.convertValue(
            m.path("variables"),
            new TypeReference<LinkedHashMap<String, Map<String, String>>>() {});
    // Every granule table is fetched at once (one round trip, not one per record group), then
    // parsed in order, so the first missing or malformed table is the one reported.
    String filesKey = Keys.join(path, ManifestFormat.filesKey(generation));
    CompletableFuture<byte[]> files = store.get(filesKey);
    List<String> groups = RecordGroups.of(sigs);
    Map<String, String> groupKeys = new LinkedHashMap<>();
    Map<String, CompletableFuture<byte[]>> groupFiles = new LinkedHashMap<>();
    for (String g : groups) {
      if (!RecordGroups.tableFolder(g, groups).isEmpty()) {
        String key = Keys.join(path, RecordGroups.tableKey(g, groups, generation));
        groupKeys.put(g, key);
        groupFiles.put(g, store.get(key));
      }
    }
    List<GranuleRange> table = ManifestFiles.parse(Futures.join(files), filesKey);
    Map<String, Object> attrs =
        ManifestJson.MAPPER.convertValue(
            root.path("attributes"), new TypeReference<LinkedHashMap<String, Object>>() {});
    attrs.remove(ManifestFormat.GROUP_ATTRIBUTE);
    List<String> skipped = new ArrayList<>();
    m.path("skipped").forEach(s -> skipped.add(s.asText()));
    Map<String, List<GranuleRange>> groupTables = new LinkedHashMap<>();
    groupKeys.forEach(
        (g, key) -> groupTables.put(g, ManifestFiles.parse(Futures.join(groupFiles.get(g)), key)));
    return new ExistingManifest(generation, table, groupTables, sigs, attrs, skipped);
  }

  /** The granule table of record group {@code group}, one of {@code groups}. */
  List<GranuleRange> table(String group, List<String> groups) {
    return RecordGroups.tableFolder(group, groups).isEmpty() ? granules : groupTables.get(group);
  }
}
