package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.CoordinateLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ICESat-2-like granules (netCDF4-python, scripts/make_beam_granules.py) whose beam groups define
 * their own record dimension {@code delta_time}, of another length per granule than the root's and
 * each other's: each group's variables are concatenated along their own dimension with a granule
 * table of the group, and read as xarray's {@code open_mfdataset(group=...)} reads the group; a
 * granule that breaks a group's record dimension is refused naming the granule, group and variable.
 */
class ManifestRecordGroupsTest {
  private static final ManifestWriter.Options ALONG_DELTA_TIME =
      ManifestWriter.Options.DEFAULT.withRecordDimension("delta_time");
  private static final List<String> ARRAYS =
      List.of(
          "delta_time",
          "rate",
          "gt1l/delta_time",
          "gt1l/h_li",
          "gt1l/signal",
          "gt2r/delta_time",
          "gt2r/h_li",
          "gt2r/signal");

  @TempDir static Path tmp;
  static Path beams;
  static List<String> files;

  /** The granule a refusal test adds after the collection's three ({@link #refusal}). */
  private String late;

  @BeforeAll
  static void granules() {
    beams = CfGranules.beams("count=3", tmp.resolve("beams"));
    files = CfGranules.files(beams);
  }

  @Test
  void eachBeamGroupIsConcatenatedAlongItsOwnRecordDimensionAsXarrayReadsTheGroup()
      throws Exception {
    Path manifest = tmp.resolve("beams.manifest");
    ManifestWriter.Result r = CfGranules.index(files, manifest, ALONG_DELTA_TIME);
    assertEquals(ARRAYS.stream().sorted().toList(), r.variables().stream().sorted().toList());
    assertEquals(12, r.records(), "the root's record length: 4 per granule");
    try (ArrayStore s = ArrayStore.open(manifest.toString())) {
      for (String v : ARRAYS) {
        assertArrayEquals(CfGranules.reference(beams, v), s.dataset(v).read().bytes(), v);
      }
      assertArrayEquals(new long[] {16, 3}, s.dataset("gt1l/signal").shape());
      assertArrayEquals(new long[] {14, 3}, s.dataset("gt2r/signal").shape());
      // Each group's table: its own records per granule (gt1l: 2, 8, 6; gt2r: 4, 2, 8).
      assertRecords(s, "gt1l/signal", new long[] {0, 2, 10}, new long[] {2, 8, 6});
      assertRecords(s, "gt2r/signal", new long[] {0, 4, 6}, new long[] {4, 2, 8});
      assertRecords(s, "rate", new long[] {0, 4, 8}, new long[] {4, 4, 4});
      List<GranuleRange> gt2r = ((ManifestDataset) s.dataset("gt2r/signal")).granules();
      assertEquals(files.get(1), gt2r.get(1).url());
      assertEquals(100.5, gt2r.get(1).min("gt2r/delta_time"), 0.0);
      assertEquals(105.5, gt2r.get(1).max("gt2r/delta_time"), 0.0);
      // A filter on delta_time over a beam's variable uses the beam's own coordinate.
      CoordinateLookup lookup = new CoordinateLookup(s, s.findDataset("gt1l/signal").orElseThrow());
      assertEquals("gt1l/delta_time", lookup.find("delta_time").orElseThrow().path());
    }
    String group = Files.readString(manifest.resolve("zarr.json"));
    assertTrue(
        group.contains("\"/gt1l\":{\"records\":16,\"files\":\"gt1l/_manifest/files.g1.json\"}"),
        group);
    assertTrue(
        Files.readString(manifest.resolve("gt2r/signal/zarr.json"))
            .contains("\"files\":\"_manifest/files.g1.json\""),
        "a group's array names its group's table, in the group's folder");
  }

  @Test
  void anAppendExtendsEveryGroupsTableAndAnAppendedGranuleBreakingAGroupChangesNothing() {
    Path manifest = tmp.resolve("append.manifest");
    CfGranules.index(files.subList(0, 2), manifest, ALONG_DELTA_TIME);
    Path noOwnDim = CfGranules.beams("count=1,first=3,own_dim=0,reference=0", tmp.resolve("nodim"));
    String refused =
        assertThrows(
                ArrayMorphException.class,
                () ->
                    CfGranules.index(
                        CfGranules.files(noOwnDim), manifest, ALONG_DELTA_TIME.withAppend(true)))
            .getMessage();
    assertTrue(
        refused.contains("Granule '" + CfGranules.files(noOwnDim).get(0) + "'")
            && refused.contains("group '/gt1l'")
            && refused.contains("variable 'gt1l/h_li'")
            && refused.contains("lacks its own 'delta_time'")
            && refused.contains("Nothing was written"),
        refused);
    ManifestWriter.Result r =
        CfGranules.index(files.subList(2, 3), manifest, ALONG_DELTA_TIME.withAppend(true));
    assertEquals(2, r.generation(), "the refused append published nothing");
    assertEquals(3, r.granules());
    try (ArrayStore s = ArrayStore.open(manifest.toString())) {
      for (String v : ARRAYS) {
        assertArrayEquals(CfGranules.reference(beams, v), s.dataset(v).read().bytes(), v);
      }
      assertRecords(s, "gt1l/signal", new long[] {0, 2, 10}, new long[] {2, 8, 6});
      assertRecords(s, "gt2r/signal", new long[] {0, 4, 6}, new long[] {4, 2, 8});
    }
  }

  @Test
  void aGroupLackingItsOwnRecordDimensionInOneGranuleIsRefusedBeforeAnythingIsWritten() {
    String m = refusal("own_dim=0", "nd");
    assertTrue(
        m.contains("Granule '" + late + "' disagrees with the collection on group '/gt1l'")
            && m.contains(
                "variable 'gt1l/h_li' runs along the record dimension 'delta_time' of"
                    + " group '/' in this granule, of group '/gt1l' in granule '"
                    + files.get(0)),
        m);
  }

  @Test
  void aVariableShorterThanItsGroupsRecordDimensionIsRefusedNamingGroupAndVariable() {
    String m = refusal("short=1", "short");
    // Granule 3's gt2r holds 2 * (1 + 10 % 4) = 6 records, its signal 4.
    assertTrue(
        m.contains(
            "Granule '"
                + late
                + "' disagrees with the collection on variable 'gt2r/signal': it holds 4"
                + " records, while variable 'gt2r/delta_time' along the same record dimension"
                + " 'delta_time' of group '/gt2r' holds 6"),
        m);
  }

  /**
   * Indexes the collection plus a fourth granule written with {@code spec}; returns the refusal's
   * message, after checking that nothing was written.
   */
  private String refusal(String spec, String name) {
    Path dir = CfGranules.beams("count=1,first=3,reference=0," + spec, tmp.resolve(name));
    List<String> mixed = new ArrayList<>(files);
    late = CfGranules.files(dir).get(0);
    mixed.add(late);
    Path manifest = tmp.resolve(name + ".manifest");
    String m =
        assertThrows(
                ArrayMorphException.class,
                () -> CfGranules.index(mixed, manifest, ALONG_DELTA_TIME))
            .getMessage();
    assertTrue(m.contains("Nothing was written"), m);
    assertFalse(Files.exists(manifest.resolve("zarr.json")), "nothing was written");
    return m;
  }

  @Test
  void aBeamWithoutDataInOneGranuleAddsNoRecordToItsGroup() {
    Path dir = CfGranules.beams("count=3,empty=1", tmp.resolve("empty"));
    Path manifest = tmp.resolve("empty.manifest");
    CfGranules.index(CfGranules.files(dir), manifest, ALONG_DELTA_TIME);
    try (ArrayStore s = ArrayStore.open(manifest.toString())) {
      for (String v : ARRAYS) {
        assertArrayEquals(CfGranules.reference(dir, v), s.dataset(v).read().bytes(), v);
      }
      assertRecords(s, "gt2r/signal", new long[] {0, 4, 4}, new long[] {4, 0, 8});
      assertRecords(s, "gt1l/signal", new long[] {0, 2, 10}, new long[] {2, 8, 6});
    }
  }

  /**
   * HDF5 granules written by h5py as ICESat-2's are (dimension scales, beams two levels deep:
   * {@code gt1l/land_ice_segments/delta_time}) read as h5py's own concatenation of each group.
   */
  @Test
  void h5pyBeamsTwoLevelsDeepReadAsH5pyConcatenatesEachGroup() {
    String groups = "gt1l/land_ice_segments.gt2r/land_ice_segments";
    Path dir = CfGranules.beams("writer=h5py,groups=" + groups, tmp.resolve("h5py"));
    Path manifest = tmp.resolve("h5py.manifest");
    ManifestWriter.Result r = CfGranules.index(CfGranules.files(dir), manifest, ALONG_DELTA_TIME);
    List<String> arrays =
        List.of(
            "delta_time",
            "gt1l/land_ice_segments/delta_time",
            "gt1l/land_ice_segments/signal",
            "gt2r/land_ice_segments/delta_time",
            "gt2r/land_ice_segments/signal");
    assertEquals(arrays, r.variables().stream().sorted().toList());
    assertEquals(
        java.util.Map.of("gt1l/land_ice_segments", 16L, "gt2r/land_ice_segments", 14L),
        r.groupRecords());
    try (ArrayStore s = ArrayStore.open(manifest.toString())) {
      for (String v : arrays) {
        assertArrayEquals(CfGranules.reference(dir, v), s.dataset(v).read().bytes(), v);
      }
      assertRecords(s, "gt2r/land_ice_segments/signal", new long[] {0, 4, 6}, new long[] {4, 2, 8});
    }
  }

  /**
   * A manifest written before groups had record tables of their own (one table; signatures without
   * the record group; a group's own time as long as the root's) reads and appends as before.
   */
  @Test
  void aManifestWithOneRecordTableFromBeforeGroupTablesReadsAndAppendsAsBefore() throws Exception {
    Path dir =
        CfGranules.make("count=3,steps=2,lat=4,lon=5,group=model,group_time=1", tmp.resolve("old"));
    List<String> cf = CfGranules.files(dir);
    Path manifest = tmp.resolve("old.manifest");
    CfGranules.index(cf.subList(0, 2), manifest, ManifestWriter.Options.DEFAULT);
    // Rewrite it as the previous ArrayMorph wrote it.
    Path group = manifest.resolve("zarr.json");
    com.fasterxml.jackson.databind.node.ObjectNode root =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            ManifestJson.MAPPER.readTree(group.toFile());
    com.fasterxml.jackson.databind.node.ObjectNode m =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            root.path("attributes").path(ManifestFormat.GROUP_ATTRIBUTE);
    assertTrue(m.has("record_groups"), m.toString());
    m.remove("record_groups");
    m.path("variables")
        .forEach(
            v ->
                ((com.fasterxml.jackson.databind.node.ObjectNode) v)
                    .remove(VariableSignature.RECORD_GROUP));
    Files.write(group, ManifestJson.toBytes(root));
    Path tas = manifest.resolve("model/tas/zarr.json");
    Files.writeString(
        tas, Files.readString(tas).replace("\"files\":\"_manifest/", "\"files\":\"../_manifest/"));
    Files.delete(manifest.resolve("model/_manifest/files.g1.json"));
    CfGranules.index(cf.subList(2, 3), manifest, ManifestWriter.Options.DEFAULT.withAppend(true));
    assertFalse(
        Files.exists(manifest.resolve("model/_manifest/files.g2.json")),
        "one record table, as the manifest had");
    try (ArrayStore s = ArrayStore.open(manifest.toString())) {
      for (String v : List.of("model/tas", "model/time", "time", "lat")) {
        assertArrayEquals(CfGranules.reference(dir, v), s.dataset(v).read().bytes(), v);
      }
      assertRecords(s, "model/tas", new long[] {0, 2, 4}, new long[] {2, 2, 2});
    }
  }

  private static void assertRecords(ArrayStore s, String array, long[] starts, long[] counts) {
    List<GranuleRange> table = ((ManifestDataset) s.dataset(array)).granules();
    assertArrayEquals(starts, table.stream().mapToLong(GranuleRange::recordStart).toArray(), array);
    assertArrayEquals(counts, table.stream().mapToLong(GranuleRange::recordCount).toArray(), array);
  }
}
