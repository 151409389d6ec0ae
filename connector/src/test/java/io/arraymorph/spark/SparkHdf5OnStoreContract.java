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
  private static final List<String> TYPED_FILES = List.of("types.h5", "types.nc");
  private static final String LARGE_FILE = "classic.h5";

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
    unsupported().forEach(a -> files.add((String) a.get()[0]));
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()))) {
      for (String file : files) {
        Futures.join(store.put(file, Files.readAllBytes(dir.resolve(file))));
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
}
