package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code arraymorph index} builds a granule manifest from a glob of netCDF4-python granules, and
 * {@code info}/{@code cat} read it with xarray's values; appending and refusals are reported.
 */
class IndexCommandTest {
  @TempDir Path dir;

  @Test
  void indexesAGlobAppendsAndCatPrintsXarraysValues() throws Exception {
    Path granules = dir.resolve("granules");
    granules("count=3,steps=2,lat=4,lon=5", granules);
    Path manifest = dir.resolve("m");
    Cli.Result r =
        Cli.run("index", manifest.toString(), granules + "/granule_000[01].nc", "--threads", "2");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("indexed 2 granules") && r.out().contains("4 records"), r.out());

    Path refs = dir.resolve("refs.json");
    r =
        Cli.run(
            "index",
            "--append",
            manifest.toString(),
            granules + "/granule_0002.nc",
            "--kerchunk",
            refs.toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("3 granules, 6 records") && r.out().contains("version 2"), r.out());
    // The exported references read the same values as the manifest.
    Cli.Result viaRefs = Cli.run("cat", refs.toString(), "tas", "--slice", "5", "--format", "csv");
    assertEquals(0, viaRefs.exit(), viaRefs.toString());
    assertEquals(
        Cli.run("cat", manifest.toString(), "tas", "--slice", "5", "--format", "csv").out(),
        viaRefs.out());

    r = Cli.run("info", manifest.toString(), "tas");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().matches("(?s).*shape:\\s+\\[6, 4, 5\\].*"), r.out());
    assertTrue(r.out().matches("(?s).*dimensions:\\s+time, lat, lon.*"), r.out());

    // Every value of the last granule's last time step, against xarray's open_mfdataset.
    r = Cli.run("cat", manifest.toString(), "tas", "--slice", "5", "--format", "csv");
    assertEquals(0, r.exit(), r.toString());
    assertStepEquals(r.out(), granules.resolve("reference__tas.bin"), 5);
  }

  @Test
  void aNestedGroupsVariableIsIndexedListedAndCatPrintsXarraysValuesOfTheGroup() throws Exception {
    Path granules = dir.resolve("grouped");
    granules("count=2,steps=2,lat=4,lon=5,group=model/run1,group_time=1", granules);
    Path manifest = dir.resolve("m");
    Cli.Result r = Cli.run("index", manifest.toString(), granules + "/granule_*.nc");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("model/run1/tas"), r.out());

    r = Cli.run("ls", manifest.toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("model/run1/tas") && r.out().contains("model/run1/time"), r.out());

    // Every value of the last time step, against xarray's open_mfdataset(group="model/run1").
    r = Cli.run("cat", manifest.toString(), "model/run1/tas", "--slice", "3", "--format", "csv");
    assertEquals(0, r.exit(), r.toString());
    assertStepEquals(r.out(), granules.resolve("reference__model__run1__tas.bin"), 3);
  }

  /**
   * ICESat-2-like beams whose delta_time has its own length per granule (gt1l: 2, 8, 6; gt2r: 4, 2,
   * 8): indexed, appended and exported to kerchunk by the CLI; {@code cat} of a beam's variable
   * prints xarray's {@code open_mfdataset(group=...)} values, through the manifest and the refs.
   */
  @Test
  void beamGroupsWithRecordLengthsOfTheirOwnAreIndexedAppendedAndCatPrintsXarraysValues()
      throws Exception {
    Path granules = dir.resolve("beams");
    run("make_beam_granules.py", "count=3", granules);
    Path manifest = dir.resolve("m");
    Cli.Result r =
        Cli.run(
            "index",
            manifest.toString(),
            granules + "/beams_000[01].nc",
            "--record-dim",
            "delta_time");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(
        r.out().contains("8 records along delta_time (groups' own delta_time: gt1l 10, gt2r 6)"),
        r.out());
    Path refs = dir.resolve("refs.json");
    r =
        Cli.run(
            "index",
            "--append",
            manifest.toString(),
            granules + "/beams_0002.nc",
            "--record-dim",
            "delta_time",
            "--kerchunk",
            refs.toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(
        r.out().contains("12 records along delta_time (groups' own delta_time: gt1l 16, gt2r 14)"),
        r.out());
    float[] want = floats(Files.readAllBytes(granules.resolve("reference__gt1l__signal.bin")));
    for (String source : List.of(manifest.toString(), refs.toString())) {
      // Records 9..15 of gt1l: the last of granule 1 and all of the appended granule 2.
      r = Cli.run("cat", source, "gt1l/signal", "--slice", "9:16", "--format", "csv");
      assertEquals(0, r.exit(), r.toString());
      int checked = 0;
      for (String line : r.out().lines().filter(l -> l.matches("\\s*\\d.*")).toList()) {
        String[] f = line.split(",", -1);
        int t = Integer.parseInt(f[0].trim());
        int bin = Integer.parseInt(f[1].trim());
        assertEquals(want[t * 3 + bin], Float.parseFloat(f[2].trim()), 0.0f, source + ": " + line);
        checked++;
      }
      assertEquals(7 * 3, checked, r.out());
    }
  }

  @Test
  void refusingAnAppendNamesTheGranuleAndExitsWithAnError() throws Exception {
    Path granules = dir.resolve("g");
    granules("count=2,steps=2,lat=4,lon=5,reference=0", granules);
    Path manifest = dir.resolve("m");
    assertEquals(0, Cli.run("index", manifest.toString(), granules.toString()).exit());
    Cli.Result r = Cli.run("index", manifest.toString(), granules.toString());
    assertEquals(ArrayMorphCli.EXIT_ERROR, r.exit(), r.toString());
    assertTrue(r.err().contains("already exists"), r.toString());
    r = Cli.run("index", "--append", manifest.toString(), granules + "/granule_0001.nc");
    assertEquals(ArrayMorphCli.EXIT_ERROR, r.exit(), r.toString());
    assertTrue(r.err().contains("granule_0001.nc") && r.err().contains("already"), r.toString());
  }

  /**
   * Checks {@code cat --format csv} output of one time step {@code t} of a (t, 4, 5) float array:
   * its 20 values against the xarray values in {@code reference}.
   */
  private static void assertStepEquals(String csv, Path reference, int t) throws IOException {
    float[] ref = floats(Files.readAllBytes(reference));
    int checked = 0;
    for (String line : csv.lines().filter(l -> !l.isBlank()).toList()) {
      String[] f = line.split(",", -1);
      if (!f[0].trim().matches("\\d+")) {
        continue; // header
      }
      int y = Integer.parseInt(f[f.length - 3].trim());
      int x = Integer.parseInt(f[f.length - 2].trim());
      assertEquals(ref[(t * 4 + y) * 5 + x], Float.parseFloat(f[f.length - 1].trim()), 0.0f, line);
      checked++;
    }
    assertEquals(20, checked, csv);
  }

  private static float[] floats(byte[] le) {
    var b = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void aManifestRechunksToXarraysValues() throws Exception {
    Path granules = dir.resolve("granules");
    granules("count=3,steps=2,lat=4,lon=5", granules);
    Path manifest = dir.resolve("m");
    Cli.Result r = Cli.run("index", manifest.toString(), granules + "/granule_*.nc");
    assertEquals(0, r.exit(), r.toString());
    Path out = dir.resolve("tiles.zarr");
    // Long series of 2 x 2 tiles, through spilled pieces (memory smaller than the array).
    r =
        Cli.run(
            "rechunk",
            manifest.toString(),
            "tas",
            out.toString(),
            "tas",
            "--chunks",
            "6,2,2",
            "--memory",
            "64",
            "--threads",
            "2");
    assertEquals(0, r.exit(), r.toString());
    try (io.arraymorph.api.ArrayStore store = io.arraymorph.api.ArrayStore.open(out.toString())) {
      io.arraymorph.api.Dataset d = store.dataset("tas");
      org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {6, 4, 5}, d.shape());
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          Files.readAllBytes(granules.resolve("reference__tas.bin")), d.read().bytes());
    }
  }

  @Test
  void catAndRechunkRefuseAGranuleReplacedAfterIndexingNamingIt() throws Exception {
    Path granules = dir.resolve("plain");
    granules("count=2,steps=2,lat=4,lon=5,zlib=0", granules);
    Path replacement = dir.resolve("replacement");
    granules("first=1,count=1,steps=2,lat=4,lon=5,zlib=0,seed=7,reference=0", replacement);
    Path manifest = dir.resolve("m");
    assertEquals(0, Cli.run("index", manifest.toString(), granules.toString()).exit());
    Cli.Result before = Cli.run("cat", manifest.toString(), "tas", "--format", "csv");
    assertEquals(0, before.exit(), before.toString());

    Path granule = granules.resolve("granule_0001.nc");
    byte[] other = Files.readAllBytes(replacement.resolve("granule_0001.nc"));
    assertEquals(Files.size(granule), other.length, "same size");
    Files.write(granule, other);
    Cli.Result r = Cli.run("cat", manifest.toString(), "tas", "--format", "csv");
    assertEquals(ArrayMorphCli.EXIT_ERROR, r.exit(), r.toString());
    assertTrue(
        r.err().contains(granule.toString()) && r.err().contains("Index the collection again"),
        r.toString());
    // The first granule's records alone still read.
    r = Cli.run("cat", manifest.toString(), "tas", "--slice", "1", "--format", "csv");
    assertEquals(0, r.exit(), r.toString());
    r =
        Cli.run(
            "rechunk",
            manifest.toString(),
            "tas",
            dir.resolve("tiles.zarr").toString(),
            "tas",
            "--chunks",
            "4,2,2");
    assertEquals(ArrayMorphCli.EXIT_ERROR, r.exit(), r.toString());
    assertTrue(r.err().contains(granule.toString()), r.toString());
  }

  /** Runs scripts/make_cf_granules.py with Debian's Python (netCDF4-python, xarray). */
  private static void granules(String spec, Path out) throws IOException, InterruptedException {
    run("make_cf_granules.py", spec, out);
  }

  /** Runs the fixture script {@code scripts/<name>} with Debian's Python. */
  private static void run(String name, String spec, Path out)
      throws IOException, InterruptedException {
    Path script = null;
    for (Path d = Path.of("").toAbsolutePath(); d != null && script == null; d = d.getParent()) {
      Path c = d.resolve("scripts/" + name);
      script = Files.isRegularFile(c) ? c : null;
    }
    Process p =
        new ProcessBuilder("/usr/bin/python3", String.valueOf(script), spec, out.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, log);
  }
}
