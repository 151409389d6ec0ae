package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SparkDataTypesTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Writes 7x5 values of an SQL expression (of i, j) as a dtype and reads them back. */
  @ParameterizedTest(name = "{0} from {1} reads as {2}")
  @CsvSource({
    "bool, (i + j) % 2 = 0, boolean",
    "int8, CAST(i * 5 + j - 10 AS TINYINT), tinyint",
    "int16, CAST(i * 1000 - j AS SMALLINT), smallint",
    "int32, CAST(i * 100000 + j AS INT), int",
    "int64, i * 10000000000 + j, bigint",
    "uint8, CAST(i * 30 + j AS INT), smallint",
    "uint16, CAST(i * 9000 + j AS INT), int",
    "uint32, i * 600000000 + j, bigint",
    "uint64, 'CAST(CAST(i AS DECIMAL(20,0)) * 3000000000000000000 + j AS DECIMAL(20,0))', 'decimal(20,0)'",
    "float16, CAST(i + j / 4.0 AS FLOAT), float",
    "float32, CAST(i + j / 3.0 AS FLOAT), float",
    "float64, CAST(i + j / 7.0 AS DOUBLE), double"
  })
  void everyDataTypeRoundTrips(String dtype, String expr, String sparkType) {
    String uri = dir.resolve(dtype + ".zarr").toString();
    Dataset<Row> in =
        spark.sql("SELECT i, j, " + expr + " AS v FROM range(7) a(i) CROSS JOIN range(5) b(j)");
    in.write()
        .format("arraymorph")
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "3,2")
        .option("dtype", dtype)
        .save(uri);
    Dataset<Row> back = spark.read().format("arraymorph").option("dataset", "v").load(uri);
    assertEquals(sparkType, back.schema().fields()[2].dataType().simpleString());
    List<Row> expected =
        spark
            .sql(
                "SELECT i, j, CAST("
                    + expr
                    + " AS "
                    + sparkType
                    + ") AS v FROM range(7) a(i) CROSS JOIN range(5) b(j) ORDER BY i, j")
            .collectAsList();
    List<Row> actual = back.orderBy("i", "j").collectAsList();
    assertEquals(35, actual.size());
    for (int r = 0; r < 35; r++) {
      Object e = expected.get(r).get(2);
      Object a = actual.get(r).get(2);
      if (dtype.equals("float16")) {
        assertEquals(((Float) e), (Float) a, 0.01f, "row " + r);
      } else if (e instanceof BigDecimal be) {
        assertEquals(0, be.compareTo((BigDecimal) a), "row " + r);
      } else {
        assertEquals(e, a, "row " + r);
      }
    }
  }

  @ParameterizedTest(name = "rank {0}")
  @CsvSource({"1, 23, 5", "2, 11, 4", "3, 7, 3", "4, 5, 2"})
  void arraysOfRankOneToFourWithEdgeChunksRoundTrip(int rank, int extent, int chunk) {
    String uri = dir.resolve("r" + rank + ".zarr").toString();
    StringBuilder from = new StringBuilder();
    StringBuilder value = new StringBuilder("CAST(0");
    StringBuilder dims = new StringBuilder();
    StringBuilder chunks = new StringBuilder();
    for (int d = 0; d < rank; d++) {
      from.append(d == 0 ? " FROM " : " CROSS JOIN ")
          .append("range(" + extent + ") t" + d + "(d" + d + ")");
      value.append(" * ").append(extent).append(" + d").append(d);
      dims.append(d == 0 ? "" : ",").append("d").append(d);
      chunks.append(d == 0 ? "" : ",").append(chunk);
    }
    value.append(" AS INT)");
    Dataset<Row> in = spark.sql("SELECT " + dims + ", " + value + " AS v" + from);
    in.write()
        .format("arraymorph")
        .option("dataset", "v")
        .option("dims", dims.toString())
        .option("chunks", chunks.toString())
        .save(uri);
    Dataset<Row> back = spark.read().format("arraymorph").option("dataset", "v").load(uri);
    assertEquals(rank + 1, back.schema().size());
    long total = 1;
    for (int d = 0; d < rank; d++) {
      total *= extent;
    }
    assertEquals(total, back.count());
    assertEquals(0, back.exceptAll(in).count());
    assertEquals(0, in.exceptAll(back).count());
  }

  @Test
  void shuffledInputIsClusteredByChunkBeforeWriting() {
    String uri = dir.resolve("shuffled.zarr").toString();
    Dataset<Row> in =
        spark
            .sql(
                "SELECT i, j, CAST(i * 100 + j AS INT) AS v FROM range(40) a(i) CROSS JOIN range(40) b(j)")
            .repartition(7)
            .orderBy(org.apache.spark.sql.functions.rand(3));
    in.write()
        .format("arraymorph")
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "7,9")
        .save(uri);
    Dataset<Row> back = spark.read().format("arraymorph").option("dataset", "v").load(uri);
    assertEquals(1600, back.count());
    assertEquals(0, back.exceptAll(in).count());
  }
}
