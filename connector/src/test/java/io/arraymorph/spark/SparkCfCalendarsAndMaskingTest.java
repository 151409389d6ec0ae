package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * CF calendars, {@code _Unsigned} and valid ranges, every row compared with the values
 * netCDF4-python (auto mask and scale) and cftime.num2date give for cf2.nc (written by
 * scripts/make_netcdf_spark_fixtures.py): real-world calendars as timestamps of the same instant,
 * model calendars as the date text cftime prints.
 */
class SparkCfCalendarsAndMaskingTest {
  static SparkSession spark;
  static String file;

  @BeforeAll
  static void start() {
    file = SparkFixtureFiles.netcdf().resolve("cf2.nc").toString();
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static JsonNode expected(String var) {
    return SparkFixtureFiles.json(SparkFixtureFiles.netcdf().resolve("cf2.nc__" + var + ".json"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "time_standard",
        "time_gregorian",
        "time_proleptic_gregorian",
        "time_julian",
        "time_noleap",
        "time_365_day",
        "time_all_leap",
        "time_366_day",
        "time_360_day",
        "time_switch",
        "time_julian_hours",
        "ubyte_packed",
        "ushort",
        "valid_minmax",
        "valid_range_wins",
        "signed_from_unsigned"
      })
  void everyRowEqualsNetcdf4AndCftime(String var) {
    JsonNode exp = expected(var);
    Dataset<Row> df = spark.read().format("arraymorph").option("dataset", var).load(file);
    String type = exp.get("type").asText();
    assertEquals(type, df.schema().fields()[1].dataType().simpleString(), var + " type");
    if (type.equals("timestamp")) {
      // Spark's java.sql.Timestamp rebases pre-1582 instants to the hybrid calendar: compare the
      // stored instant itself
      df = df.selectExpr("n", "unix_micros(" + var + ") AS " + var);
    }
    List<Row> rows = df.orderBy(df.columns()[0]).collectAsList();
    assertEquals(exp.get("values").size(), rows.size());
    for (Row r : rows) {
      JsonNode want = exp.get("values").get((int) r.getLong(0));
      String where = var + " " + r;
      if (want.isNull()) {
        assertTrue(r.isNullAt(1), where);
        continue;
      }
      assertTrue(!r.isNullAt(1), where);
      switch (type) {
        case "string" -> assertEquals(want.asText(), r.getString(1), where);
        case "float" -> assertEquals((float) want.asDouble(), r.getFloat(1), where);
        case "double" -> assertEquals(want.asDouble(), r.getDouble(1), where);
        default -> assertEquals(want.asLong(), ((Number) r.get(1)).longValue(), where);
      }
    }
  }

  @Test
  void modelCalendarDatesFilterAsText() {
    Dataset<Row> df =
        spark.read().format("arraymorph").option("dataset", "time_360_day").load(file);
    // 360_day's February 30 exists and sorts between the 29th and March
    assertEquals(
        1, df.where("time_360_day > '2000-02-29 23' AND time_360_day < '2000-03-01 01'").count());
  }

  @Test
  void unknownCalendarFailsNamingItAndTheWayOut() {
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .read()
                    .format("arraymorph")
                    .option("dataset", "bad_calendar")
                    .load(file)
                    .collectAsList());
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains("'martian'") && message.contains("decode_cf=false"), message);
    Dataset<Row> raw =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "bad_calendar")
            .option("decode_cf", "false")
            .load(file);
    assertEquals("n long, bad_calendar double", SparkReadWriteTest.ddl(raw));
    assertEquals(8, raw.count());
  }
}
