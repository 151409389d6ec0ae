package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SparkLayoutsAndCodecsTest {
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

  @Test
  void rowsLayoutWritesNestedArraysAndReadsThemBack() {
    String uri = dir.resolve("img.zarr").toString();
    // 6 "images" of 4x3: value = n * 100 + y * 10 + x
    org.apache.spark.sql.Dataset<Row> in =
        spark.sql(
            "SELECT n, transform(sequence(0, 3), y -> transform(sequence(0, 2),"
                + " x -> CAST(n * 100 + y * 10 + x AS FLOAT))) AS images FROM range(6) t(n)");
    in.write()
        .format("arraymorph")
        .option("layout", "rows")
        .option("dataset", "images")
        .option("dims", "n")
        .option("chunks", "4,2,2")
        .save(uri);
    try (ArrayStore store = ArrayStore.open(uri)) {
      Dataset ds = store.dataset("images");
      assertEquals(List.of(6L, 4L, 3L), java.util.Arrays.stream(ds.shape()).boxed().toList());
      assertEquals(212.0, ds.read().getDouble(2, 1, 2), 0.0);
    }
    org.apache.spark.sql.Dataset<Row> back =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "images")
            .option("layout", "rows")
            .load(uri);
    assertEquals("n long, images array<array<float>>", SparkReadWriteTest.ddl(back));
    assertEquals(0, back.exceptAll(in).count());
    assertEquals(0, in.exceptAll(back).count());
    // Cells layout of the same array.
    org.apache.spark.sql.Dataset<Row> cells =
        spark.read().format("arraymorph").option("dataset", "images").load(uri);
    assertEquals(72, cells.count());
    assertEquals(412f, cells.where("n = 4 AND dim_1 = 1 AND dim_2 = 2").first().getFloat(3), 0f);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "zstd", "none"})
  void codecsRoundTripWithAFillValue(String codec) {
    String uri = dir.resolve(codec + ".zarr").toString();
    // Only even i are written; the rest keep the fill value -1.
    spark
        .sql("SELECT i, CAST(i * 3 AS LONG) AS v FROM range(0, 50, 2) t(i)")
        .write()
        .format("arraymorph")
        .option("dataset", "v")
        .option("dims", "i")
        .option("shape", "50")
        .option("chunks", "8")
        .option("codec", codec)
        .option("fill_value", "-1")
        .save(uri);
    try (ArrayStore store = ArrayStore.open(uri)) {
      String codecs = store.dataset("v").codecDescription();
      if (!codec.equals("none")) {
        assertEquals(true, codecs.contains(codec), codecs);
      }
    }
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "v")
            .load(uri)
            .orderBy("i")
            .collectAsList();
    assertEquals(50, rows.size());
    for (Row r : rows) {
      long i = r.getLong(0);
      assertEquals(i % 2 == 0 ? i * 3 : -1, r.getLong(1), "i=" + i);
    }
  }

  @Test
  void anArrayWrittenWithTheJavaApiReadsInSpark() {
    String uri = dir.resolve("api.zarr").toString();
    try (ArrayStore store = ArrayStore.open(uri)) {
      Dataset ds =
          store.createDataset(
              "g/t",
              io.arraymorph.api.ArraySpec.of(io.arraymorph.array.DataType.FLOAT64, 5, 4)
                  .chunks(2, 3)
                  .dimensionNames("time", "station"));
      double[] v = new double[20];
      for (int k = 0; k < 20; k++) {
        v[k] = k * 0.5;
      }
      ds.write(new long[] {0, 0}, io.arraymorph.array.NdArray.of(v, 5, 4));
    }
    org.apache.spark.sql.Dataset<Row> df =
        spark.read().format("arraymorph").option("dataset", "g/t").load(uri);
    assertEquals("time long, station long, t double", SparkReadWriteTest.ddl(df));
    Row r = df.where("time = 3 AND station = 2").first();
    assertEquals(7.0, r.getDouble(2), 0.0);
  }

  @Test
  void datasetsWithDifferentChunkingReadTogether() {
    String uri = dir.resolve("mixed.zarr").toString();
    try (ArrayStore store = ArrayStore.open(uri)) {
      int[] va = new int[12 * 9];
      float[] vb = new float[12 * 9];
      for (int k = 0; k < va.length; k++) {
        va[k] = k;
        vb[k] = k / 2f;
      }
      store
          .createDataset(
              "a",
              io.arraymorph.api.ArraySpec.of(io.arraymorph.array.DataType.INT32, 12, 9)
                  .chunks(5, 4))
          .write(new long[] {0, 0}, io.arraymorph.array.NdArray.of(va, 12, 9));
      store
          .createDataset(
              "b",
              io.arraymorph.api.ArraySpec.of(io.arraymorph.array.DataType.FLOAT32, 12, 9)
                  .chunks(3, 9))
          .write(new long[] {0, 0}, io.arraymorph.array.NdArray.of(vb, 12, 9));
    }
    org.apache.spark.sql.Dataset<Row> df =
        spark.read().format("arraymorph").option("datasets", "a,b").load(uri);
    List<Row> rows = df.where("dim_0 BETWEEN 2 AND 7").collectAsList();
    assertEquals(6 * 9, rows.size());
    for (Row r : rows) {
      int flat = (int) (r.getLong(0) * 9 + r.getLong(1));
      assertEquals(flat, r.getInt(2));
      assertEquals(flat / 2f, r.getFloat(3), 0f);
    }
  }
}
