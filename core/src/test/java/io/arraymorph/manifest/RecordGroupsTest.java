package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where each record group's granule table lives and how arrays name it: the least nested group's at
 * the manifest's root (where manifests from before group tables have their only one), the others in
 * their group's folder, named relative to the array's own group.
 */
class RecordGroupsTest {
  private static Map<String, String> along(String group) {
    return Map.of("kind", "RECORD", VariableSignature.RECORD_GROUP, group);
  }

  @Test
  void theLeastNestedGroupComesFirstAndKeepsTheRootTable() {
    Map<String, Map<String, String>> sigs = new LinkedHashMap<>();
    sigs.put("gt2r/signal", along("/gt2r"));
    sigs.put("gt1l/sub/x", along("/gt1l/sub"));
    sigs.put("gt1l/signal", along("/gt1l"));
    sigs.put("lat", Map.of("kind", "COORDINATE"));
    List<String> groups = RecordGroups.of(sigs);
    assertEquals(List.of("gt1l", "gt2r", "gt1l/sub"), groups);
    assertEquals("_manifest/files.g3.json", RecordGroups.tableKey("gt1l", groups, 3));
    assertEquals("gt2r/_manifest/files.g3.json", RecordGroups.tableKey("gt2r", groups, 3));
    assertEquals("gt1l/sub/_manifest/files.g3.json", RecordGroups.tableKey("gt1l/sub", groups, 3));
    String name = ManifestFormat.filesKey(3);
    // Relative to the array's group: ManifestFormat.filesKey resolves it back to the table's key.
    assertEquals("../" + name, RecordGroups.filesRef("gt1l/signal", "gt1l", groups, name));
    assertEquals(name, RecordGroups.filesRef("gt2r/signal", "gt2r", groups, name));
    assertEquals(name, RecordGroups.filesRef("gt1l/sub/x", "gt1l/sub", groups, name));
    assertEquals("../" + name, RecordGroups.filesRef("gt2r/a/y", "gt2r", groups, name));
    assertEquals(
        "m/gt2r/_manifest/files.g3.json",
        ManifestFormat.filesKey(
            "m/gt2r/a/y", RecordGroups.filesRef("gt2r/a/y", "gt2r", groups, name)));
  }

  @Test
  void signaturesWithoutARecordGroupAreTheRootsAsManifestsFromBeforeGroupTablesWrote() {
    List<String> groups =
        RecordGroups.of(Map.of("model/tas", Map.of("kind", "RECORD"), "time", along("/")));
    assertEquals(List.of(""), groups);
    assertEquals(
        "../" + ManifestFormat.filesKey(1),
        RecordGroups.filesRef("model/tas", "", groups, ManifestFormat.filesKey(1)));
  }
}
