package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end suite, run once per store by its subclasses: the Java API alone, then Spark on
 * {@code local[2]}. (The multi-JVM cluster scenario of every store is {@link ClusterEndToEndIT}, so
 * that the cluster starts once.)
 */
abstract class StoreEndToEndSuite {

  /** The store under test. */
  abstract StoreFixture store();

  @Test
  void javaApiWritesThenReadsAFilteredSliceFetchingOnlyOverlappingChunks() {
    StoreFixture store = store();
    String location = store.newLocation("java-api");
    int[] values = new int[40 * 30];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 7 - 1000;
    }
    try (ArrayStore out = ArrayStore.open(location, store.settings())) {
      Dataset ds =
          out.createDataset(
              "grp/values",
              ArraySpec.of(DataType.INT32, 40, 30)
                  .chunks(10, 10)
                  .compression(ArraySpec.Compression.ZSTD)
                  .dimensionNames("y", "x"));
      ds.write(new long[] {0, 0}, NdArray.of(values, 40, 30));
    }
    try (ArrayStore in = ArrayStore.open(location, store.settings())) {
      Dataset ds = in.dataset("grp/values");
      assertArrayEquals(new long[] {40, 30}, ds.shape());
      assertEquals(List.of("y", "x"), ds.dimensionNames());
      in.stats().reset();
      NdArray slice = ds.read(new long[] {12, 5}, new long[] {6, 10}); // rows 12-17, cols 5-14
      int[] got = slice.toIntArray();
      for (int r = 0; r < 6; r++) {
        for (int c = 0; c < 10; c++) {
          assertEquals(values[(12 + r) * 30 + 5 + c], got[r * 10 + c], "at " + r + "," + c);
        }
      }
      // The slice overlaps chunk row 1 and chunk columns 0 and 1: two chunk objects, then one GET
      // of zarr.json, the version check of a dataset the Java API published.
      assertEquals(3, in.stats().gets() + in.stats().rangeGets(), in.stats().toString());
    }
  }

  @Test
  void sparkWritesEveryDataTypeAsSeveralDatasetsAndReadsAFilteredSliceExactly() {
    StoreFixture store = store();
    Scenarios.allTypesWriteThenFilteredRead(
        Sessions.local(), store.newLocation("all-types"), store.options());
  }

  @Test
  void sparkReadsWhatTheJavaApiWroteAndTheJavaApiReadsWhatSparkWrote() {
    StoreFixture store = store();
    SparkSession spark = Sessions.local();
    String location = store.newLocation("both-ways");
    double[] values = new double[12 * 9];
    for (int i = 0; i < values.length; i++) {
      values[i] = i / 3.0;
    }
    try (ArrayStore out = ArrayStore.open(location, store.settings())) {
      out.createDataset(
              "v", ArraySpec.of(DataType.FLOAT64, 12, 9).chunks(5, 4).dimensionNames("i", "j"))
          .write(new long[] {0, 0}, NdArray.of(values, 12, 9));
    }
    org.apache.spark.sql.Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(store.options())
            .option("dataset", "v")
            .load(location)
            .where("i >= 10 AND j IN (0, 8)");
    List<Row> rows = df.collectAsList();
    assertEquals(4, rows.size());
    for (Row r : rows) {
      assertEquals(values[(int) (r.getLong(0) * 9 + r.getLong(1))], r.getDouble(2));
    }
    // Chunk row 2 (i 10-11), chunk columns 0 (j 0-3) and 2 (j 8).
    assertEquals(2, Scenarios.metric(df, "chunksFetched"));
    // Spark writes a second dataset next to it, the Java API reads it.
    df.sparkSession()
        .sql(
            "SELECT i, j, CAST(i * 10 + j AS LONG) AS w FROM range(12) a(i) CROSS JOIN range(9) b(j)")
        .write()
        .format("arraymorph")
        .options(store.options())
        .option("dataset", "w")
        .option("dims", "i,j")
        .option("chunks", "5,4")
        .save(location);
    try (ArrayStore in = ArrayStore.open(location, store.settings())) {
      assertTrue(in.exists("w") && in.exists("v"));
      long[] w = in.dataset("w").read(new long[] {3, 2}, new long[] {2, 2}).toLongArray();
      assertArrayEquals(new long[] {32, 33, 42, 43}, w);
    }
  }
}
