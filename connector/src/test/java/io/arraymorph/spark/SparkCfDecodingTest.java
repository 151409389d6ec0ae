package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NetCDF CF conventions decoded as xarray does by default, against values computed in Python by
 * scripts/make_netcdf_spark_fixtures.py.
 */
class SparkCfDecodingTest {
  static SparkSession spark;
  static Path dir;
  static String cf;

  @BeforeAll
  static void start() {
    dir = SparkFixtureFiles.netcdf();
    cf = dir.resolve("cf.nc").toString();
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Dataset<Row> read(String dataset) {
    return spark.read().format("arraymorph").option("dataset", dataset).load(cf);
  }

  static JsonNode expected(String var) {
    return SparkFixtureFiles.json(SparkFixtureFiles.netcdf().resolve("cf.nc__" + var + ".json"));
  }

  /** Row-major position of a row's dimension columns (timestamps mapped back to their index). */
  private static long linear(Row r, JsonNode shape, List<Long> timeCoordinate) {
    long i = 0;
    for (int d = 0; d < shape.size(); d++) {
      long v;
      if (r.get(d) instanceof Timestamp t) {
        v = timeCoordinate.indexOf(micros(t));
        assertTrue(v >= 0, "unknown time " + t);
      } else {
        v = r.getLong(d);
      }
      i = i * shape.get(d).asLong() + v;
    }
    return i;
  }

  static long micros(Timestamp t) {
    return Math.floorDiv(t.getTime(), 1000) * 1_000_000L + t.getNanos() / 1000;
  }

  private static List<Long> timeMicros() {
    List<Long> out = new ArrayList<>();
    expected("time").get("values").forEach(v -> out.add(v.asLong()));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"t2m", "precip", "sst", "count", "plain"})
  void valuesDecodeToWhatXarrayGives(String var) {
    JsonNode exp = expected(var);
    Dataset<Row> df = read(var);
    int rank = exp.get("shape").size();
    var field = df.schema().fields()[rank];
    assertEquals(exp.get("type").asText(), field.dataType().simpleString(), var);
    List<Long> times = timeMicros();
    List<Row> rows = df.collectAsList();
    assertEquals(exp.get("values").size(), rows.size());
    int nulls = 0;
    for (Row r : rows) {
      JsonNode want = exp.get("values").get((int) linear(r, exp.get("shape"), times));
      if (want.isNull()) {
        assertTrue(r.isNullAt(rank), var + " " + r);
        nulls++;
      } else if (field.dataType().simpleString().equals("float")) {
        assertEquals((float) want.asDouble(), r.getFloat(rank), var + " " + r);
      } else if (field.dataType().simpleString().equals("double")) {
        assertEquals(want.asDouble(), r.getDouble(rank), var + " " + r);
      } else {
        assertEquals(want.asInt(), r.getInt(rank), var + " " + r);
      }
    }
    assertEquals(nulls > 0, field.nullable(), var + " nullable");
  }

  @Test
  void timeDimensionWithACoordinateVariableIsATimestampColumn() {
    Dataset<Row> df = read("t2m");
    assertEquals("time timestamp, lat long, lon long, t2m float", SparkReadWriteTest.ddl(df));
    List<Long> want = timeMicros();
    List<Row> times = df.select("time").distinct().orderBy("time").collectAsList();
    List<Long> got = new ArrayList<>();
    times.forEach(r -> got.add(micros(r.getTimestamp(0))));
    assertEquals(want, got);
    // 2024-01-01 06:30 UTC is the second time step (hours since 2024-01-01 00:00:00, value 6.5)
    assertEquals(200, df.where("time = timestamp_micros(" + want.get(1) + ")").count());
  }

  @Test
  void decodeCfFalseReadsRawStoredValues() {
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "t2m")
            .option("decode_cf", "false")
            .load(cf);
    assertEquals("time long, lat long, lon long, t2m smallint", SparkReadWriteTest.ddl(df));
    assertEquals(5, df.where("time = 0 AND lat = 0 AND lon < 10 AND t2m = -32767").count());
  }

  @Test
  void timeVariablesReadAsTimestampValues() {
    Dataset<Row> time = read("time");
    assertEquals("time_index long, time timestamp", SparkReadWriteTest.ddl(time));
    List<Long> want = timeMicros();
    for (Row r : time.collectAsList()) {
      assertEquals(want.get((int) r.getLong(0)), micros(r.getTimestamp(1)));
    }
    Dataset<Row> events = read("event_time");
    assertEquals("event long, event_time timestamp", SparkReadWriteTest.ddl(events));
    JsonNode exp = expected("event_time").get("values");
    for (Row r : events.collectAsList()) {
      assertEquals(exp.get((int) r.getLong(0)).asLong(), micros(r.getTimestamp(1)));
    }
  }

  @Test
  void filtersOnIndexDimensionsStillPruneDecodedReads() {
    Dataset<Row> df = read("t2m").where("lat < 5 AND lon >= 10");
    assertEquals(6 * 5 * 10, df.collectAsList().size());
    // t2m chunks (1, 5, 10): one chunk per time step overlaps
    assertEquals(6, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  @Test
  void rowsLayoutDecodesTooWithNullElements() {
    Row first =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "t2m")
            .option("layout", "rows")
            .load(cf)
            .orderBy("time")
            .selectExpr("t2m[0][0]", "t2m[0][5]")
            .first();
    assertTrue(first.isNullAt(0));
    assertEquals((float) expected("t2m").get("values").get(5).asDouble(), first.getFloat(1));
  }
}
