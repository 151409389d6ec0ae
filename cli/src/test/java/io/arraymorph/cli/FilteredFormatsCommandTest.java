package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code info} and {@code cat} on files other libraries wrote with the compressors real data uses:
 * zarr-python 2's default Blosc and HDF5's Blosc, scaleoffset, nbit and szip filters
 * (scripts/make_filter_cli_fixtures.py, with Debian's zarr-python and h5py).
 */
class FilteredFormatsCommandTest {
  @TempDir static Path dir;

  @BeforeAll
  static void writeFixtures() throws IOException, InterruptedException {
    Path script = null;
    for (Path d = Path.of("").toAbsolutePath(); d != null && script == null; d = d.getParent()) {
      Path candidate = d.resolve("scripts").resolve("make_filter_cli_fixtures.py");
      script = Files.isRegularFile(candidate) ? candidate : null;
    }
    Process p =
        new ProcessBuilder("/usr/bin/python3", String.valueOf(script), dir.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, output);
  }

  /** The csv lines {@code cat} must print for a 6 x 5 array of {@code value(i, j)}. */
  private static List<String> csv(String header, BiFunction<Integer, Integer, String> value) {
    List<String> lines = new ArrayList<>(List.of(header));
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 5; j++) {
        lines.add(i + "," + j + "," + value.apply(i, j));
      }
    }
    return lines;
  }

  @Test
  void zarrPython2DefaultBloscArrayPrintsItsValuesAndNamesItsCompressor() {
    Path store = dir.resolve("v2.zarr");
    Cli.Result info = Cli.run("info", store.toString(), "");
    assertEquals(0, info.exit(), info.toString());
    assertTrue(info.out().contains("blosc"), info.out());
    Cli.Result cat = Cli.run("cat", store.toString(), "", "--format", "csv");
    assertEquals(0, cat.exit(), cat.toString());
    List<String> lines = cat.out().lines().toList();
    assertEquals(
        csv(lines.get(0), (i, j) -> String.valueOf(i * 10 + j + 0.5)).subList(1, 31),
        lines.subList(1, lines.size()));
  }

  @Test
  void hdf5BloscScaleoffsetNbitAndSzipDatasetsPrintTheirValues() {
    String file = dir.resolve("filters.h5").toString();
    Cli.Result info = Cli.run("info", file, "/blosc");
    assertEquals(0, info.exit(), info.toString());
    assertTrue(info.out().contains("blosc"), info.out());
    assertCat(file, "/blosc", (i, j) -> String.valueOf((double) (i * 100 + j)));
    assertCat(file, "/scaleoffset", (i, j) -> String.valueOf(i * 100 - j));
    assertCat(file, "/nbit", (i, j) -> String.valueOf(i * 10 - j * 7));
    Cli.Result szip = Cli.run("info", file, "/szip");
    assertEquals(0, szip.exit(), szip.toString());
    assertTrue(szip.out().contains("szip"), szip.out());
    assertCat(file, "/szip", (i, j) -> String.valueOf((double) (i * 1000 - j * 3)));
  }

  private static void assertCat(
      String file, String dataset, BiFunction<Integer, Integer, String> value) {
    Cli.Result r = Cli.run("cat", file, dataset, "--format", "csv");
    assertEquals(0, r.exit(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(31, lines.size(), r.out());
    assertEquals(csv(lines.get(0), value), lines, dataset);
  }
}
