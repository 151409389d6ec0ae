package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSaveModesTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session();
    spark
        .udf()
        .register(
            "fail_on_row",
            (UDF1<Long, Long>)
                i -> {
                  if (i == 77) {
                    throw new IllegalStateException("boom on row 77");
                  }
                  return i;
                },
            DataTypes.LongType);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Dataset<Row> values(int n, String valueExpr) {
    return spark.sql(
        "SELECT i, j, CAST("
            + valueExpr
            + " AS INT) AS v FROM range("
            + n
            + ") a(i) CROSS JOIN range("
            + n
            + ") b(j)");
  }

  private void write(Dataset<Row> df, String uri, String mode) {
    df.write()
        .format("arraymorph")
        .mode(mode)
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "4,4")
        .save(uri);
  }

  private Dataset<Row> read(String uri) {
    return spark.read().format("arraymorph").option("dataset", "v").load(uri);
  }

  private static List<String> files(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void errorIfExistsRefusesAnExistingDataset() {
    String uri = dir.resolve("e.zarr").toString();
    write(values(10, "i + j"), uri, "errorifexists");
    Exception e = assertThrows(Exception.class, () -> write(values(10, "0"), uri, "errorifexists"));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals(0, read(uri).where("v != i + j").count());
  }

  @Test
  void severalValueColumnsBecomeSeveralDatasetsAndAreNotOverwrittenByErrorIfExists() {
    String uri = dir.resolve("multi.zarr").toString();
    Dataset<Row> df =
        spark.sql("SELECT id AS dim_0, CAST(id AS INT) AS a, id * 2.5D AS b FROM range(30)");
    df.write().format("arraymorph").option("chunks", "7").save(uri);
    Dataset<Row> back = spark.read().format("arraymorph").option("datasets", "a,b").load(uri);
    assertEquals(0, back.exceptAll(df).count());
    assertEquals(30, back.count());
    Exception e =
        assertThrows(
            Exception.class, () -> df.write().format("arraymorph").option("chunks", "7").save(uri));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
  }

  @Test
  void ignoreLeavesAnExistingDatasetUntouched() {
    String uri = dir.resolve("i.zarr").toString();
    write(values(10, "i + j"), uri, "ignore");
    write(values(10, "0"), uri, "ignore");
    assertEquals(100, read(uri).count());
    assertEquals(0, read(uri).where("v != i + j").count());
  }

  @Test
  void overwriteReplacesTheDatasetIncludingItsShape() throws IOException {
    String uri = dir.resolve("o.zarr").toString();
    write(values(10, "i + j"), uri, "errorifexists");
    write(values(6, "i * j"), uri, "overwrite");
    Dataset<Row> back = read(uri);
    assertEquals(36, back.count());
    assertEquals(0, back.where("v != i * j").count());
    assertTrue(files(dir.resolve("o.zarr")).stream().noneMatch(f -> f.contains("staging")));
    // 6x6 with 4x4 chunks: 4 chunk objects, none left from the 10x10 version.
    assertEquals(
        4, files(dir.resolve("o.zarr/v/c")).size(), files(dir.resolve("o.zarr")).toString());
  }

  @Test
  void appendUpdatesTheRegionWrittenAndKeepsTheRest() {
    String uri = dir.resolve("a.zarr").toString();
    write(values(10, "1"), uri, "errorifexists");
    Dataset<Row> patch =
        spark.sql(
            "SELECT i + 3 AS i, j + 2 AS j, 9 AS v FROM range(3) a(i) CROSS JOIN range(5) b(j)");
    write(patch, uri, "append");
    Dataset<Row> back = read(uri);
    assertEquals(100, back.count());
    assertEquals(15, back.where("v = 9").count());
    assertEquals(15, back.where("i BETWEEN 3 AND 5 AND j BETWEEN 2 AND 6 AND v = 9").count());
    assertEquals(85, back.where("v = 1").count());
  }

  @Test
  void aFailedWriteOfANewDatasetLeavesNothingBehind() throws IOException {
    String uri = dir.resolve("fail.zarr").toString();
    Dataset<Row> failing =
        spark.sql(
            "SELECT fail_on_row(i) AS i, j, CAST(i AS INT) AS v FROM range(100) a(i) CROSS JOIN range(10) b(j)");
    Exception e = assertThrows(Exception.class, () -> write(failing, uri, "errorifexists"));
    assertTrue(
        String.valueOf(e).contains("boom") || String.valueOf(e.getCause()).contains("boom"),
        e.toString());
    assertEquals(List.of(), files(dir.resolve("fail.zarr")));
  }

  @Test
  void aWriteTaskFailingAfterOthersCommittedLeavesNoDatasetAndNoStrayChunks() throws IOException {
    String uri = dir.resolve("midway.zarr").toString();
    // Value 1000 does not fit int8: the writer task owning chunk (19, *) fails, after the tasks of
    // other chunks have written theirs.
    Dataset<Row> in =
        spark.sql(
            "SELECT i, j, CASE WHEN i = 77 THEN 1000 ELSE 1 END AS v"
                + " FROM range(100) a(i) CROSS JOIN range(10) b(j)");
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                in.write()
                    .format("arraymorph")
                    .option("dataset", "v")
                    .option("dims", "i,j")
                    .option("chunks", "4,4")
                    .option("dtype", "int8")
                    .save(uri));
    assertTrue(
        String.valueOf(e).contains("does not fit dtype int8")
            || String.valueOf(e.getCause()).contains("does not fit dtype int8"),
        e.toString());
    assertEquals(List.of(), files(dir.resolve("midway.zarr")));
  }

  @Test
  void aFailedOverwriteKeepsTheOldVersionAndCleansStaging() throws IOException {
    String uri = dir.resolve("keep.zarr").toString();
    write(values(10, "i + j"), uri, "errorifexists");
    List<String> before = files(dir.resolve("keep.zarr"));
    // The writer of one chunk fails (index outside the existing 10x10 shape) after others staged
    // theirs.
    Dataset<Row> failing =
        spark.sql(
            "SELECT i, j, CAST(0 AS INT) AS v FROM range(10) a(i) CROSS JOIN range(10) b(j)"
                + " UNION ALL SELECT 9, 12, 0");
    Exception e =
        assertThrows(
            Exception.class,
            () ->
                failing
                    .write()
                    .format("arraymorph")
                    .mode("overwrite")
                    .option("dataset", "v")
                    .option("dims", "i,j")
                    .option("shape", "10,10")
                    .option("chunks", "4,4")
                    .save(uri));
    assertTrue(
        String.valueOf(e).contains("outside the shape")
            || String.valueOf(e.getCause()).contains("outside the shape"),
        e.toString());
    assertEquals(before, files(dir.resolve("keep.zarr")));
    assertEquals(0, read(uri).where("v != i + j").count());
    assertFalse(files(dir.resolve("keep.zarr")).stream().anyMatch(f -> f.contains("staging")));
  }
}
