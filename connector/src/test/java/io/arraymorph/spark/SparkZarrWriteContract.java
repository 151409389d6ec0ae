package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zarr v3 create, overwrite and append through {@code format("arraymorph")} on one store, with a
 * non-default codec, a NaN fill value, the v2 chunk key encoding and a sharded layout: every value
 * read back equals the value the test computes from the writes, and the stored metadata keeps its
 * layout. A subclass gives the store's location and options.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkZarrWriteContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int N = 10;

  private SparkSession spark;

  /** A directory on the store, such as {@code s3://bucket/writes}. */
  protected abstract String root();

  /** The options (endpoint, credentials) that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  @BeforeAll
  void start() {
    spark = SparkTestSupport.session();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private String fresh(String name) {
    return root() + "/" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".zarr";
  }

  /** Rows {@code (i, j, v)} for the box, skipping cells where {@code (i + j) % 7 == 0}. */
  private org.apache.spark.sql.Dataset<Row> cells(int i0, int i1, int j0, int j1, int offset) {
    return spark.sql(
        "SELECT i, j, CAST(i * 100 + j + "
            + offset
            + " AS DOUBLE) AS v FROM range("
            + i0
            + ", "
            + i1
            + ") a(i) CROSS JOIN range("
            + j0
            + ", "
            + j1
            + ") b(j) WHERE (i + j) % 7 != 0");
  }

  /** What {@link #cells} writes, applied to {@code expected}. */
  private static void apply(double[][] expected, int i0, int i1, int j0, int j1, int offset) {
    for (int i = i0; i < i1; i++) {
      for (int j = j0; j < j1; j++) {
        if ((i + j) % 7 != 0) {
          expected[i][j] = i * 100 + j + offset;
        }
      }
    }
  }

  private static double[][] filled(int rows, int cols, double fill) {
    double[][] out = new double[rows][cols];
    for (double[] r : out) {
      Arrays.fill(r, fill);
    }
    return out;
  }

  private void write(
      org.apache.spark.sql.Dataset<Row> df,
      String uri,
      String mode,
      String dataset,
      String... keyValues) {
    DataFrameWriter<Row> w =
        df.write()
            .format("arraymorph")
            .mode(mode)
            .options(options())
            .option("dataset", dataset)
            .option("dims", "i,j");
    for (int k = 0; k < keyValues.length; k += 2) {
      w = w.option(keyValues[k], keyValues[k + 1]);
    }
    w.save(uri);
  }

  /** Every value of a dataset read through Spark, checked against {@code expected} cell by cell. */
  private void assertValues(String uri, String dataset, double[][] expected) {
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .options(options())
            .option("dataset", dataset)
            .load(uri)
            .collectAsList();
    int cols = expected[0].length;
    assertEquals(expected.length * cols, rows.size(), "one row per cell");
    double[][] actual = filled(expected.length, cols, -1);
    for (Row r : rows) {
      actual[(int) r.getLong(0)][(int) r.getLong(1)] = r.getDouble(2);
    }
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < cols; j++) {
        assertEquals(
            Double.doubleToLongBits(expected[i][j]),
            Double.doubleToLongBits(actual[i][j]),
            "cell (" + i + ", " + j + "): expected " + expected[i][j] + ", read " + actual[i][j]);
      }
    }
  }

  private ObjectStore store(String uri) {
    return ObjectStores.open(uri, StoreSettings.of(options()));
  }

  private JsonNode metadata(String uri, String dataset) throws Exception {
    try (ObjectStore s = store(uri)) {
      return JSON.readTree(Futures.join(s.get(dataset + "/zarr.json")));
    }
  }

  /** Every object under a location, key to bytes. */
  private Map<String, String> snapshot(String uri) {
    Map<String, String> out = new TreeMap<>();
    try (ObjectStore s = store(uri)) {
      for (ObjectInfo o : Futures.join(s.list(""))) {
        out.put(o.key(), Arrays.toString(Futures.join(s.get(o.key()))));
      }
    }
    return out;
  }

  private List<String> keysUnder(String uri, String prefix) {
    List<String> out = new ArrayList<>();
    try (ObjectStore s = store(uri)) {
      for (ObjectInfo o : Futures.join(s.list(prefix))) {
        out.add(o.key().substring(prefix.length()));
      }
    }
    return out;
  }

  private static List<String> codecNames(JsonNode codecs) {
    List<String> out = new ArrayList<>();
    codecs.forEach(c -> out.add(c.path("name").asText()));
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "zstd"})
  void appendWithoutOptionsKeepsTheCodecAndNanFillAndGrowsTheShape(String codec) throws Exception {
    String uri = fresh("append-" + codec);
    write(
        cells(0, 6, 0, N, 0),
        uri,
        "errorifexists",
        "v",
        "codec",
        codec,
        "fill_value",
        "nan",
        "chunks",
        "4,4",
        "shape",
        N + "," + N);
    // Append a region reaching past the shape (rows 10, 11), naming none of the layout options.
    write(cells(4, 12, 2, 8, 1000), uri, "append", "v");

    double[][] expected = filled(12, N, Double.NaN);
    apply(expected, 0, 6, 0, N, 0);
    apply(expected, 4, 12, 2, 8, 1000);
    assertValues(uri, "v", expected);
    JsonNode meta = metadata(uri, "v");
    assertEquals(List.of("bytes", codec), codecNames(meta.path("codecs")));
    assertEquals("NaN", meta.path("fill_value").asText());
    assertEquals("[12,10]", meta.path("shape").toString());
    assertEquals(
        "[4,4]", meta.path("chunk_grid").path("configuration").path("chunk_shape").toString());

    // A second append without options, inside the grown shape, still reads back whole.
    write(cells(10, 12, 0, 3, 5000), uri, "append", "v");
    apply(expected, 10, 12, 0, 3, 5000);
    assertValues(uri, "v", expected);
  }

  @Test
  void overwriteReplacesTheLayoutAndRemovesStaleChunks() throws Exception {
    String uri = fresh("overwrite");
    write(cells(0, N, 0, N, 0), uri, "errorifexists", "v", "codec", "gzip", "chunks", "4,4");
    write(
        cells(0, 6, 0, 5, 7),
        uri,
        "overwrite",
        "v",
        "codec",
        "zstd",
        "fill_value",
        "nan",
        "chunks",
        "3,3");
    double[][] expected = filled(6, 5, Double.NaN);
    apply(expected, 0, 6, 0, 5, 7);
    assertValues(uri, "v", expected);
    JsonNode meta = metadata(uri, "v");
    assertEquals(List.of("bytes", "zstd"), codecNames(meta.path("codecs")));
    // 6x5 in 3x3 chunks: 2x2 chunk objects, none left from the 10x10 version.
    List<String> keys = keysUnder(uri, "v/");
    keys.remove("zarr.json");
    assertEquals(List.of("c/0/0", "c/0/1", "c/1/0", "c/1/1"), keys.stream().sorted().toList());
  }

  /** A dataset made through the Java API with the given layout, its first rows written. */
  private double[][] createWithJavaApi(String uri, Consumer<ArraySpec> layout) {
    ArraySpec spec =
        ArraySpec.of(DataType.FLOAT64, N, N)
            .compression(ArraySpec.Compression.GZIP)
            .fillValue(Double.NaN)
            .dimensionNames("i", "j");
    layout.accept(spec);
    double[][] expected = filled(N, N, Double.NaN);
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(options()))) {
      var ds = store.createDataset("v", spec);
      double[] first = new double[3 * N];
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < N; j++) {
          first[i * N + j] = -(i * 100 + j);
          expected[i][j] = first[i * N + j];
        }
      }
      ds.write(new long[] {0, 0}, NdArray.of(first, 3, N));
    }
    return expected;
  }

  @Test
  void appendIntoAnArrayWithTheV2ChunkKeyEncodingUsesItsKeys() throws Exception {
    String uri = fresh("v2keys");
    double[][] base = createWithJavaApi(uri, s -> s.chunks(4, 4).chunkKeyEncoding("v2", "."));
    write(cells(2, 11, 1, 9, 300), uri, "append", "v");
    double[][] expected = filled(11, N, Double.NaN);
    for (int i = 0; i < N; i++) {
      expected[i] = base[i].clone();
    }
    apply(expected, 2, 11, 1, 9, 300);
    assertValues(uri, "v", expected);
    List<String> keys = keysUnder(uri, "v/");
    keys.remove("zarr.json");
    assertTrue(keys.stream().allMatch(k -> k.matches("\\d+\\.\\d+")), keys.toString());
    // Rows 0-10 in chunks of 4 rows: chunk rows 0-2, every chunk column 0-2 touched.
    assertEquals(9, keys.size(), keys.toString());
    JsonNode meta = metadata(uri, "v");
    assertEquals("v2", meta.path("chunk_key_encoding").path("name").asText());
    assertEquals("[11,10]", meta.path("shape").toString());
  }

  @Test
  void appendIntoAShardedArrayRewritesWholeShards() throws Exception {
    String uri = fresh("sharded");
    double[][] base = createWithJavaApi(uri, s -> s.chunks(2, 2).shards(4, 4));
    write(cells(2, 7, 3, 9, 500), uri, "append", "v", "chunks", "2,2");
    double[][] expected = base;
    apply(expected, 2, 7, 3, 9, 500);
    assertValues(uri, "v", expected);
    JsonNode meta = metadata(uri, "v");
    assertEquals(List.of("sharding_indexed"), codecNames(meta.path("codecs")));
    assertEquals(
        List.of("bytes", "gzip"),
        codecNames(meta.path("codecs").get(0).path("configuration").path("codecs")));
    List<String> keys = keysUnder(uri, "v/");
    keys.remove("zarr.json");
    assertTrue(keys.stream().allMatch(k -> k.matches("c/\\d+/\\d+")), keys.toString());
  }

  @Test
  void anAppendContradictingTheStoredLayoutIsRefusedAndChangesNoByte() {
    String uri = fresh("refuse");
    write(
        cells(0, 6, 0, N, 0),
        uri,
        "errorifexists",
        "v",
        "codec",
        "gzip",
        "fill_value",
        "nan",
        "chunks",
        "4,4");
    Map<String, String> before = snapshot(uri);
    String[][] cases = {
      {"codec", "zstd", "gzip"},
      {"fill_value", "0", "NaN"},
      {"dtype", "float32", "float64"},
      {"chunks", "5,5", "[4, 4]"},
    };
    for (String[] c : cases) {
      Exception e =
          assertThrows(
              Exception.class, () -> write(cells(0, 2, 0, 2, 9), uri, "append", "v", c[0], c[1]));
      String message = String.valueOf(e.getMessage());
      assertTrue(message.contains("Option '" + c[0] + "'"), message);
      assertTrue(message.contains(c[2]), message);
      assertTrue(message.contains("overwrite"), message);
      assertEquals(before, snapshot(uri), "after the refused option " + c[0]);
    }
    double[][] expected = filled(6, N, Double.NaN);
    apply(expected, 0, 6, 0, N, 0);
    assertValues(uri, "v", expected);
    assertArrayEquals(before.keySet().toArray(), snapshot(uri).keySet().toArray());
  }
}
