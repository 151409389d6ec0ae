package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Filters on a CF time coordinate's timestamps fetch only the chunks, and in a many-files read only
 * the files, that hold matching times; every query's rows equal the same query evaluated by Spark
 * alone over an unfiltered read, and netCDF4-python's values. Fixtures from {@code
 * scripts/make_coordinate_fixtures.py}; a subclass gives the store (local, S3Proxy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkCoordinatePushdownContract {

  private SparkSession spark;
  private Path dir;

  /** The directory the fixtures are read from (uploaded there first when not local). */
  protected abstract String root();

  /** Reader options that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  /** Copies the fixture files to {@link #root()} (nothing for the local store). */
  protected void upload(Path fixtures) throws Exception {
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()));
        Stream<Path> files = Files.walk(fixtures)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = fixtures.relativize(f).toString().replace('\\', '/');
        Futures.join(store.put(key, Files.readAllBytes(f)));
      }
    }
  }

  @BeforeAll
  void start() throws Exception {
    dir = SparkFixtureFiles.coordinates();
    upload(dir);
    spark = SparkTestSupport.session();
    spark.conf().set("spark.sql.session.timeZone", "UTC");
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private static long micros(String isoDate) {
    Instant i = Instant.parse(isoDate.length() == 10 ? isoDate + "T00:00:00Z" : isoDate);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  private Dataset<Row> read(String location) {
    return read(location, false);
  }

  /** A read of {@code tas}; with {@code values}, lat/lon columns hold coordinate values. */
  private Dataset<Row> read(String location, boolean values) {
    return spark
        .read()
        .format("arraymorph")
        .options(options())
        .option("dataset", "tas")
        .option("coordinate_values", values)
        .load(location);
  }

  /** The columns {@link #lines} reads. */
  private static Dataset<Row> columns(Dataset<Row> df) {
    return df.selectExpr("unix_micros(time)", "lat", "lon", "tas");
  }

  /** The rows of {@link #columns} as sorted "micros lat lon tas" lines. */
  private static List<String> lines(Dataset<Row> selected) {
    List<String> out = new ArrayList<>();
    for (Row r : selected.collectAsList()) {
      out.add(r.getLong(0) + " " + r.get(1) + " " + r.get(2) + " " + r.getFloat(3));
    }
    out.sort(null);
    return out;
  }

  /** netCDF4-python's elements whose time passes {@code keep}, as {@link #lines}. */
  private static List<String> expected(Path json, LongPredicate keep) {
    return expected(json, (t, lat, lon) -> keep.test(t), false);
  }

  /** A condition on an element's time, latitude and longitude. */
  interface Cell {
    boolean test(long time, double lat, double lon);
  }

  /**
   * netCDF4-python's elements that pass {@code keep}, as {@link #lines} of a read with lat/lon as
   * values ({@code values}) or indices.
   */
  private static List<String> expected(Path json, Cell keep, boolean values) {
    JsonNode j = SparkFixtureFiles.json(json);
    int nt = j.get("time").size();
    int ny = j.get("lat").size();
    int nx = j.get("lon").size();
    List<String> out = new ArrayList<>();
    for (int t = 0; t < nt; t++) {
      long time = j.get("time").get(t).asLong();
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          double lat = j.get("lat").get(y).asDouble();
          double lon = j.get("lon").get(x).asDouble();
          if (!keep.test(time, lat, lon)) {
            continue;
          }
          float v = (float) j.get("tas").get((t * ny + y) * nx + x).asDouble();
          String la = values ? String.valueOf(lat) : String.valueOf(y);
          String lo = values ? String.valueOf(lon) : String.valueOf(x);
          out.add(time + " " + la + " " + lo + " " + v);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /**
   * Runs {@code where} pushed down and by Spark alone (over a checkpointed unfiltered read, which
   * no predicate reaches); both equal netCDF4-python's; returns the chunks the pushed read fetched.
   */
  private long check(String location, Path json, String where, LongPredicate keep) {
    Dataset<Row> pushed = columns(read(location).where(where));
    List<String> got = lines(pushed);
    long chunks = SparkTestSupport.metric(pushed, SparkReadMetrics.CHUNKS_FETCHED);
    List<String> unpushed = lines(columns(read(location).localCheckpoint().where(where)));
    assertEquals(unpushed, got, where + " pushed down vs evaluated by Spark");
    assertEquals(expected(json, keep), got, where + " vs netCDF4-python");
    return chunks;
  }

  /** As {@link #check} with lat/lon read as coordinate values. */
  private long checkValues(String location, Path json, String where, Cell keep) {
    Dataset<Row> pushed = columns(read(location, true).where(where));
    List<String> got = lines(pushed);
    long chunks = SparkTestSupport.metric(pushed, SparkReadMetrics.CHUNKS_FETCHED);
    List<String> unpushed = lines(columns(read(location, true).localCheckpoint().where(where)));
    assertEquals(unpushed, got, where + " pushed down vs evaluated by Spark");
    assertEquals(expected(json, keep, true), got, where + " vs netCDF4-python");
    return chunks;
  }

  @Test
  void timeBetweenAndLatitudeEqualsFetchesOnlyTheChunksHoldingThem() {
    String one = root() + "/one.nc";
    Path json = dir.resolve("one.json");
    assertEquals(
        "time timestamp, lat double, lon double, tas float",
        SparkReadWriteTest.ddl(read(one, true)));
    // lat (60.5 .. 5.5 descending) = 45.5 is index 3: the first of 3 latitude chunks.
    assertEquals(
        31 * 2,
        checkValues(
            one,
            json,
            "time between '2021-03-01' and '2021-03-31' and lat = 45.5",
            (t, lat, lon) -> t >= MAR1 && t <= MAR31 && lat == 45.5));
  }

  @Test
  void latitudeAndLongitudeRangesInListsAndAbsentValues() {
    String one = root() + "/one.nc";
    Path json = dir.resolve("one.json");
    // lat > 40: 60.5 .. 40.5, indices 0-4, latitude chunks 0 and 1.
    assertEquals(60 * 2 * 2, checkValues(one, json, "lat > 40", (t, lat, lon) -> lat > 40));
    assertEquals(60 * 2 * 2, checkValues(one, json, "lat >= 40.5", (t, lat, lon) -> lat >= 40.5));
    // 20.5, 15.5, 10.5: indices 8-10, latitude chunk 2.
    assertEquals(
        60 * 2,
        checkValues(
            one, json, "lat between 10 and 20.5", (t, lat, lon) -> lat >= 10 && lat <= 20.5));
    assertEquals(
        60 * 2 * 2,
        checkValues(
            one,
            json,
            "lat in (45.5, 5.5, 7)",
            (t, lat, lon) -> lat == 45.5 || lat == 5.5 || lat == 7));
    assertEquals(0, checkValues(one, json, "lat = 45.4", (t, lat, lon) -> lat == 45.4));
    assertEquals(
        60 * 3, checkValues(one, json, "lon < -20", (t, lat, lon) -> lon < -20)); // lon chunk 0
    assertEquals(
        1,
        checkValues(
            one,
            json,
            "time = '2021-02-01' and lat <= 5.5 and lon = 49.75",
            (t, lat, lon) -> t == micros("2021-02-01") && lat <= 5.5 && lon == 49.75));
  }

  @Test
  void coordinatesWithNaNAreReadButNotPushedAndMissingValuesKeepIndices() {
    String file = root() + "/gaps.nc";
    Path json = dir.resolve("gaps.json");
    Dataset<Row> df = read(file, true);
    // lat holds a stored NaN: values, no pushdown; lon has a missing value: index column.
    assertEquals("time timestamp, lat double, lon long, tas float", SparkReadWriteTest.ddl(df));
    Dataset<Row> pushed = columns(read(file, true).where("lat = 45.5"));
    List<String> got = lines(pushed);
    assertEquals(60 * 6, SparkTestSupport.metric(pushed, SparkReadMetrics.CHUNKS_FETCHED));
    List<String> want = new ArrayList<>();
    for (String l : expected(json, (t, lat, lon) -> lat == 45.5, true)) {
      String[] p = l.split(" ", -1); // lon as its index
      want.add(p[0] + " " + p[1] + " " + lonIndex(json, Double.parseDouble(p[2])) + " " + p[3]);
    }
    want.sort(null);
    assertEquals(60 * 10, want.size());
    assertEquals(want, got);
  }

  private static int lonIndex(Path json, double lon) {
    JsonNode j = SparkFixtureFiles.json(json).get("lon");
    for (int x = 0; x < j.size(); x++) {
      if (j.get(x).asDouble() == lon) {
        return x;
      }
    }
    throw new AssertionError(lon);
  }

  @Test
  void aManyFilesReadPrunesGranulesByTimeAndChunksByLatitude() {
    Dataset<Row> df =
        columns(
            read(root() + "/collection/", true)
                .where("time between '2021-03-01' and '2021-03-31' and lat = 45.5"));
    List<String> got = lines(df);
    List<String> want = new ArrayList<>();
    for (int k = 0; k < 12; k++) {
      want.addAll(
          expected(
              dir.resolve("collection").resolve(String.format("g_%02d.json", k)),
              (t, lat, lon) -> t >= MAR1 && t <= MAR31 && lat == 45.5,
              true));
    }
    want.sort(null);
    assertEquals(31 * 10, want.size());
    assertEquals(want, got);
    assertEquals(31, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  @Test
  void zarrLatitudeValuesPruneToo() {
    assertEquals(
        31 * 2,
        checkValues(
            root() + "/zarr",
            dir.resolve("zarr-values.json"),
            "time between '2021-03-01' and '2021-03-31' and lat = 45.5",
            (t, lat, lon) -> t >= MAR1 && t <= MAR31 && lat == 45.5));
  }

  private static final long MAR1 = micros("2021-03-01");
  private static final long MAR31 = micros("2021-03-31");

  @Test
  void timeBetweenFetchesOnlyTheChunksOfThatMonth() {
    long chunks =
        check(
            root() + "/one.nc",
            dir.resolve("one.json"),
            "time between '2021-03-01' and '2021-03-31'",
            t -> t >= MAR1 && t <= MAR31);
    assertEquals(31 * 3 * 2, chunks); // 31 days of 3 x 2 chunks (chunks 1 x 4 x 5 of 12 x 10)
  }

  @Test
  void comparisonsEqualityAndInListsSelectTheMatchingTimeSteps() {
    String one = root() + "/one.nc";
    Path json = dir.resolve("one.json");
    assertEquals(6L * 5, check(one, json, "time > '2021-03-27'", t -> t > micros("2021-03-27")));
    assertEquals(6L * 3, check(one, json, "time < '2021-02-04'", t -> t < micros("2021-02-04")));
    assertEquals(6L * 4, check(one, json, "time <= '2021-02-04'", t -> t <= micros("2021-02-04")));
    assertEquals(6L, check(one, json, "time = '2021-03-15'", t -> t == micros("2021-03-15")));
    assertEquals(
        6L * 2,
        check(
            one,
            json,
            "time in ('2021-02-10', '2021-03-20', '2021-03-20 12:00:00')",
            t -> t == micros("2021-02-10") || t == micros("2021-03-20")));
    // A time between two steps selects nothing and fetches nothing.
    assertEquals(0L, check(one, json, "time = '2021-03-15 06:00:00'", t -> false));
    // Bounds past both ends and an OR of two ranges.
    assertEquals(360L, check(one, json, "time >= '1999-01-01'", t -> true));
    assertEquals(0L, check(one, json, "time > '2030-01-01'", t -> false));
    assertEquals(
        6L * 2,
        check(
            one,
            json,
            "time < '2021-02-02' or time >= '2021-04-01'",
            t -> t < micros("2021-02-02") || t >= micros("2021-04-01")));
  }

  @Test
  void aFilterOnTimeAndIndicesCutsBoth() {
    String where = "time between '2021-03-01' and '2021-03-31' and lat = 5";
    Dataset<Row> df = columns(read(root() + "/one.nc").where(where));
    List<String> got = lines(df);
    List<String> want =
        expected(dir.resolve("one.json"), t -> t >= MAR1 && t <= MAR31).stream()
            .filter(l -> l.split(" ", -1)[1].equals("5"))
            .toList();
    assertEquals(31 * 10, want.size());
    assertEquals(want, got);
    assertEquals(lines(columns(read(root() + "/one.nc").localCheckpoint().where(where))), got);
    assertEquals(31 * 2, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  @Test
  void julianCalendarTimesPruneAsTheInstantsTheyAre() {
    // Julian "days since 2021-01-01" is 13 days later in the proleptic Gregorian calendar.
    long chunks =
        check(
            root() + "/julian.nc",
            dir.resolve("julian.json"),
            "time between '2021-03-01' and '2021-03-31'",
            t -> t >= MAR1 && t <= MAR31);
    assertEquals(31 * 6, chunks);
  }

  @Test
  void nonMonotonicTimesAreNotPushedButStillFiltered() {
    long chunks =
        check(
            root() + "/shuffled.nc",
            dir.resolve("shuffled.json"),
            "time between '2021-03-01' and '2021-03-31'",
            t -> t >= MAR1 && t <= MAR31);
    assertEquals(60 * 6, chunks); // every chunk: no index can be derived
  }

  @Test
  void zarrArraysWithCfCoordinateVariablesPruneToo() {
    long chunks =
        check(
            root() + "/zarr",
            dir.resolve("zarr-values.json"),
            "time between '2021-03-01' and '2021-03-31'",
            t -> t >= MAR1 && t <= MAR31);
    assertEquals(31 * 6, chunks);
  }

  @Test
  void aManyFilesReadOpensOnlyTheGranulesWhoseTimesMatch() {
    // 12 granules of 8 days from 2021-01-01: March (days 59..89) lies in granules 7 to 11.
    Dataset<Row> filtered =
        read(root() + "/collection/").where("time between '2021-03-01' and '2021-03-31'");
    Dataset<Row> df = columns(filtered);
    List<String> got = lines(df);
    List<String> want = marchOfGranules(0, 12);
    assertEquals(31 * 12 * 10, want.size());
    assertEquals(want, got);
    assertEquals(31, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
    String plan = df.queryExecution().executedPlan().toString();
    assertTrue(plan.contains("files=5/12"), plan);
    assertEquals(5, filtered.select("file").distinct().count());
  }

  @Test
  void aGlobReadsOnlyTheFilesItMatchesNamingEachRowsFile() {
    // g_1?.nc: granules 10 and 11 (days 80..95), whose March days are 80..89.
    Dataset<Row> filtered =
        read(root() + "/collection/g_1?.nc").where("time between '2021-03-01' and '2021-03-31'");
    List<String> want = marchOfGranules(10, 12);
    assertEquals(10 * 12 * 10, want.size());
    assertEquals(want, lines(columns(filtered)));
    List<String> files =
        filtered.select("file").distinct().collectAsList().stream()
            .map(r -> r.getString(0))
            .sorted()
            .toList();
    assertEquals(2, files.size(), files.toString());
    assertTrue(files.get(0).endsWith("/collection/g_10.nc"), files.toString());
    assertTrue(files.get(1).endsWith("/collection/g_11.nc"), files.toString());
  }

  /** netCDF4-python's March elements of granules {@code from} (inclusive) to {@code to}, sorted. */
  private List<String> marchOfGranules(int from, int to) {
    List<String> want = new ArrayList<>();
    for (int k = from; k < to; k++) {
      want.addAll(
          expected(
              dir.resolve("collection").resolve(String.format("g_%02d.json", k)),
              t -> t >= MAR1 && t <= MAR31));
    }
    want.sort(null);
    return want;
  }
}
