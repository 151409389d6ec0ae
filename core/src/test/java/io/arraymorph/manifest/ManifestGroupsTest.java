package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.DatasetNotFoundException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NetCDF-4 granules whose data variable sits in a sub-group (netCDF4-python fixtures): a manifest
 * indexes only the root group, so it leaves the variable out, says so when indexing, and a read of
 * it fails naming the group and the way to read it; that way (the granules themselves) reads the
 * values xarray reads from the same granules written without the group.
 */
class ManifestGroupsTest {
  private static final String SPEC = "count=2,steps=2,lat=4,lon=5";
  @TempDir Path tmp;

  @Test
  void aVariableInASubGroupIsLeftOutAndItsReadNamesTheGroupAndTheWayToReadIt() {
    Path dir = CfGranules.make(SPEC + ",group=model,reference=0", tmp.resolve("grouped"));
    Path manifest = tmp.resolve("grouped.manifest");
    ManifestWriter.Result r =
        CfGranules.index(CfGranules.files(dir), manifest, ManifestWriter.Options.DEFAULT);
    assertEquals(List.of("lat", "lon", "time"), r.variables().stream().sorted().toList());
    assertEquals(1, r.skipped().size(), r.skipped().toString());
    assertTrue(
        r.skipped().get(0).startsWith("model/tas: it is in the group '/model'"),
        r.skipped().get(0));
    try (ArrayStore s = ArrayStore.open(manifest.toString())) {
      DatasetNotFoundException e =
          assertThrows(DatasetNotFoundException.class, () -> s.dataset("model/tas"));
      String m = e.getMessage();
      assertTrue(
          m.contains("No dataset 'model/tas'")
              && m.contains("left 'model/tas' out")
              && m.contains("group '/model'")
              && m.contains("only the root group's variables")
              && m.contains("dataset=model/tas"),
          m);
      // A name the manifest never saw keeps the plain message.
      String other =
          assertThrows(DatasetNotFoundException.class, () -> s.dataset("pr")).getMessage();
      assertTrue(other.contains("No dataset 'pr'") && !other.contains("left"), other);
    }
  }

  @Test
  void theGroupedVariableReadFromEachGranuleEqualsXarrayOnTheSameValuesWithoutTheGroup() {
    Path grouped = CfGranules.make(SPEC + ",group=model,reference=0", tmp.resolve("grouped"));
    Path plain = CfGranules.make(SPEC, tmp.resolve("plain"));
    byte[] xarray = CfGranules.reference(plain, "tas");
    List<String> files = CfGranules.files(grouped);
    int perGranule = xarray.length / files.size();
    for (int g = 0; g < files.size(); g++) {
      try (ArrayStore s = ArrayStore.open(files.get(g))) {
        assertArrayEquals(
            Arrays.copyOfRange(xarray, g * perGranule, (g + 1) * perGranule),
            s.dataset("model/tas").read().bytes(),
            files.get(g));
      }
    }
  }
}
