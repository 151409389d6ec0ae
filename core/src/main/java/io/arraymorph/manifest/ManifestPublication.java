package io.arraymorph.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.api.LocalPublications;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes a checked write as the manifest's next generation, in an order that keeps every version
 * readable: chunk reference shards and coordinate chunks (new names or chunks past the old end),
 * then the granule table under the new generation's name, then each array's zarr.json, then the
 * group's, which names the new generation. The caller holds the manifest's writer lock.
 */
final class ManifestPublication {
  private ManifestPublication() {}

  static ManifestWriter.Result publish(
      ObjectStore store,
      String path,
      CheckedCollection checked,
      ExistingManifest existing,
      ManifestWriter.Options options) {
    long generation = existing == null ? 1 : existing.generation() + 1;
    boolean append = existing != null;
    List<String> groups = checked.recordGroups();
    Map<String, GranuleTable> tables = new LinkedHashMap<>();
    for (String group : groups) {
      tables.put(group, GranuleTable.extend(existing, checked, group));
    }
    GranuleTable table = tables.get(groups.get(0));
    String filesName = ManifestFormat.filesKey(generation);
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    Map<String, byte[]> arrayMetadata = new LinkedHashMap<>();
    GranuleIndex first = checked.granules().get(0);
    for (Map.Entry<String, VariableKind> e : checked.kinds().entrySet()) {
      String name = e.getKey();
      String arrayPath = Keys.join(path, name);
      String group = VariableSignature.recordGroup(checked.signatures().get(name));
      switch (e.getValue()) {
        case RECORD, STATIC -> {
          if (e.getValue() == VariableKind.STATIC && append) {
            // Unchanged: the first granule's chunks stay referenced; only the table version moves.
            arrayMetadata.put(
                arrayPath, ChunkRefShardWriter.retarget(store, arrayPath, name, filesName));
            continue;
          }
          arrayMetadata.put(
              arrayPath,
              ChunkRefShardWriter.write(
                  store,
                  arrayPath,
                  name,
                  checked,
                  e.getValue(),
                  append,
                  e.getValue() == VariableKind.RECORD ? tables.get(group) : table,
                  e.getValue() == VariableKind.RECORD
                      ? RecordGroups.filesRef(name, group, groups, filesName)
                      : ManifestFormat.filesRef(name, filesName),
                  generation,
                  options.entriesPerShard(),
                  puts));
        }
        case RECORD_COORDINATE ->
            arrayMetadata.put(
                arrayPath,
                CoordinateArrayWriter.recordCoordinate(
                    store, arrayPath, name, checked, append, tables.get(group), generation));
        case COORDINATE -> {
          if (!append) {
            arrayMetadata.put(
                arrayPath,
                CoordinateArrayWriter.coordinate(store, arrayPath, first.variable(name)));
          }
        }
      }
    }
    puts.forEach(Futures::join);
    for (Map.Entry<String, GranuleTable> t : tables.entrySet()) {
      Futures.join(
          store.put(
              Keys.join(path, RecordGroups.tableKey(t.getKey(), groups, generation)),
              ManifestFiles.toJson(options.recordDimension(), t.getValue().granules())));
    }
    for (Map.Entry<String, byte[]> m : arrayMetadata.entrySet()) {
      Futures.join(store.put(Keys.join(m.getKey(), "zarr.json"), m.getValue()));
    }
    if (!append) {
      // Sub-groups, with the first granule's attributes, so Zarr readers see the hierarchy.
      for (String group : ManifestFormat.subGroups(checked.kinds().keySet())) {
        String attributes = first.groups().getOrDefault(group, "{}");
        Futures.join(
            store.put(
                Keys.join(path, group, "zarr.json"), groupNode(ManifestJson.readMap(attributes))));
      }
    }
    Map<String, Object> attrs =
        append ? existing.groupAttributes() : ManifestJson.readMap(first.attributes());
    Futures.join(
        store.put(
            Keys.join(path, "zarr.json"),
            groupJson(attrs, options, generation, filesName, tables, checked)));
    LocalPublications.changed(); // a DataFrame of this JVM loaded on the manifest reopens it
    return new ManifestWriter.Result(
        checked.granules().size(),
        table.granules().size(),
        table.records(),
        generation,
        List.copyOf(checked.kinds().keySet()),
        checked.skipped(),
        groupRecords(tables));
  }

  /** The records of each record group but the first, by group. */
  private static Map<String, Long> groupRecords(Map<String, GranuleTable> tables) {
    Map<String, Long> out = new LinkedHashMap<>();
    tables.forEach((group, t) -> out.put(group, t.records()));
    out.remove(tables.keySet().iterator().next());
    return Collections.unmodifiableMap(out);
  }

  /** The group's zarr.json: the granules' attributes plus the manifest's own attribute. */
  private static byte[] groupJson(
      Map<String, Object> attrs,
      ManifestWriter.Options options,
      long generation,
      String filesName,
      Map<String, GranuleTable> tables,
      CheckedCollection checked) {
    GranuleTable table = tables.values().iterator().next();
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", ManifestFormat.VERSION);
    manifest.put("record_dimension", options.recordDimension());
    manifest.put("generation", generation);
    manifest.put("files", filesName);
    manifest.put("granules", table.granules().size());
    manifest.put("records", table.records());
    if (tables.size() > 1) {
      // Groups with a record dimension of their own: each one's length and granule table.
      Map<String, Object> byGroup = new LinkedHashMap<>();
      List<String> groups = List.copyOf(tables.keySet());
      tables.forEach(
          (group, t) -> {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("records", t.records());
            g.put("files", RecordGroups.tableKey(group, groups, generation));
            byGroup.put(RecordGroups.display(group), g);
          });
      manifest.put("record_groups", byGroup);
    }
    manifest.put("variables", checked.signatures());
    manifest.put("skipped", checked.skipped());
    Map<String, Object> groupAttrs = new LinkedHashMap<>(attrs);
    groupAttrs.put(ManifestFormat.GROUP_ATTRIBUTE, manifest);
    return groupNode(groupAttrs);
  }

  private static byte[] groupNode(Map<String, Object> attributes) {
    ObjectNode group = ManifestJson.MAPPER.createObjectNode();
    group.put("zarr_format", 3);
    group.put("node_type", "group");
    group.set("attributes", ManifestJson.MAPPER.valueToTree(attributes));
    return ManifestJson.toBytes(group);
  }
}
