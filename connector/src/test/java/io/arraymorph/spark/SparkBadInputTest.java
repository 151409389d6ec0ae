package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class SparkBadInputTest {
  static SparkSession spark;
  @TempDir static Path dir;
  static String uri;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session();
    uri = dir.resolve("x.zarr").toString();
    spark
        .sql("SELECT i, j, CAST(i + j AS INT) AS v FROM range(10) a(i) CROSS JOIN range(10) b(j)")
        .write()
        .format("arraymorph")
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "5,5")
        .save(uri);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** Asserts the action fails with a message (anywhere in the cause chain) containing each part. */
  static void assertFailsWith(Executable action, String... parts) {
    Throwable t = assertThrows(Throwable.class, action);
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    for (String p : parts) {
      assertTrue(all.toString().contains(p), "expected '" + p + "' in:\n" + all);
    }
  }

  private void write(Dataset<Row> df, String path, String... options) {
    var w = df.write().format("arraymorph");
    for (int k = 0; k < options.length; k += 2) {
      w = w.option(options[k], options[k + 1]);
    }
    w.save(path);
  }

  private String fresh(String name) {
    return dir.resolve(name).toString();
  }

  @Test
  void readingWithoutADatasetOptionNamesTheOption() {
    assertFailsWith(
        () -> spark.read().format("arraymorph").load(uri).collectAsList(),
        "Option 'dataset' is required");
  }

  @Test
  void readingAnUnknownDatasetListsTheAvailableOnes() {
    assertFailsWith(
        () -> spark.read().format("arraymorph").option("dataset", "nope").load(uri).collectAsList(),
        "No dataset 'nope' in ",
        "; datasets there: [v]");
  }

  @Test
  void aNonIntegralDimsColumnIsRejected() {
    Dataset<Row> df =
        spark.sql("SELECT CAST(id AS DOUBLE) AS x, CAST(id AS INT) AS v FROM range(5)");
    assertFailsWith(
        () -> write(df, fresh("d.zarr"), "dataset", "v", "dims", "x"), "'x'", "integral");
  }

  @Test
  void aMissingDimsColumnIsRejected() {
    Dataset<Row> df = spark.sql("SELECT id AS i, CAST(id AS INT) AS v FROM range(5)");
    assertFailsWith(() -> write(df, fresh("m.zarr"), "dataset", "v", "dims", "k"), "'k'", "dims");
  }

  @Test
  void negativeIndicesAreRejected() {
    Dataset<Row> df = spark.sql("SELECT id - 2 AS i, CAST(id AS INT) AS v FROM range(5)");
    assertFailsWith(
        () -> write(df, fresh("n.zarr"), "dataset", "v", "dims", "i", "chunks", "2"),
        "negative",
        "'i'");
  }

  @Test
  void indicesOutsideTheGivenShapeAreRejected() {
    Dataset<Row> df = spark.sql("SELECT id AS i, CAST(id AS INT) AS v FROM range(5)");
    assertFailsWith(
        () -> write(df, fresh("o.zarr"), "dataset", "v", "dims", "i", "shape", "3", "chunks", "2"),
        "outside the shape");
  }

  @Test
  void chunksOfTheWrongRankAreRejected() {
    Dataset<Row> df = spark.sql("SELECT id AS i, CAST(id AS INT) AS v FROM range(5)");
    assertFailsWith(
        () -> write(df, fresh("c.zarr"), "dataset", "v", "dims", "i", "chunks", "2,2"), "'chunks'");
  }

  @Test
  void shapeOfTheWrongRankIsRejected() {
    Dataset<Row> df = spark.sql("SELECT id AS i, CAST(id AS INT) AS v FROM range(5)");
    assertFailsWith(
        () ->
            write(df, fresh("s.zarr"), "dataset", "v", "dims", "i", "shape", "5,5", "chunks", "2"),
        "'shape'");
  }

  @Test
  void unsupportedColumnTypesAreRejected() {
    Dataset<Row> df = spark.sql("SELECT id AS i, CAST(id AS STRING) AS name FROM range(5)");
    assertFailsWith(
        () -> write(df, fresh("u.zarr"), "dataset", "name", "dims", "i"), "'name'", "string");
  }

  @Test
  void duplicateCoordinatesAreAnError() {
    Dataset<Row> df = spark.sql("SELECT id % 3 AS i, CAST(id AS INT) AS v FROM range(5)");
    assertFailsWith(
        () -> write(df, fresh("dup.zarr"), "dataset", "v", "dims", "i"), "Duplicate coordinates");
  }

  @Test
  void writingWithoutADatasetOptionNamesTheOption() {
    Dataset<Row> df = spark.sql("SELECT id AS i, CAST(id AS INT) AS v FROM range(5)");
    assertFailsWith(() -> write(df, fresh("nd.zarr"), "dims", "i"), "Option 'dataset'");
  }

  @Test
  void appendingWithOtherChunksIsRejected() {
    Dataset<Row> df = spark.sql("SELECT 1L AS i, 1L AS j, 5 AS v");
    assertFailsWith(
        () ->
            df.write()
                .format("arraymorph")
                .mode("append")
                .option("dataset", "v")
                .option("dims", "i,j")
                .option("chunks", "3,3")
                .save(uri),
        "'chunks'");
  }

  @Test
  void anUnknownCodecIsRejected() {
    Dataset<Row> df = spark.sql("SELECT id AS i, CAST(id AS INT) AS v FROM range(5)");
    assertFailsWith(
        () -> write(df, fresh("codec.zarr"), "dataset", "v", "dims", "i", "codec", "lz9"),
        "'codec'");
  }

  @Test
  void aTaskEndTimeoutThatIsNotADurationIsRefusedBeforeTheDatasetIsTouched() {
    Dataset<Row> df =
        spark.sql("SELECT i, j, CAST(-1 AS INT) AS v FROM range(10) a(i), range(10) b(j)");
    assertFailsWith(
        () ->
            df.write()
                .format("arraymorph")
                .mode("overwrite")
                .option("dataset", "v")
                .option("dims", "i,j")
                .option("task_end_timeout", "soon")
                .save(uri),
        "Option 'task_end_timeout' must be a positive duration",
        "'soon'");
    Dataset<Row> back = spark.read().format("arraymorph").option("dataset", "v").load(uri);
    assertEquals(100, back.count());
    assertEquals(0, back.where("v != i + j").count(), "the dataset as written first");
  }
}
