package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * NetCDF shapes real files have (scripts/make_netcdf_spark_fixtures.py, {@code wild_dims.nc}):
 * scalar variables read as one row without dimension columns, and a variable using a dimension
 * twice gets distinct dimension columns ({@code D2}, {@code D3}, {@code D2_2}).
 */
class SparkScalarsAndRepeatedDimensionsTest {
  static SparkSession spark;
  static String file;

  @BeforeAll
  static void start() {
    Path dir = SparkFixtureFiles.netcdf();
    file = dir.resolve("wild_dims.nc").toString();
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> read(String dataset) {
    return spark.read().format("arraymorph").option("dataset", dataset).load(file);
  }

  private static JsonNode expected(String var) {
    return SparkFixtureFiles.json(
        SparkFixtureFiles.netcdf().resolve("wild_dims.nc__" + var + ".json"));
  }

  @Test
  void scalarIntegerReadsAsOneRowWithoutDimensionColumns() {
    Dataset<Row> df = read("crs");
    assertArrayEquals(new String[] {"crs"}, df.columns());
    List<Row> rows = df.collectAsList();
    assertEquals(1, rows.size());
    assertEquals(expected("crs").get("values").get(0).asInt(), rows.get(0).getInt(0));
  }

  @Test
  void scalarDoubleReadsAsOneRow() {
    List<Row> rows = read("scale").collectAsList();
    assertEquals(1, rows.size());
    assertEquals(expected("scale").get("values").get(0).asDouble(), rows.get(0).getDouble(0), 0d);
  }

  @Test
  void repeatedDimensionGetsNumberedColumnAndEveryValueItsCell() {
    Dataset<Row> df = read("b");
    assertArrayEquals(new String[] {"D2", "D3", "D2_2", "b"}, df.columns());
    JsonNode e = expected("b");
    List<Row> rows = df.collectAsList();
    assertEquals(e.get("values").size(), rows.size());
    for (Row r : rows) {
      long i = (r.getLong(0) * 3 + r.getLong(1)) * 2 + r.getLong(2);
      assertEquals(e.get("values").get((int) i).asInt(), r.getShort(3), "b at " + r);
    }
  }

  @Test
  void filterOnTheSecondUseOfARepeatedDimensionSelectsItsCells() {
    List<Row> rows = read("b").where("D2_2 = 1 AND D2 = 0").collectAsList();
    assertEquals(3, rows.size());
    for (Row r : rows) {
      assertTrue(r.getShort(3) % 2 == 1 && r.getShort(3) < 6, "b at " + r);
    }
  }
}
