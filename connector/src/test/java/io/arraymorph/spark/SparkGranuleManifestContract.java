package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.manifest.ManifestWriter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.RangeGroups;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.PythonFixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Spark job indexes netCDF4-python granules on a store into a granule manifest there; {@code
 * load(manifest)} then reads every value as xarray's {@code open_mfdataset} does, whole and
 * filtered on the record index; an append through the job adds granules; a disagreeing granule is
 * refused. A subclass gives the store (local disk, S3Proxy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkGranuleManifestContract {
  private static final int STEPS = 4;
  private static final int LAT = 6;
  private static final int LON = 8;

  private SparkSession spark;
  private Path dir;
  private float[] reference;
  private float[] latitudes;
  private float[] longitudes;

  /** The directory granules and manifests go to, such as {@code s3://bucket/collection}. */
  protected abstract String root();

  /** Whether the store reads nearby ranges of one object with one request ({@link RangeGroups}). */
  protected boolean readsNearbyRangesTogether() {
    return false;
  }

  /** The Spark reader options (endpoint, credentials) that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  @BeforeAll
  void uploadGranules() throws Exception {
    dir = Files.createTempDirectory("granules");
    PythonFixtures.generateWith(
        "make_cf_granules.py",
        "count=4,chunk_lat=2,steps=" + STEPS + ",lat=" + LAT + ",lon=" + LON,
        dir);
    Path odd = dir.resolve("odd");
    PythonFixtures.generateWith(
        "make_cf_granules.py",
        "first=9,count=1,chunk_lat=2,dtype=f8,reference=0,steps="
            + STEPS
            + ",lat="
            + LAT
            + ",lon="
            + LON,
        odd);
    // Uncompressed granules, and a same-sized replacement of the second one with other values.
    String plainSpec = "chunk_lat=2,zlib=0,steps=" + STEPS + ",lat=" + LAT + ",lon=" + LON;
    PythonFixtures.generateWith(
        "make_cf_granules.py", "count=2," + plainSpec, dir.resolve("plain"));
    PythonFixtures.generateWith(
        "make_cf_granules.py",
        "first=1,count=1,seed=7,reference=0," + plainSpec,
        dir.resolve("plain-replacement"));
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()));
        Stream<Path> files = Files.list(dir)) {
      for (String g : List.of("granule_0000.nc", "granule_0001.nc")) {
        Futures.join(store.put("plain/" + g, Files.readAllBytes(dir.resolve("plain").resolve(g))));
      }
      for (Path f : files.filter(p -> p.toString().endsWith(".nc")).toList()) {
        Futures.join(store.put("granules/" + f.getFileName(), Files.readAllBytes(f)));
      }
      Futures.join(
          store.put("odd/granule_0009.nc", Files.readAllBytes(odd.resolve("granule_0009.nc"))));
      // tas in the nested group model/run1, along the group's own time (root time + 0.5 days).
      Path grouped = dir.resolve("grouped");
      PythonFixtures.generateWith(
          "make_cf_granules.py",
          "count=2,chunk_lat=2,group=model/run1,group_time=1,steps="
              + STEPS
              + ",lat="
              + LAT
              + ",lon="
              + LON,
          grouped);
      for (String g : List.of("granule_0000.nc", "granule_0001.nc")) {
        Futures.join(store.put("grouped/" + g, Files.readAllBytes(grouped.resolve(g))));
      }
      // ICESat-2-like beams: groups gt1l and gt2r with a delta_time of their own length.
      Path beams = dir.resolve("beams");
      PythonFixtures.generateWith("make_beam_granules.py", "count=3", beams);
      for (String g : List.of("beams_0000.nc", "beams_0001.nc", "beams_0002.nc")) {
        Futures.join(store.put("beams/" + g, Files.readAllBytes(beams.resolve(g))));
      }
    }
    byte[] le = Files.readAllBytes(dir.resolve("reference__tas.bin"));
    var b = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    reference = new float[b.remaining()];
    b.get(reference);
    latitudes = floats(dir.resolve("reference__lat.bin"));
    longitudes = floats(dir.resolve("reference__lon.bin"));
    spark = SparkTestSupport.session();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private Dataset<Row> read(String manifest) {
    return reader().load(root() + "/" + manifest);
  }

  private org.apache.spark.sql.DataFrameReader reader() {
    return spark.read().format("arraymorph").options(options()).option("dataset", "tas");
  }

  /** 2021-01-01T00:00Z, the fixture's time origin ("days since 2021-01-01"). */
  private static final long ORIGIN_MS = 1609459200000L;

  /**
   * Compares rows with xarray's values. The {@code time} column holds the CF-decoded timestamps of
   * the manifest's time coordinate; the fixture's time value of record {@code i} is {@code i} days.
   */
  private void assertXarrayValues(List<Row> rows, int expected) {
    assertEquals(expected, rows.size());
    for (Row r : rows) {
      long ms = ((java.sql.Timestamp) r.get(r.fieldIndex("time"))).getTime() - ORIGIN_MS;
      assertEquals(0, ms % 86_400_000L, r.toString());
      long t = ms / 86_400_000L;
      long y = r.getLong(r.fieldIndex("lat"));
      long x = r.getLong(r.fieldIndex("lon"));
      float want = reference[(int) ((t * LAT + y) * LON + x)];
      assertEquals(want, r.getFloat(r.fieldIndex("tas")), 0.0f, r.toString());
    }
  }

  @Test
  void theIndexJobsManifestReadsAsXarrayAndAppends() {
    ManifestWriter.Result r =
        SparkGranuleManifest.index(
            spark,
            List.of(root() + "/granules/granule_000[012].nc"),
            root() + "/tas.manifest",
            ManifestWriter.Options.DEFAULT,
            options());
    assertEquals(3, r.granules());
    Dataset<Row> loadedBefore = read("tas.manifest");
    assertXarrayValues(loadedBefore.collectAsList(), 3 * STEPS * LAT * LON);

    r =
        SparkGranuleManifest.index(
            spark,
            List.of(root() + "/granules/granule_0003.nc"),
            root() + "/tas.manifest",
            ManifestWriter.Options.DEFAULT.withAppend(true),
            options());
    assertEquals(4, r.granules());
    assertEquals(2, r.generation());
    // A DataFrame loaded before the append, queried again in this JVM, sees the appended granule.
    assertXarrayValues(loadedBefore.select("*").collectAsList(), 4 * STEPS * LAT * LON);
    Dataset<Row> df = read("tas.manifest");
    assertXarrayValues(df.collectAsList(), 4 * STEPS * LAT * LON);
    // A time filter across two granules gives their values only.
    List<Row> some =
        df.where(
                "time >= timestamp '2021-01-07 00:00:00Z' and time < timestamp '2021-01-14"
                    + " 00:00:00Z'")
            .collectAsList();
    assertXarrayValues(some, 7 * LAT * LON);
    // Raw, the time dimension is the record index: a filter on it is pushed into the manifest.
    List<Row> raw =
        reader()
            .option("decode_cf", "false")
            .load(root() + "/tas.manifest")
            .where("time >= 6 and time < 13")
            .collectAsList();
    assertEquals(7 * LAT * LON, raw.size());
    for (Row row : raw) {
      long t = row.getLong(row.fieldIndex("time"));
      assertTrue(t >= 6 && t < 13, row.toString());
      float want =
          reference[
              (int)
                  ((t * LAT + row.getLong(row.fieldIndex("lat"))) * LON
                      + row.getLong(row.fieldIndex("lon")))];
      assertEquals(want, row.getFloat(row.fieldIndex("tas")), 0.0f, row.toString());
    }
  }

  /**
   * A granule replaced after indexing by a same-sized netCDF4-python file with other values (its
   * chunks uncompressed, so the manifest's offsets would decode them without error) is refused by
   * every read that reads it, naming it: a Spark query, the Java API and the rechunk job; a query
   * of only the untouched granule's records still reads xarray's values.
   */
  @Test
  void aGranuleReplacedBySameSizedBytesIsRefusedByEveryReadNamingIt() throws Exception {
    Path plain = dir.resolve("plain");
    float[] want = floats(plain.resolve("reference__tas.bin"));
    SparkGranuleManifest.index(
        spark,
        List.of(root() + "/plain/granule_000[01].nc"),
        root() + "/plain.manifest",
        ManifestWriter.Options.DEFAULT,
        options());
    List<Row> before = read("plain.manifest").collectAsList();
    assertEquals(2 * STEPS * LAT * LON, before.size());
    for (Row r : before) {
      long ms = ((java.sql.Timestamp) r.get(r.fieldIndex("time"))).getTime() - ORIGIN_MS;
      long t = ms / 86_400_000L;
      float v =
          want[
              (int)
                  ((t * LAT + r.getLong(r.fieldIndex("lat"))) * LON
                      + r.getLong(r.fieldIndex("lon")))];
      assertEquals(v, r.getFloat(r.fieldIndex("tas")), 0.0f, r.toString());
    }

    byte[] other = Files.readAllBytes(dir.resolve("plain-replacement").resolve("granule_0001.nc"));
    assertEquals(Files.size(plain.resolve("granule_0001.nc")), other.length, "same size");
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()))) {
      Futures.join(store.put("plain/granule_0001.nc", other));
    }
    String granule = "plain/granule_0001.nc";
    assertRefused(
        assertThrows(Exception.class, () -> read("plain.manifest").collectAsList()), granule);
    // Only the first granule's records: untouched, read as before.
    List<Row> first =
        reader()
            .option("decode_cf", "false")
            .load(root() + "/plain.manifest")
            .where("time < " + STEPS)
            .collectAsList();
    assertEquals(STEPS * LAT * LON, first.size());
    for (Row r : first) {
      float v =
          want[
              (int)
                  ((r.getLong(r.fieldIndex("time")) * LAT + r.getLong(r.fieldIndex("lat"))) * LON
                      + r.getLong(r.fieldIndex("lon")))];
      assertEquals(v, r.getFloat(r.fieldIndex("tas")), 0.0f, r.toString());
    }
    try (io.arraymorph.api.ArrayStore store =
        io.arraymorph.api.ArrayStore.open(
            root() + "/plain.manifest", StoreSettings.of(options()))) {
      assertRefused(assertThrows(Exception.class, () -> store.dataset("tas").read()), granule);
    }
    Map<String, String> opts = new java.util.HashMap<>(options());
    opts.put("chunks", 2 * STEPS + ",3,3");
    assertRefused(
        assertThrows(
            Exception.class,
            () ->
                io.arraymorph.spark.rechunk.ArrayMorphRechunk.run(
                    spark, root() + "/plain.manifest", "tas", root() + "/plain-tiles.zarr", opts)),
        granule);
  }

  /** The failure holds the granule's replacement error, naming it, "same size" and the fix. */
  private static void assertRefused(Throwable failure, String granule) {
    List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable c = failure; c != null && !chain.contains(c); c = c.getCause()) {
      chain.add(c);
    }
    io.arraymorph.ConcurrentWriteException e =
        chain.stream()
            .filter(io.arraymorph.ConcurrentWriteException.class::isInstance)
            .map(io.arraymorph.ConcurrentWriteException.class::cast)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no replacement error in", failure));
    String m = e.getMessage();
    assertTrue(m.contains(granule) && m.contains("same size"), m);
    assertTrue(m.contains("Index the collection again"), m);
  }

  @Test
  void aGranuleOfAnotherDtypeIsRefusedNamingIt() {
    ArrayMorphException e =
        assertThrows(
            ArrayMorphException.class,
            () ->
                SparkGranuleManifest.index(
                    spark,
                    List.of(root() + "/granules/granule_0000.nc", root() + "/odd/granule_0009.nc"),
                    root() + "/refused.manifest",
                    ManifestWriter.Options.DEFAULT,
                    options()));
    assertTrue(
        e.getMessage().contains("odd/granule_0009.nc") && e.getMessage().contains("dtype"),
        e.getMessage());
  }

  @Test
  void aNestedGroupsVariableIsIndexedFilteredByItsGroupsTimeAndRechunkedAsXarrayReadsIt()
      throws java.io.IOException {
    ManifestWriter.Result r =
        SparkGranuleManifest.index(
            spark,
            List.of(root() + "/grouped/granule_000[0-1].nc"),
            root() + "/grouped.manifest",
            ManifestWriter.Options.DEFAULT,
            options());
    assertEquals(List.of(), r.skipped());
    assertTrue(r.variables().contains("model/run1/tas"), r.variables().toString());
    float[] want = floats(dir.resolve("grouped").resolve("reference__model__run1__tas.bin"));
    // The group's time runs half a day after the root's: days 2.5, 3.5 and 4.5 fall in the
    // filter, 3 records of 3 chunks (1 day, 2 lat, 8 lon) each, of which lat 89 needs one.
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(options())
            .option("dataset", "model/run1/tas")
            .option("coordinate_values", "true")
            .load(root() + "/grouped.manifest")
            .where("time between '2021-01-03' and '2021-01-06' and lat = 89")
            .selectExpr("time", "lat", "lon", "tas");
    List<Row> rows = df.collectAsList();
    assertEquals(3 * LON, rows.size());
    for (Row row : rows) {
      long ms = ((java.sql.Timestamp) row.get(0)).getTime() - ORIGIN_MS;
      assertEquals(43_200_000L, ms % 86_400_000L, row.toString());
      int t = (int) (ms / 86_400_000L);
      assertTrue(t >= 2 && t <= 4, row.toString());
      int x = indexOf(longitudes, row.getDouble(2));
      assertEquals(want[(t * LAT + 5) * LON + x], row.getFloat(3), 0.0f, row.toString());
    }
    assertEquals(
        3,
        SparkTestSupport.metric(df, io.arraymorph.spark.metrics.SparkReadMetrics.CHUNKS_FETCHED));
    String out = root() + "/grouped-rechunked.zarr";
    Map<String, String> opts = new java.util.HashMap<>(options());
    opts.put("chunks", 2 * STEPS + ",3,3");
    io.arraymorph.spark.rechunk.ArrayMorphRechunk.run(
        spark, root() + "/grouped.manifest", "model/run1/tas", out, opts);
    try (io.arraymorph.api.ArrayStore store =
        io.arraymorph.api.ArrayStore.open(out, StoreSettings.of(options()))) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(
          Files.readAllBytes(dir.resolve("grouped").resolve("reference__model__run1__tas.bin")),
          store.dataset("model/run1/tas").read().bytes(),
          "rechunked values vs xarray's open_mfdataset(group=...)");
    }
  }

  /** 2018-01-01T00:00Z, the beam fixture's time origin ("seconds since 2018-01-01"). */
  private static final long BEAM_ORIGIN_MS = 1514764800000L;

  /**
   * Beam groups whose delta_time has its own length per granule (gt1l: 2, 8, 6 records; gt2r: 4, 2,
   * 8; the root: 4 each) are indexed by one job and read as xarray's {@code open_mfdataset(group=
   * ...)} reads each group; a filter on delta_time over a beam's variable fetches only the chunks
   * its own records hold, and the root's variables are unaffected.
   */
  @Test
  void beamGroupsWithRecordLengthsOfTheirOwnReadAsXarrayReadsEachGroup() throws Exception {
    ManifestWriter.Result r =
        SparkGranuleManifest.index(
            spark,
            List.of(root() + "/beams/beams_000[0-2].nc"),
            root() + "/beams.manifest",
            ManifestWriter.Options.DEFAULT.withRecordDimension("delta_time"),
            options());
    assertEquals(3, r.granules());
    assertEquals(12, r.records(), "the root's record length");
    Path beams = dir.resolve("beams");
    // gt2r whole: 14 records of 3 bins.
    checkBeam("gt2r", "true", beams, 14 * 3, 7);
    // gt1l's delta_time 105..120 s: records 3..6 of granule 1, in 3 chunks of 2 records.
    checkBeam(
        "gt1l",
        "delta_time between timestamp '2018-01-01 00:01:45Z' and timestamp '2018-01-01"
            + " 00:02:00Z'",
        beams,
        4 * 3,
        3);
    // The root's delta_time 10..30 s: records 1..3 of granule 0, 2 chunks of its rate.
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(options())
            .option("dataset", "rate")
            .load(root() + "/beams.manifest")
            .where(
                "delta_time between timestamp '2018-01-01 00:00:10Z' and timestamp"
                    + " '2018-01-01 00:00:30Z'");
    List<Row> rows = df.collectAsList();
    float[] rate = floats(beams.resolve("reference__rate.bin"));
    assertEquals(3 * 3, rows.size());
    for (Row row : rows) {
      int t = record(row, beams, "");
      assertTrue(t >= 1 && t <= 3, row.toString());
      int bin = (int) row.getLong(row.fieldIndex("bin"));
      assertEquals(rate[t * 3 + bin], row.getFloat(row.fieldIndex("rate")), 0.0f, row.toString());
    }
    assertEquals(
        2,
        SparkTestSupport.metric(df, io.arraymorph.spark.metrics.SparkReadMetrics.CHUNKS_FETCHED));
  }

  /** Checks {@code group/signal} rows where {@code where} against xarray's values of the group. */
  private void checkBeam(String group, String where, Path beams, int expected, long chunks)
      throws java.io.IOException {
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(options())
            .option("dataset", group + "/signal")
            .load(root() + "/beams.manifest")
            .where(where);
    List<Row> rows = df.collectAsList();
    float[] want = floats(beams.resolve("reference__" + group + "__signal.bin"));
    assertEquals(expected, rows.size(), where);
    java.util.Set<Integer> records = new java.util.HashSet<>();
    for (Row row : rows) {
      int t = record(row, beams, group + "__");
      records.add(t);
      int bin = (int) row.getLong(row.fieldIndex("bin"));
      assertEquals(want[t * 3 + bin], row.getFloat(row.fieldIndex("signal")), 0.0f, row.toString());
    }
    assertEquals(expected / 3, records.size(), "each record once, 3 bins each");
    assertEquals(
        chunks,
        SparkTestSupport.metric(df, io.arraymorph.spark.metrics.SparkReadMetrics.CHUNKS_FETCHED),
        where);
  }

  /** The record index of a row's decoded delta_time in xarray's delta_time of the group. */
  private static int record(Row row, Path beams, String prefix) throws java.io.IOException {
    long ms =
        ((java.sql.Timestamp) row.get(row.fieldIndex("delta_time"))).getTime() - BEAM_ORIGIN_MS;
    var b =
        ByteBuffer.wrap(
                Files.readAllBytes(beams.resolve("reference__" + prefix + "delta_time.bin")))
            .order(ByteOrder.LITTLE_ENDIAN)
            .asDoubleBuffer();
    for (int i = 0; i < b.limit(); i++) {
      if (Math.round(b.get(i) * 1000) == ms) {
        return i;
      }
    }
    throw new AssertionError("no delta_time of " + ms + " ms in " + prefix + ": " + row);
  }

  private static float[] floats(Path file) throws java.io.IOException {
    var b =
        ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  private static int indexOf(float[] values, double v) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == v) {
        return i;
      }
    }
    throw new AssertionError("no coordinate " + v);
  }

  /**
   * Checks {@code where} over the manifest read with lat/lon as coordinate values against xarray's
   * values of the elements {@code keep} selects (record index, lat index, lon index); returns the
   * chunks the read fetched.
   */
  private long checkCoordinates(String where, Cell keep) {
    Dataset<Row> df =
        reader()
            .option("coordinate_values", "true")
            .load(root() + "/pushdown.manifest")
            .where(where)
            .selectExpr("time", "lat", "lon", "tas");
    List<Row> rows = df.collectAsList();
    long chunks =
        SparkTestSupport.metric(df, io.arraymorph.spark.metrics.SparkReadMetrics.CHUNKS_FETCHED);
    int want = 0;
    for (int t = 0; t < 4 * STEPS; t++) {
      for (int y = 0; y < LAT; y++) {
        for (int x = 0; x < LON; x++) {
          want += keep.test(t, y, x) ? 1 : 0;
        }
      }
    }
    assertEquals(want, rows.size(), where);
    for (Row r : rows) {
      long ms = ((java.sql.Timestamp) r.get(0)).getTime() - ORIGIN_MS;
      int t = (int) (ms / 86_400_000L);
      int y = indexOf(latitudes, r.getDouble(1));
      int x = indexOf(longitudes, r.getDouble(2));
      assertTrue(keep.test(t, y, x), where + ": " + r);
      assertEquals(reference[(t * LAT + y) * LON + x], r.getFloat(3), 0.0f, r.toString());
    }
    return chunks;
  }

  /** A condition on an element's record, latitude and longitude indices. */
  interface Cell {
    boolean test(int t, int y, int x);
  }

  @Test
  void timeAndLatLonFiltersOnAManifestFetchOnlyTheChunksHoldingThem() {
    SparkGranuleManifest.index(
        spark,
        List.of(root() + "/granules/granule_000[0-3].nc"),
        root() + "/pushdown.manifest",
        ManifestWriter.Options.DEFAULT,
        options());
    // 16 daily records in chunks of (1 day, 2 lat, 8 lon): 3 chunks a day.
    // Days 2..7 (across granules 0 and 1), lat 89 = index 5 (the last latitude chunk).
    assertEquals(
        6,
        checkCoordinates(
            "time between '2021-01-03' and '2021-01-08' and lat = 89",
            (t, y, x) -> t >= 2 && t <= 7 && y == 5));
    assertEquals(
        6,
        checkCoordinates(
            "time between '2021-01-03' and '2021-01-08' and lat = 89 and lon = 358",
            (t, y, x) -> t >= 2 && t <= 7 && y == 5 && x == 7));
    // lat < -50: indices 0 and 1, the first latitude chunk; a single day.
    assertEquals(
        1, checkCoordinates("time = '2021-01-12' and lat < -50", (t, y, x) -> t == 11 && y <= 1));
    // lon = 0 alone: every record, every latitude chunk (one longitude chunk).
    assertEquals(16 * 3, checkCoordinates("lon = 0", (t, y, x) -> x == 0));
    // A value that no coordinate holds fetches nothing.
    assertEquals(0, checkCoordinates("lat = 45.5", (t, y, x) -> false));
    assertEquals(0, checkCoordinates("time > '2021-02-01'", (t, y, x) -> false));
  }

  @Test
  void aPointTimeSeriesOverAManifestMakesOneReadPerChunkLocallyAndOnePerGranuleOnS3() {
    SparkGranuleManifest.index(
        spark,
        List.of(root() + "/granules/granule_000[0-3].nc"),
        root() + "/budget.manifest",
        ManifestWriter.Options.DEFAULT,
        options());
    // lat 89 (index 5), lon 0 (index 0): one chunk (1 day, 2 lat, 8 lon) per record.
    Dataset<Row> df =
        reader()
            .option("coordinate_values", "true")
            .load(root() + "/budget.manifest")
            .where("lat = 89 and lon = 0")
            .selectExpr("time", "tas");
    List<Row> rows = df.collectAsList();
    assertEquals(4 * STEPS, rows.size());
    for (Row r : rows) {
      int t = (int) ((((java.sql.Timestamp) r.get(0)).getTime() - ORIGIN_MS) / 86_400_000L);
      assertEquals(reference[(t * LAT + 5) * LON], r.getFloat(1), 0.0f, r.toString());
    }
    long chunks =
        SparkTestSupport.metric(df, io.arraymorph.spark.metrics.SparkReadMetrics.CHUNKS_FETCHED);
    long requests =
        SparkTestSupport.metric(df, io.arraymorph.spark.metrics.SparkReadMetrics.REQUESTS);
    int tasks = 0;
    for (var scan : SparkTestSupport.scans(df.queryExecution().executedPlan())) {
      tasks += scan.inputPartitions().size();
    }
    assertEquals(4 * STEPS, chunks);
    // The local store reads each chunk with its own pread; S3 reads a granule's nearby chunks with
    // one ranged GET (RangeGroups). Per task at most the manifest's chunk reference shard and
    // granule table besides (its one version check: the shard keys carry the manifest generation).
    long reads = readsNearbyRangesTogether() ? 4 : chunks;
    assertTrue(
        requests >= reads && requests <= reads + 2L * tasks,
        requests + " requests for " + chunks + " chunks of 4 granules in " + tasks + " tasks");
  }

  /**
   * The Java API's batched read ({@code Dataset.read}) of a point series over a manifest on the
   * store gives xarray's values, with one ranged read per chunk locally and one GET per granule
   * where the store reads a granule's nearby chunks together (S3, Azure: RangeGroups).
   */
  @Test
  void aPointSeriesThroughTheJavaApiIsXarraysValuesWithOneGetPerGranuleOnS3AndAzure() {
    SparkGranuleManifest.index(
        spark,
        List.of(root() + "/granules/granule_000[0-3].nc"),
        root() + "/java-points.manifest",
        ManifestWriter.Options.DEFAULT,
        options());
    int records = 4 * STEPS;
    try (io.arraymorph.api.ArrayStore store =
        io.arraymorph.api.ArrayStore.open(
            root() + "/java-points.manifest", StoreSettings.of(options()))) {
      io.arraymorph.api.Dataset tas = store.dataset("tas");
      for (int[] p : new int[][] {{5, 0}, {0, LON - 1}, {3, 4}}) {
        long before = store.stats().rangeGets();
        float[] got =
            tas.read(new long[] {0, p[0], p[1]}, new long[] {records, 1, 1}).toFloatArray();
        long gets = store.stats().rangeGets() - before;
        for (int t = 0; t < records; t++) {
          assertEquals(reference[(t * LAT + p[0]) * LON + p[1]], got[t], 0.0f, "t=" + t);
        }
        // lat chunks of 2: each record's point is one chunk; a granule holds STEPS of them.
        assertEquals(
            readsNearbyRangesTogether() ? 4 : records,
            gets,
            "ranged reads of "
                + records
                + " chunks in 4 granules at "
                + java.util.Arrays.toString(p));
      }
    }
  }

  @Test
  void aManifestRechunksToXarraysValues() throws java.io.IOException {
    SparkGranuleManifest.index(
        spark,
        List.of(root() + "/granules/granule_000[0-3].nc"),
        root() + "/source.manifest",
        ManifestWriter.Options.DEFAULT,
        options());
    byte[] want = Files.readAllBytes(dir.resolve("reference__tas.bin"));
    // Long series in small tiles: written by each read task (nests); through a shuffle; and in
    // one stage, each task owning a few tiles and reading every granule chunk they overlap.
    for (String[] c :
        new String[][] {
          {null, "auto", "direct"},
          {"2000", "two_stage", "two stages"},
          {"2000", "one_stage", "one stage"}
        }) {
      String memory = c[0];
      String out = root() + "/rechunked-" + c[1] + ".zarr";
      Map<String, String> opts = new java.util.HashMap<>(options());
      opts.put("chunks", 4 * STEPS + ",3,3");
      opts.put("rechunk_plan", c[1]);
      if (memory != null) {
        opts.put("rechunk_memory", memory);
      }
      io.arraymorph.rechunk.RechunkResult r =
          io.arraymorph.spark.rechunk.ArrayMorphRechunk.run(
              spark, root() + "/source.manifest", "tas", out, opts);
      assertTrue(r.plan().startsWith(c[2]), r.plan());
      assertEquals(!c[1].equals("two_stage"), r.direct(), "whether blocks were shuffled");
      try (io.arraymorph.api.ArrayStore store =
          io.arraymorph.api.ArrayStore.open(out, StoreSettings.of(options()))) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(
            want, store.dataset("tas").read().bytes(), "rechunked values vs xarray");
      }
    }
  }
}
