package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.PythonFixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The command-line tool on one store, through its entry point: {@code cp} of files h5py and
 * netCDF4-python wrote into Zarr there, {@code cat}, {@code ls} and {@code info} of what is there,
 * {@code index} of netCDF4-python granules on the store into a manifest there, {@code rechunk} and
 * {@code repair}. Values are checked against the writing library's or xarray's (fixture scripts
 * with Debian's Python), never against ArrayMorph's own reader of the source. Store settings are
 * given once as {@code --option} and once as environment variables. A subclass gives the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CliStoreContract {
  private Path fixtures;
  private Path granules;
  private Path beams;

  /** The directory everything goes to, such as {@code s3://bucket/run}. */
  protected abstract String root();

  /** Store settings that reach {@link #root()} under ArrayMorph's option names. */
  protected abstract Map<String, String> settings();

  @BeforeAll
  void writeAndUploadFixtures() throws IOException {
    Path dir = Files.createTempDirectory("cli-store");
    fixtures = dir.resolve("files");
    granules = dir.resolve("granules");
    beams = dir.resolve("beams");
    PythonFixtures.generate("make_cli_store_fixtures.py", fixtures);
    PythonFixtures.generateWith("make_cf_granules.py", "count=3,steps=2,lat=4,lon=5", granules);
    PythonFixtures.generateWith("make_beam_granules.py", "count=3", beams);
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(settings()))) {
      upload(store, fixtures.resolve("sample.h5"), "files/sample.h5");
      for (int g = 0; g < 3; g++) {
        String name = String.format("granule_%04d.nc", g);
        upload(store, granules.resolve(name), "granules/" + name);
        name = String.format("beams_%04d.nc", g);
        upload(store, beams.resolve(name), "beams/" + name);
      }
    }
  }

  private static void upload(ObjectStore store, Path file, String key) throws IOException {
    Futures.join(store.put(key, Files.readAllBytes(file)));
  }

  /** Runs {@code command args...} with the settings as {@code --option KEY=VALUE}. */
  Cli.Result withOptions(String command, String... args) {
    return withOptions(settings(), command, args);
  }

  private static Cli.Result withOptions(
      Map<String, String> settings, String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    settings.forEach((k, v) -> all.addAll(List.of("--option", k + "=" + v)));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  /** Runs {@code command args...} with the settings in ArrayMorph's environment variables. */
  Cli.Result withEnvironment(String command, String... args) {
    return withEnvironment(settings(), command, args);
  }

  private static Cli.Result withEnvironment(
      Map<String, String> settings, String command, String... args) {
    Map<String, String> env = new LinkedHashMap<>();
    settings.forEach(
        (k, v) -> {
          String variable = StoreSettings.ENVIRONMENT_VARIABLES.get(k);
          assertTrue(variable != null, "no environment variable for " + k);
          env.put(variable, v);
        });
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    return Cli.runWithEnv(env, all.toArray(String[]::new));
  }

  private static Cli.Result ok(Cli.Result r) {
    assertEquals(0, r.exit(), r.toString());
    return r;
  }

  @Test
  void cpOfAnH5pyFileOnTheStoreIntoZarrThereCatsH5pysValues() throws IOException {
    String h5 = root() + "/files/sample.h5";
    String zarr = root() + "/h5.zarr";
    Cli.Result cp =
        ok(
            withOptions(
                "cp",
                h5,
                "grid/temperature",
                zarr,
                "temp",
                "--chunks",
                "3,4,5",
                "--codec",
                "gzip"));
    assertTrue(cp.out().contains("Copied"), cp.toString());
    ok(withEnvironment("cp", h5, "counts", zarr, "counts", "--chunks", "6,6", "--no-progress"));

    float[] temperature = floats(expected("sample.h5", "grid__temperature"));
    Cli.Result cat =
        ok(withEnvironment("cat", zarr, "temp", "--slice", "2:7,1:9:3,4:", "--format", "csv"));
    assertCsv(cat.out(), new long[] {9, 10, 11}, i -> temperature[i], 5 * 3 * 7);
    // Chunks h5py never wrote read as its fill value (-9), through the Zarr copy.
    int[] counts = ints(expected("sample.h5", "counts"));
    cat = ok(withOptions("cat", zarr, "counts", "--format", "csv"));
    assertCsv(cat.out(), new long[] {17, 13}, i -> counts[i], 17 * 13);

    Cli.Result ls = ok(withOptions("ls", zarr));
    String temp = line(ls.out(), "temp ");
    assertTrue(
        temp.contains("[9, 10, 11]") && temp.contains("float32") && temp.contains("[3, 4, 5]"),
        ls.toString());
    assertTrue(temp.contains("gzip"), ls.toString());
    assertTrue(line(ls.out(), "counts ").contains("int32"), ls.toString());
    Cli.Result info = ok(withEnvironment("info", zarr, "counts", "--chunks"));
    assertTrue(info.out().matches("(?s).*shape:\\s+\\[17, 13\\].*"), info.out());
    assertTrue(info.out().matches("(?s).*fill_value:\\s+-9\n.*"), info.out());
    // The chunk objects, listed from the store: h5py wrote rows 0..11 and columns 0..8, which
    // lie in chunk rows 0..1 and columns 0..1 of 6 x 6; the others hold only the fill value.
    assertTrue(info.out().contains("stored chunks: 4 of 9"), info.out());
    assertTrue(info.out().contains("counts/c/1/1"), info.out());
  }

  @Test
  void cpOfANetcdf4FileIntoZarrOnTheStoreKeepsDimensionsAttributesAndValues() throws IOException {
    String zarr = root() + "/nc.zarr";
    ok(withEnvironment("cp", fixtures.resolve("sample.nc").toString(), "tas", zarr, "tas"));
    Cli.Result info = ok(withOptions("info", zarr, "tas"));
    assertTrue(info.out().matches("(?s).*shape:\\s+\\[6, 5, 7\\].*"), info.out());
    assertTrue(info.out().matches("(?s).*dimensions:\\s+time, lat, lon.*"), info.out());
    assertTrue(info.out().contains("units: \"K\""), info.out());
    float[] tas = floats(expected("sample.nc", "tas"));
    Cli.Result cat = ok(withOptions("cat", zarr, "tas", "--slice", "-2:,3,::2", "--format", "csv"));
    assertCsv(cat.out(), new long[] {6, 5, 7}, i -> tas[i], 2 * 4);
  }

  /**
   * Granules on the store indexed into a manifest there, then one appended; the series of one point
   * over all records equals xarray's {@code open_mfdataset}; the manifest rechunks on the store
   * into tiles holding xarray's values.
   */
  @Test
  void indexAppendCatAndRechunkOfGranulesOnTheStoreGiveXarraysValues() throws IOException {
    String manifest = root() + "/tas.manifest";
    Cli.Result r = ok(withOptions("index", manifest, root() + "/granules/granule_000[01].nc"));
    assertTrue(r.out().contains("indexed 2 granules"), r.out());
    r = ok(withEnvironment("index", "--append", manifest, root() + "/granules/granule_0002.nc"));
    assertTrue(r.out().contains("3 granules, 6 records") && r.out().contains("version 2"), r.out());
    assertTrue(line(ok(withOptions("ls", manifest)).out(), "tas ").contains("[6, 4, 5]"));

    float[] tas = floats(Files.readAllBytes(granules.resolve("reference__tas.bin")));
    r = ok(withEnvironment("cat", manifest, "tas", "--slice", ":,2,3", "--format", "csv"));
    assertCsv(r.out(), new long[] {6, 4, 5}, i -> tas[i], 6);

    String tiles = root() + "/tiles.zarr";
    ok(
        withOptions(
            "rechunk", manifest, "tas", tiles, "tas", "--chunks", "6,2,2", "--memory", "64"));
    try (ArrayStore store = ArrayStore.open(tiles, StoreSettings.of(settings()))) {
      Dataset d = store.dataset("tas");
      assertArrayEquals(new int[] {6, 2, 2}, d.chunkShape());
      assertArrayEquals(
          Files.readAllBytes(granules.resolve("reference__tas.bin")), d.read().bytes());
    }
    r = ok(withEnvironment("repair", tiles));
    assertTrue(r.out().contains("No interrupted writes found."), r.toString());
  }

  /** ICESat-2-like beams whose record dimension has a length of its own in every group. */
  @Test
  void indexOfRecordGroupGranulesOnTheStoreCatsXarraysValues() throws IOException {
    String manifest = root() + "/beams.manifest";
    Cli.Result r =
        ok(withEnvironment("index", manifest, root() + "/beams/", "--record-dim", "delta_time"));
    assertTrue(
        r.out().contains("12 records along delta_time (groups' own delta_time: gt1l 16, gt2r 14)"),
        r.out());
    float[] signal = floats(Files.readAllBytes(beams.resolve("reference__gt1l__signal.bin")));
    r = ok(withOptions("cat", manifest, "gt1l/signal", "--slice", ":,1", "--format", "csv"));
    assertCsv(r.out(), new long[] {16, 3}, i -> signal[i], 16);
  }

  /** A secret no server accepts; it must never be printed. */
  static final String WRONG_SECRET = "V3JvbmdTZWNyZXQtbmV2ZXItcHJpbnQtbWUtMTIzNDU2Nzg5MA==";

  /** The settings with {@link #WRONG_SECRET} as the secret; null when the store has none. */
  protected Map<String, String> wrongSecret() {
    return null;
  }

  /** The settings with the endpoint at a closed port of 127.0.0.1; null when there is none. */
  protected Map<String, String> closedPort(int port) {
    return null;
  }

  @Test
  void aWrongSecretExitsOneQuicklyNamingTheStoreAndTheFixAndNeverPrintsTheSecret() {
    Map<String, String> bad = wrongSecret();
    assumeTrue(bad != null, "the store takes no secret");
    String sample = fixtures.resolve("sample.nc").toString();
    List<String[]> commands =
        List.of(
            new String[] {"ls", root()},
            new String[] {"info", root() + "/files/sample.h5", "counts"},
            new String[] {"cat", root() + "/files/sample.h5", "counts"},
            new String[] {"cp", sample, "tas", root() + "/refused.zarr"},
            new String[] {"index", root() + "/refused.manifest", root() + "/granules/"},
            new String[] {"repair", root() + "/refused.zarr"});
    String option = bad.containsKey("secret_key") ? "secret_key" : "connection_string";
    for (String[] c : commands) {
      assertRefused(bad, false, WRONG_SECRET, "credentials", option, c);
      assertRefused(bad, true, WRONG_SECRET, "credentials", option, c);
    }
    // The stack trace --verbose prints does not hold it either.
    Cli.Result r = withOptions(bad, "cat", "--verbose", root() + "/files/sample.h5", "counts");
    assertEquals(ArrayMorphCli.EXIT_ERROR, r.exit(), r.toString());
    assertTrue(r.err().contains("\tat "), r.toString());
    assertFalse(r.toString().contains(WRONG_SECRET), r.toString());
  }

  @Test
  void anUnreachableEndpointExitsOneQuicklyNamingItAndNeverPrintsTheSecret() throws IOException {
    int port;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Map<String, String> bad = closedPort(port);
    assumeTrue(bad != null, "the store has no endpoint");
    String secret =
        bad.containsKey("secret_key")
            ? bad.get("secret_key")
            : bad.get("connection_string").replaceAll(".*AccountKey=([^;]+).*", "$1");
    String endpoint = "127.0.0.1:" + port;
    // Each command retries (max_retries, default 3) before it gives up: a few, to stay fast.
    assertRefused(bad, false, secret, endpoint, "endpoint", "ls", root());
    assertRefused(bad, true, secret, endpoint, "endpoint", "ls", root());
    assertRefused(
        bad, false, secret, endpoint, "endpoint", "cat", root() + "/files/sample.h5", "counts");
    assertRefused(
        bad,
        true,
        secret,
        endpoint,
        "endpoint",
        "cp",
        fixtures.resolve("sample.nc").toString(),
        "tas",
        root() + "/refused.zarr");
  }

  /**
   * Runs {@code command} with {@code bad} settings, as options or in the environment, and checks
   * that it fails within a few seconds with exit code 1 and one line on stderr that names the
   * store, the object a file command reads, {@code problem} and the option {@code fix}, and that
   * nothing printed holds {@code secret}.
   */
  private void assertRefused(
      Map<String, String> bad,
      boolean env,
      String secret,
      String problem,
      String fix,
      String... command) {
    String[] args = java.util.Arrays.copyOfRange(command, 1, command.length);
    long start = System.nanoTime();
    Cli.Result r =
        env ? withEnvironment(bad, command[0], args) : withOptions(bad, command[0], args);
    long ms = (System.nanoTime() - start) / 1_000_000;
    String what = String.join(" ", command) + (env ? " (environment)" : " (options)") + "\n" + r;
    assertEquals(ArrayMorphCli.EXIT_ERROR, r.exit(), what);
    assertTrue(ms < 10_000, ms + " ms: " + what);
    assertFalse(r.out().contains(secret) || r.err().contains(secret), what);
    assertEquals(1, r.err().lines().count(), what);
    assertTrue(r.err().startsWith("arraymorph " + command[0] + ": "), what);
    assertTrue(r.err().contains(java.net.URI.create(root()).getHost()), "names the store: " + what);
    assertTrue(r.err().contains(problem) && r.err().contains(fix), what);
    if (command[1].endsWith(".h5")) {
      assertTrue(r.err().contains("files/sample.h5"), "names the object: " + what);
    }
  }

  /** A command that succeeds prints its output only: no library logs on the process's stderr. */
  @Test
  void aCommandOnTheStoreLogsNothingOnTheProcessStderr() {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      ok(withOptions("ls", root()));
      ok(withEnvironment("cat", root() + "/files/sample.h5", "counts", "--slice", "0"));
    } finally {
      System.setErr(original);
    }
    assertEquals("", captured.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Checks {@code cat --format csv} output: a header, then one line per selected element, its
   * indices then its value, equal to {@code expected} at its row-major index in {@code shape}.
   */
  static void assertCsv(
      String csv, long[] shape, java.util.function.IntToDoubleFunction expected, int count) {
    List<String> lines = csv.lines().toList();
    assertEquals(count + 1, lines.size(), csv);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertEquals(shape.length + 1, f.length, line);
      int index = 0;
      for (int d = 0; d < shape.length; d++) {
        index = Math.toIntExact(index * shape[d] + Long.parseLong(f[d]));
      }
      // The fixtures hold float32 values and small integers: each is exact as a float.
      assertEquals((float) expected.applyAsDouble(index), Float.parseFloat(f[shape.length]), line);
    }
  }

  private byte[] expected(String file, String dataset) throws IOException {
    return Files.readAllBytes(fixtures.resolve("expected").resolve(file).resolve(dataset + ".bin"));
  }

  static float[] floats(byte[] le) {
    var b = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  private static int[] ints(byte[] le) {
    var b = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    int[] out = new int[b.remaining()];
    b.get(out);
    return out;
  }

  /** The line of {@code out} starting with {@code prefix}. */
  private static String line(String out, String prefix) {
    return out.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line starting '" + prefix + "' in\n" + out));
  }
}
