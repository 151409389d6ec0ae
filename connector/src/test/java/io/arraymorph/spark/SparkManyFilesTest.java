package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.spark.metrics.SparkReadMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A directory of 100 NetCDF4 files (many/2024/MM/f_KK.nc, v float32 (y=10, x=20), chunks 5x10, v =
 * file_number * 1000 + y * 20 + x) read as one DataFrame.
 */
class SparkManyFilesTest {
  static SparkSession spark;
  static Path dir;
  static String many;

  @BeforeAll
  static void start() {
    dir = SparkFixtureFiles.netcdf();
    many = dir.resolve("many").toString();
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static org.apache.spark.sql.DataFrameReader reader() {
    return spark.read().format("arraymorph").option("dataset", "v");
  }

  /** Every file's number in sorted path order, which is how the fixture numbered them. */
  private static Map<String, Integer> fileNumbers(List<Row> rows, int fileColumn) {
    Map<String, Integer> out = new TreeMap<>();
    rows.forEach(r -> out.put(r.getString(fileColumn), 0));
    int n = 0;
    for (Map.Entry<String, Integer> e : out.entrySet()) {
      e.setValue(n++);
    }
    return out;
  }

  private static void assertValues(List<Row> rows) {
    Map<String, Integer> numbers = fileNumbers(rows, 3);
    for (Row r : rows) {
      String file = r.getString(3);
      int base = 1000 * numberOf(file);
      assertEquals((float) (base + r.getLong(0) * 20 + r.getLong(1)), r.getFloat(2), file);
    }
    assertTrue(numbers.size() > 0);
  }

  /** many/2024/MM/f_KK.nc is file number (MM - 1) * 10 + KK. */
  private static int numberOf(String file) {
    String[] parts = file.split("/", -1);
    int month = Integer.parseInt(parts[parts.length - 2]);
    int k = Integer.parseInt(parts[parts.length - 1].substring(2, 4));
    return (month - 1) * 10 + k;
  }

  @Test
  void directoryOfFilesReadsAsOneDataFrameWithAFileColumn() {
    Dataset<Row> df = reader().load(many + "/");
    assertEquals("y long, x long, v float, file string", SparkReadWriteTest.ddl(df));
    List<Row> rows = df.collectAsList();
    assertEquals(100 * 10 * 20, rows.size());
    assertEquals(100, fileNumbers(rows, 3).size());
    assertValues(rows);
    assertTrue(df.rdd().getNumPartitions() >= 1);
    assertEquals(400, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  @Test
  void globSelectsFilesAcrossDirectories() {
    Dataset<Row> df = reader().load(many + "/2024/*/f_0[0-4].nc");
    List<Row> rows = df.collectAsList();
    assertEquals(50 * 200, rows.size());
    assertEquals(50, fileNumbers(rows, 3).size());
    assertValues(rows);
  }

  @Test
  void severalPathsAndThePathsOptionReadTheNamedFiles() {
    String a = many + "/2024/01/f_00.nc";
    String b = many + "/2024/10/f_09.nc";
    List<Row> rows = reader().load(a, b).collectAsList();
    assertEquals(400, rows.size());
    assertEquals(List.of(a, b), new ArrayList<>(fileNumbers(rows, 3).keySet()));
    assertValues(rows);
    List<Row> viaOption = reader().option("paths", a + "," + b).load().collectAsList();
    assertEquals(400, viaOption.size());
  }

  @Test
  void filterOnADimensionPrunesChunksInEveryFile() {
    Dataset<Row> df = reader().load(many).where("y < 5 AND x >= 10");
    List<Row> rows = df.collectAsList();
    assertEquals(100 * 5 * 10, rows.size());
    assertValues(rows);
    assertEquals(100, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED)); // 1 of 4 each
  }

  @Test
  void filesOpenedOnExecutorsGiveTheSameTable() {
    Dataset<Row> df =
        reader().option("executor_open_threshold", "10").load(many).where("y = 9 AND x = 19");
    List<Row> rows = df.collectAsList();
    assertEquals(100, rows.size());
    assertValues(rows);
  }

  @Test
  void filesThatDisagreeOnDtypeOrRankFailClearly() {
    String mismatch = dir.resolve("mismatch").toString();
    IllegalArgumentException dtype =
        assertThrows(
            IllegalArgumentException.class,
            () -> reader().load(mismatch + "/a.nc", mismatch + "/b.nc").collectAsList());
    assertTrue(
        dtype.getMessage().contains("Files disagree on dataset '/v': dtype float32 vs int32"),
        dtype.getMessage());
    assertTrue(dtype.getMessage().contains("b.nc"));
    IllegalArgumentException rank =
        assertThrows(
            IllegalArgumentException.class,
            () -> reader().load(mismatch + "/a.nc", mismatch + "/rank/c.nc").collectAsList());
    assertTrue(rank.getMessage().contains("rank 2 vs 1"), rank.getMessage());
  }

  @Test
  void listChunksCoversEveryFile() {
    Dataset<Row> chunks =
        spark
            .read()
            .format("arraymorph")
            .option("list", "chunks")
            .option("dataset", "v")
            .load(many);
    assertEquals(400, chunks.count());
    assertEquals(100, chunks.select("file").distinct().count());
    assertTrue(chunks.where("offset <= 0 OR size <= 0").isEmpty());
  }
}
