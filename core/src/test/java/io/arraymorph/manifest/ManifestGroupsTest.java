package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.CoordinateLookup;
import io.arraymorph.api.DatasetNotFoundException;
import io.arraymorph.api.DatasetRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NetCDF-4 granules whose data variable sits in a sub-group (netCDF4-python fixtures): a manifest
 * indexes it under its path, concatenated along the record dimension, with the values xarray's
 * {@code open_mfdataset(group=...)} reads; its dimensions find their coordinates NetCDF-4's way
 * (the group's own, else an ancestor's); granules whose groups differ are refused naming the group.
 */
class ManifestGroupsTest {
  private static final String SPEC = "count=2,steps=2,lat=4,lon=5";
  @TempDir Path tmp;

  @Test
  void aNestedGroupsVariableAndItsOwnTimeAreIndexedByPathWithXarraysValues() throws Exception {
    Path dir = CfGranules.make(SPEC + ",group=model/run1,group_time=1", tmp.resolve("nested"));
    Path manifest = tmp.resolve("nested.manifest");
    ManifestWriter.Result r =
        CfGranules.index(CfGranules.files(dir), manifest, ManifestWriter.Options.DEFAULT);
    assertEquals(
        List.of("lat", "lon", "model/run1/tas", "model/run1/time", "time"),
        r.variables().stream().sorted().toList());
    assertEquals(List.of(), r.skipped());
    assertTrue(
        Files.readString(manifest.resolve("model/run1/zarr.json")).contains("group run1"),
        "the group node carries the group's attributes");
    try (ArrayStore s = ArrayStore.open(manifest.toString())) {
      assertArrayEquals(
          CfGranules.reference(dir, "model/run1/tas"), s.dataset("model/run1/tas").read().bytes());
      assertArrayEquals(
          CfGranules.reference(dir, "model/run1/time"),
          s.dataset("model/run1/time").read().bytes());
      assertEquals(List.of("time", "lat", "lon"), s.dataset("model/run1/tas").dimensionNames());
      // The group's own time (root time + 0.5) is the coordinate of its variable's time, lat the
      // root's: what a coordinate filter on the variable uses.
      DatasetRef tas = s.findDataset("model/run1/tas").orElseThrow();
      CoordinateLookup lookup = new CoordinateLookup(s, tas);
      assertEquals("model/run1/time", lookup.find("time").orElseThrow().path());
      assertEquals("lat", lookup.find("lat").orElseThrow().path());
    }
  }

  @Test
  void aGroupsVariablesUseTheRootsCoordinatesAndAppendLikeRootVariables() {
    Path dir =
        CfGranules.make("count=3,steps=2,lat=4,lon=5,group=model,static=1", tmp.resolve("grouped"));
    Path plain = CfGranules.make("count=3,steps=2,lat=4,lon=5", tmp.resolve("plain"));
    List<String> files = CfGranules.files(dir);
    Path manifest = tmp.resolve("grouped.manifest");
    CfGranules.index(files.subList(0, 2), manifest, ManifestWriter.Options.DEFAULT);
    ManifestWriter.Result r =
        CfGranules.index(
            files.subList(2, 3), manifest, ManifestWriter.Options.DEFAULT.withAppend(true));
    assertEquals(6, r.records());
    try (ArrayStore s = ArrayStore.open(manifest.toString())) {
      // xarray's values of the group equal those of the same granules written without it.
      byte[] xarray = CfGranules.reference(dir, "model/tas");
      assertArrayEquals(CfGranules.reference(plain, "tas"), xarray);
      assertArrayEquals(xarray, s.dataset("model/tas").read().bytes());
      // A group's variable without the record dimension still reads after the append moved the
      // granule table (its zarr.json names it from the group: ../_manifest/...).
      assertArrayEquals(
          CfGranules.reference(dir, "model/orog"), s.dataset("model/orog").read().bytes());
      DatasetRef tas = s.findDataset("model/tas").orElseThrow();
      assertEquals("time", new CoordinateLookup(s, tas).find("time").orElseThrow().path());
    }
  }

  @Test
  void aCollectionWhoseTimeIsOnlyInAGroupIsOrderedAndCheckedByTheGroupsTime() throws Exception {
    String spec = SPEC + ",count=1,group=model,group_time=1,root_time=0";
    Path late = CfGranules.make(spec + ",shift=10", tmp.resolve("a")); // days 10.5, 11.5
    Path early = CfGranules.make(spec + ",first=1", tmp.resolve("b")); // days 2.5, 3.5
    List<String> files = new ArrayList<>(CfGranules.files(late));
    files.addAll(CfGranules.files(early));
    Path manifest = tmp.resolve("m");
    CfGranules.index(files, manifest, ManifestWriter.Options.DEFAULT);
    try (ArrayStore s = ArrayStore.open(manifest.toString())) {
      java.io.ByteArrayOutputStream want = new java.io.ByteArrayOutputStream();
      want.write(CfGranules.reference(early, "model/tas"));
      want.write(CfGranules.reference(late, "model/tas"));
      assertArrayEquals(want.toByteArray(), s.dataset("model/tas").read().bytes());
      assertArrayEquals(
          new double[] {2.5, 3.5, 10.5, 11.5}, s.dataset("model/time").read().toDoubleArray(), 0.0);
    }
    Path again = CfGranules.make(spec + ",first=1,reference=0", tmp.resolve("c"));
    List<String> overlapping = new ArrayList<>(CfGranules.files(early));
    overlapping.addAll(CfGranules.files(again));
    String m =
        assertThrows(
                ArrayMorphException.class,
                () ->
                    CfGranules.index(
                        overlapping, tmp.resolve("m2"), ManifestWriter.Options.DEFAULT))
            .getMessage();
    assertTrue(m.contains("has model/time from 2.5 to 3.5, which overlaps granule"), m);
  }

  @Test
  void granulesWhoseGroupsDifferAreRefusedNamingTheGranuleAndTheGroup() {
    Path a = CfGranules.make(SPEC + ",count=1,group=model,reference=0", tmp.resolve("a"));
    Path b = CfGranules.make(SPEC + ",count=1,first=1,group=other,reference=0", tmp.resolve("b"));
    List<String> files = new ArrayList<>(CfGranules.files(a));
    files.addAll(CfGranules.files(b));
    Path manifest = tmp.resolve("mixed.manifest");
    String m =
        assertThrows(
                ArrayMorphException.class,
                () -> CfGranules.index(files, manifest, ManifestWriter.Options.DEFAULT))
            .getMessage();
    assertTrue(
        m.contains("Granule '" + files.get(1) + "' disagrees with the collection on group '/")
            && m.contains("Nothing was written"),
        m);
    assertTrue(!Files.exists(manifest.resolve("zarr.json")), "nothing was written");
  }

  @Test
  void aGroupDimensionWithoutCoordinateShadowingARootCoordinateIsLeftOutAndItsReadSaysWhy() {
    Path dir = CfGranules.make(SPEC + ",group=model,group_time=dim,reference=0", tmp.resolve("g"));
    Path manifest = tmp.resolve("g.manifest");
    ManifestWriter.Result r =
        CfGranules.index(CfGranules.files(dir), manifest, ManifestWriter.Options.DEFAULT);
    assertEquals(List.of("lat", "lon", "time"), r.variables().stream().sorted().toList());
    assertEquals(1, r.skipped().size(), r.skipped().toString());
    try (ArrayStore s = ArrayStore.open(manifest.toString())) {
      String m =
          assertThrows(DatasetNotFoundException.class, () -> s.dataset("model/tas")).getMessage();
      assertTrue(
          m.contains("left 'model/tas' out")
              && m.contains("dimension 'time' is the group '/model''s own")
              && m.contains("'/time'"),
          m);
    }
  }
}
