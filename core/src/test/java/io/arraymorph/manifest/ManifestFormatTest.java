package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A virtual array names its granule table relative to its own group: a root array as manifests
 * always did (so those written before sub-groups were indexed read unchanged), one in a sub-group
 * with one {@code ../} per level.
 */
class ManifestFormatTest {
  @Test
  void aRootArrayNamesTheTableAsBeforeAndASubGroupsArrayOneLevelUpPerGroup() {
    assertEquals(
        "_manifest/files.g3.json", ManifestFormat.filesRef("tas", "_manifest/files.g3.json"));
    assertEquals(
        "../../_manifest/files.g3.json",
        ManifestFormat.filesRef("model/run1/tas", "_manifest/files.g3.json"));
    // Written before groups: the table beside the array's parent, the manifest root.
    assertEquals(
        "c/m/_manifest/files.g1.json",
        ManifestFormat.filesKey("c/m/tas", "_manifest/files.g1.json"));
    assertEquals(
        "_manifest/files.g1.json", ManifestFormat.filesKey("tas", "_manifest/files.g1.json"));
    assertEquals(
        "c/m/_manifest/files.g1.json",
        ManifestFormat.filesKey("c/m/model/run1/tas", "../../_manifest/files.g1.json"));
  }

  @Test
  void aTableOutsideTheStoreIsRefusedNamingTheArray() {
    String m =
        assertThrows(
                ArrayMorphException.class,
                () -> ManifestFormat.filesKey("m/tas", "../../_manifest/files.g1.json"))
            .getMessage();
    assertTrue(m.contains("'m/tas'") && m.contains("outside the store"), m);
  }

  @Test
  void subGroupsAreEveryAncestorOfTheNamesParentsFirst() {
    assertEquals(
        List.of("a", "a/b", "c"),
        List.copyOf(ManifestFormat.subGroups(List.of("tas", "a/b/x", "a/y", "c/z"))));
  }
}
