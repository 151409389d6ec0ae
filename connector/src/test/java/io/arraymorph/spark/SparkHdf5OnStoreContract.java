package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.kerchunk.KerchunkWriter;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code format("arraymorph")} reads h5py's fixtures in place from an object store: string,
 * compound and enum datasets of an HDF5 and a NetCDF4 file row by row equal to h5py's values; a
 * slice of a large chunked dataset, through the file and through kerchunk references whose URLs
 * name the store's scheme, fetches only the 4 chunks it overlaps, with h5py's values; and each
 * unsupported dataset of the manifest fails naming its feature and path. A subclass gives the
 * store's location and options (see SparkHdf5OnS3Test, SparkHdf5OnAzureTest); the files are
 * uploaded once per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkHdf5OnStoreContract {
  private static final List<String> TYPED_FILES = List.of("types.h5", "types.nc", "types_wild.h5");
  private static final String LARGE_FILE = "classic.h5";
  private static final String NETCDF_FILE = "climate.nc";

  private SparkSession spark;
  private Path dir;
  private JsonNode manifest;

  /** The directory the fixtures go to, such as {@code s3://bucket/fixtures}. */
  protected abstract String root();

  /** The Spark reader options (endpoint, credentials) that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  @BeforeAll
  void uploadFixtures() throws Exception {
    dir = SparkFixtureFiles.hdf5();
    manifest = SparkFixtureFiles.json(dir.resolve("manifest.json"));
    Set<String> files = new TreeSet<>(TYPED_FILES);
    files.add(LARGE_FILE);
    files.add(NETCDF_FILE);
    unsupported().forEach(a -> files.add((String) a.get()[0]));
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()))) {
      for (String file : files) {
        Futures.join(store.put(file, Files.readAllBytes(dir.resolve(file))));
      }
      // Virtual datasets beside their sources, which resolve on the same store.
      try (Stream<Path> vds = Files.list(SparkFixtureFiles.vds())) {
        for (Path f : vds.filter(p -> p.toString().endsWith(".h5")).toList()) {
          Futures.join(store.put("vds/" + f.getFileName(), Files.readAllBytes(f)));
        }
      }
      try (Hdf5File h5 = Hdf5File.open(store, LARGE_FILE)) {
        byte[] refs = KerchunkWriter.write(h5, root() + "/" + LARGE_FILE).toJson();
        Futures.join(store.put(LARGE_FILE + ".json", refs));
      }
    }
    spark = SparkTestSupport.session();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private Dataset<Row> read(String location, String dataset) {
    return spark
        .read()
        .format("arraymorph")
        .options(options())
        .option("dataset", dataset)
        .load(root() + "/" + location);
  }

  Stream<Arguments> virtualDatasets() {
    return SparkHdf5VirtualDatasetsTest.entries(SparkFixtureFiles.vds());
  }

  /** A virtual dataset's sources are sibling objects on the same store. */
  @ParameterizedTest(name = "{0}:{1}")
  @MethodSource("virtualDatasets")
  void virtualDatasetsReadFromSourcesOnTheSameStore(String file, String path, JsonNode e)
      throws java.io.IOException {
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .options(options())
            .option("dataset", path)
            .option("decode_cf", "false")
            .load(root() + "/vds/" + file)
            .collectAsList();
    SparkHdf5VirtualDatasetsTest.assertRowsEqualH5py(
        rows, e, Files.readAllBytes(SparkFixtureFiles.vds().resolve(e.get("ref").asText())));
  }

  Stream<Arguments> typed() {
    List<Arguments> out = new ArrayList<>();
    for (String file : TYPED_FILES) {
      manifest
          .get("files")
          .get(file)
          .get("typed")
          .forEach(d -> out.add(Arguments.of(file, d.get("path").asText(), d)));
    }
    return out.stream();
  }

  /** Every file's "unsupported" entries of the manifest: file, dataset path, feature. */
  Stream<Arguments> unsupported() {
    List<Arguments> out = new ArrayList<>();
    manifest
        .get("files")
        .fields()
        .forEachRemaining(
            f ->
                f.getValue()
                    .path("unsupported")
                    .forEach(
                        d ->
                            out.add(
                                Arguments.of(
                                    f.getKey(),
                                    d.get("path").asText(),
                                    d.get("feature").asText()))));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}:{1}")
  @MethodSource("typed")
  void typedDatasetRowsEqualH5pyValues(String file, String path, JsonNode entry) {
    List<Row> rows = read(file, path).collectAsList();
    SparkHdf5TypesTest.assertRowsEqualH5py(entry, rows);
  }

  /** The file itself ({@code /large}) and the kerchunk references to it ({@code large}). */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {LARGE_FILE, LARGE_FILE + ".json"})
  void sliceAcrossFourChunksFetchesFourChunksWithH5pyValues(String location) throws Exception {
    Dataset<Row> all = read(location, location.endsWith(".json") ? "large" : "/large");
    String i = all.columns()[0];
    String j = all.columns()[1];
    // /large is 800x600 float32 in 64x64 chunks: rows and columns 60..69 straddle 4 chunks.
    // No orderBy: its sampling job would run the scan twice and double the chunk metric.
    Dataset<Row> slice = all.where(i + " BETWEEN 60 AND 69 AND " + j + " BETWEEN 60 AND 69");
    List<Row> rows = slice.collectAsList();

    ByteBuffer h5py = reference(LARGE_FILE, "/large");
    assertEquals(100, rows.size());
    for (Row r : rows) {
      int at = (int) (r.getLong(0) * 600 + r.getLong(1));
      assertEquals(h5py.getFloat(at * Float.BYTES), r.getFloat(2), 0f, r.toString());
    }
    assertEquals(4, SparkTestSupport.metric(slice, SparkReadMetrics.CHUNKS_FETCHED));
  }

  /**
   * Numeric datasets of an HDF5 file (filters, big-endian, partial fill), a NetCDF4 variable and
   * kerchunk references to datasets of the HDF5 file: every element of a whole read and of a
   * filtered read equals h5py's.
   */
  @ParameterizedTest(name = "{0}:{1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "classic.h5,/filters/shuffle_gzip_fletcher32,classic.h5,/filters/shuffle_gzip_fletcher32",
    "classic.h5,/big_endian/int32_be,classic.h5,/big_endian/int32_be",
    "classic.h5,/fill/partial,classic.h5,/fill/partial",
    "climate.nc,/temperature,climate.nc,/temperature",
    "classic.h5.json,filters/gzip,classic.h5,/filters/gzip",
    "classic.h5.json,big_endian/int32_be,classic.h5,/big_endian/int32_be"
  })
  void numericDatasetsReadWholeAndFilteredEqualH5py(
      String location, String dataset, String file, String h5pyPath) {
    JsonNode e = datasetEntry(file, h5pyPath);
    long[] shape = new long[e.get("shape").size()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = e.get("shape").get(d).asLong();
    }
    // Raw values, as h5py reads them (CF decoding is checked by the local suites).
    Dataset<Row> all =
        spark
            .read()
            .format("arraymorph")
            .options(options())
            .option("decode_cf", "false")
            .option("dataset", dataset)
            .load(root() + "/" + location);
    String first = all.columns()[0];
    long half = shape[0] / 2;
    for (boolean filtered : new boolean[] {false, true}) {
      List<Row> rows = (filtered ? all.where(first + " >= " + half) : all).collectAsList();
      long expected = 1;
      for (int d = 0; d < shape.length; d++) {
        expected *= d == 0 && filtered ? shape[0] - half : shape[d];
      }
      assertEquals(expected, rows.size(), location + ":" + dataset + " filtered=" + filtered);
      Set<Long> seen = new java.util.HashSet<>();
      for (Row r : rows) {
        long linear = 0;
        for (int d = 0; d < shape.length; d++) {
          linear = linear * shape[d] + r.getLong(d);
        }
        assertTrue(seen.add(linear), "element " + linear + " returned twice");
        assertTrue(!filtered || r.getLong(0) >= half, "row outside the filter: " + r);
        assertEquals(
            SparkHdf5ReadTest.reference(dir, e, linear),
            r.get(shape.length),
            location + ":" + dataset + " element " + linear);
      }
    }
  }

  /** list=datasets on the store shows a NetCDF4 variable with h5py's shape, type and dimensions. */
  @org.junit.jupiter.api.Test
  void listDatasetsShowsNetcdfVariablesWithShapeTypeAndDimensions() {
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .options(options())
            .option("list", "datasets")
            .load(root() + "/" + NETCDF_FILE)
            .collectAsList();
    Row temp = rows.stream().filter(r -> r.getString(0).equals("/temperature")).findFirst().get();
    JsonNode e = datasetEntry(NETCDF_FILE, "/temperature");
    List<Long> shape = new ArrayList<>();
    e.get("shape").forEach(s -> shape.add(s.asLong()));
    assertEquals(shape, temp.getList(2));
    assertEquals("dataset", temp.getString(1));
    assertEquals(e.get("dtype").asText(), temp.getString(3));
    List<String> dims = new ArrayList<>();
    e.get("dimension_names").forEach(n -> dims.add(n.asText()));
    assertEquals(dims, temp.getList(7));
  }

  /** list=chunks on the store is the file's chunk index: offsets, sizes and filter masks. */
  @org.junit.jupiter.api.Test
  void listChunksIsTheFilesChunkIndex() {
    for (String path : List.of("/filters/gzip", "/fill/partial")) {
      JsonNode e = datasetEntry(LARGE_FILE, path);
      Set<String> expected = new TreeSet<>();
      e.get("chunk_index").forEach(c -> expected.add(c.toString().replace(" ", "")));
      Set<String> actual = new TreeSet<>();
      for (Row r :
          spark
              .read()
              .format("arraymorph")
              .options(options())
              .option("list", "chunks")
              .option("dataset", path)
              .load(root() + "/" + LARGE_FILE)
              .collectAsList()) {
        assertEquals(path, r.getString(0));
        List<Object> parts = new ArrayList<>(r.getList(1));
        parts.add(r.getLong(4));
        parts.add(r.getLong(3));
        parts.add(r.getInt(5));
        actual.add(parts.toString().replace(" ", ""));
      }
      assertEquals(expected, actual, path);
    }
  }

  private JsonNode datasetEntry(String file, String path) {
    for (JsonNode d : manifest.get("files").get(file).get("datasets")) {
      if (d.get("path").asText().equals(path)) {
        return d;
      }
    }
    throw new IllegalArgumentException(file + ":" + path);
  }

  /** The error the Spark user sees (not a nested cause) names the feature and the dataset. */
  @ParameterizedTest(name = "{0}:{1} ({2})")
  @MethodSource("unsupported")
  void unsupportedDatasetFailsNamingFeatureAndPath(String file, String path, String feature) {
    // Fails at load (schema resolution), before any job, with the reader's exception as is.
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> read(file, path));
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains(path), message + " names " + path);
    // Paths such as /szip spell their feature: the feature must be named apart from the path.
    String withoutPath = message.replace(path, "").toLowerCase(Locale.ROOT);
    assertTrue(withoutPath.contains(feature), message + " names " + feature);
  }

  /** h5py's little-endian bytes of a numeric dataset. */
  private ByteBuffer reference(String file, String path) throws Exception {
    for (JsonNode d : manifest.get("files").get(file).get("datasets")) {
      if (d.get("path").asText().equals(path)) {
        byte[] bytes = Files.readAllBytes(dir.resolve(d.get("ref").asText()));
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    throw new IllegalArgumentException(file + ":" + path);
  }

  /**
   * A file replaced between planning and reading by another of the same size is refused by its
   * entity tag: the query fails naming the file, both tags and the fix, instead of returning the
   * other file's values.
   */
  @org.junit.jupiter.api.Test
  void aFileReplacedBySameSizedContentAfterPlanningFailsNamingTheFileAndBothTags()
      throws Exception {
    String file = "replaced-" + System.nanoTime() + ".h5";
    byte[] original = Files.readAllBytes(dir.resolve(LARGE_FILE));
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()))) {
      Futures.join(store.put(file, original));
      String planned = Futures.join(store.head(file)).orElseThrow().tag();
      Dataset<Row> df = read(file, "/large");
      df.queryExecution().executedPlan(); // planned: the file's size and tag are in the tasks
      // Another file of the same size: its signature byte differs (a change inside a compressed
      // chunk fails that chunk's decoding before the check, naming the chunk and the file).
      byte[] other = original.clone();
      other[3] ^= 0x5a;
      Futures.join(store.put(file, other));
      io.arraymorph.store.ObjectInfo now = Futures.join(store.head(file)).orElseThrow();
      assertEquals(original.length, now.size(), "the same size");
      assertTrue(planned != null && !planned.equals(now.tag()), planned + " / " + now.tag());
      Exception e = assertThrows(Exception.class, df::collectAsList);
      StringBuilder chain = new StringBuilder();
      for (Throwable c = e; c != null; c = c.getCause()) {
        chain.append(c.getMessage()).append(" | ");
      }
      String m = chain.toString();
      assertTrue(m.contains(file), m);
      assertTrue(m.contains("same size"), m);
      assertTrue(m.contains(planned), "the planned tag: " + m);
      assertTrue(m.contains(now.tag()), "the tag now: " + m);
      assertTrue(m.contains("Re-run the query"), m);
    }
  }

  /**
   * The rows layout reads through the same chunk-task reader and check: ten rows of {@code /large}
   * (each 600 floats across ten 64x64 chunks) equal h5py's, and once the file is replaced by one of
   * the same size after planning, the query fails naming the file and saying to re-run it.
   */
  @org.junit.jupiter.api.Test
  void aRowsLayoutQueryEqualsH5pyAndFailsOnceItsFileIsReplacedBySameSizedBytes() throws Exception {
    String file = "rows-replaced-" + System.nanoTime() + ".h5";
    byte[] original = Files.readAllBytes(dir.resolve(LARGE_FILE));
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()))) {
      Futures.join(store.put(file, original));
      Dataset<Row> all =
          spark
              .read()
              .format("arraymorph")
              .options(options())
              .option("dataset", "/large")
              .option("layout", "rows")
              .load(root() + "/" + file);
      Dataset<Row> df = all.where(all.columns()[0] + " BETWEEN 60 AND 69");
      df.queryExecution().executedPlan();
      ByteBuffer h5py = reference(LARGE_FILE, "/large");
      List<Row> rows = df.collectAsList();
      assertEquals(10, rows.size());
      Set<Long> seen = new java.util.HashSet<>();
      for (Row r : rows) {
        long i = r.getLong(0);
        assertTrue(i >= 60 && i <= 69 && seen.add(i), "row " + i);
        List<Object> values = r.getList(1);
        assertEquals(600, values.size());
        for (int j = 0; j < 600; j++) {
          assertEquals(h5py.getFloat((int) (i * 600 + j) * Float.BYTES), values.get(j), "" + i);
        }
      }
      byte[] other = original.clone();
      other[3] ^= 0x5a;
      Futures.join(store.put(file, other));
      Exception e = assertThrows(Exception.class, df::collectAsList);
      StringBuilder chain = new StringBuilder();
      for (Throwable c = e; c != null; c = c.getCause()) {
        chain.append(c.getMessage()).append(" | ");
      }
      String m = chain.toString();
      assertTrue(m.contains(file), m);
      assertTrue(m.contains("same size"), m);
      assertTrue(m.contains("Re-run the query"), m);
    }
  }
}
