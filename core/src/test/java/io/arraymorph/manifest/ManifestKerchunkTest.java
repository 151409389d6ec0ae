package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.testing.PythonFixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest exported as kerchunk references reads, through fsspec + zarr-python and through
 * ArrayMorph's kerchunk reader, the values xarray's {@code open_mfdataset} gives.
 */
class ManifestKerchunkTest {
  @TempDir Path tmp;

  @Test
  void exportedReferencesReadAsXarrayInZarrPythonAndArrayMorph() throws Exception {
    check("count=3,steps=2,lat=6,lon=5", List.of("tas", "time", "lat", "lon"));
  }

  @Test
  void exportedReferencesOfNestedGroupsReadAsXarrayReadsTheGroup() throws Exception {
    check(
        "count=2,steps=2,lat=6,lon=5,group=model/run1,group_time=1",
        List.of("model/run1/tas", "model/run1/time", "time", "lat", "lon"));
  }

  @Test
  void exportedReferencesOfBeamGroupsWithRecordLengthsOfTheirOwnReadAsXarrayReadsEachGroup()
      throws Exception {
    check(
        CfGranules.beams("count=3", tmp.resolve("g")),
        ManifestWriter.Options.DEFAULT.withRecordDimension("delta_time"),
        List.of(
            "gt1l/signal",
            "gt1l/h_li",
            "gt1l/delta_time",
            "gt2r/signal",
            "gt2r/h_li",
            "gt2r/delta_time",
            "rate",
            "delta_time"));
  }

  private void check(String spec, List<String> variables) throws Exception {
    check(CfGranules.make(spec, tmp.resolve("g")), ManifestWriter.Options.DEFAULT, variables);
  }

  /** Exports the manifest of {@code granules}' and reads it with ArrayMorph and zarr-python. */
  private void check(Path granules, ManifestWriter.Options options, List<String> variables)
      throws Exception {
    Path manifest = tmp.resolve("m");
    CfGranules.index(CfGranules.files(granules), manifest, options);
    Path json = tmp.resolve("refs.json");
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      Files.write(json, ManifestKerchunk.export(store));
    }
    try (ArrayStore refs = ArrayStore.open(json.toString())) {
      for (String v : variables) {
        assertArrayEquals(CfGranules.reference(granules, v), refs.dataset(v).read().bytes(), v);
      }
    }
    Path script = null;
    for (Path d = Path.of("").toAbsolutePath(); d != null && script == null; d = d.getParent()) {
      Path c = d.resolve("scripts/check_manifest_kerchunk.py");
      script = Files.isRegularFile(c) ? c : null;
    }
    Process p =
        new ProcessBuilder(
                PythonFixtures.PYTHON, String.valueOf(script), json.toString(), granules.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    assertTrue(p.exitValue() == 0 && out.contains("checked " + variables.size() + " arrays"), out);
  }
}
