package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.kerchunk.KerchunkWriter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code format("arraymorph")} reads h5py's fixtures in place from S3Proxy (or the CI's server):
 * string, compound and enum datasets of an HDF5 and a NetCDF4 file row by row equal to h5py's
 * values, and a slice of a large chunked dataset through the file and through kerchunk references
 * whose URLs point at s3:// fetches only the 4 chunks it overlaps, with h5py's values.
 */
class SparkHdf5OnS3Test {
  private static final List<String> FILES = List.of("types.h5", "types.nc", "classic.h5");
  static SparkSession spark;
  static Path dir;
  static JsonNode manifest;
  static String root;
  static Map<String, String> options;

  @BeforeAll
  static void uploadFixtures() throws Exception {
    dir = SparkFixtureFiles.hdf5();
    manifest = SparkFixtureFiles.json(dir.resolve("manifest.json"));
    S3ProxyServer server = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("spark-hdf5");
    server.createBucket(bucket);
    options = server.settings(bucket);
    root = "s3://" + bucket + "/fixtures";
    try (ObjectStore store = ObjectStores.open(root, StoreSettings.of(options))) {
      for (String file : FILES) {
        Futures.join(store.put(file, Files.readAllBytes(dir.resolve(file))));
      }
      try (Hdf5File h5 = Hdf5File.open(store, "classic.h5")) {
        byte[] refs = KerchunkWriter.write(h5, root + "/classic.h5").toJson();
        Futures.join(store.put("classic.h5.json", refs));
      }
    }
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Dataset<Row> read(String location, String dataset) {
    return spark
        .read()
        .format("arraymorph")
        .options(options)
        .option("dataset", dataset)
        .load(root + "/" + location);
  }

  static Stream<Arguments> typed() {
    List<Arguments> out = new ArrayList<>();
    for (String file : List.of("types.h5", "types.nc")) {
      manifest
          .get("files")
          .get(file)
          .get("typed")
          .forEach(d -> out.add(Arguments.of(file, d.get("path").asText(), d)));
    }
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
  @ValueSource(strings = {"classic.h5", "classic.h5.json"})
  void sliceAcrossFourChunksFetchesFourChunksWithH5pyValues(String location) throws Exception {
    Dataset<Row> all = read(location, location.endsWith(".json") ? "large" : "/large");
    String i = all.columns()[0];
    String j = all.columns()[1];
    // /large is 800x600 float32 in 64x64 chunks: rows and columns 60..69 straddle 4 chunks.
    // No orderBy: its sampling job would run the scan twice and double the chunk metric.
    Dataset<Row> slice = all.where(i + " BETWEEN 60 AND 69 AND " + j + " BETWEEN 60 AND 69");
    List<Row> rows = slice.collectAsList();

    ByteBuffer h5py = reference("classic.h5", "/large");
    assertEquals(100, rows.size());
    for (Row r : rows) {
      int at = (int) (r.getLong(0) * 600 + r.getLong(1));
      assertEquals(h5py.getFloat(at * Float.BYTES), r.getFloat(2), 0f, r.toString());
    }
    assertEquals(4, SparkTestSupport.metric(slice, SparkReadMetrics.CHUNKS_FETCHED));
  }

  /** h5py's little-endian bytes of a numeric dataset. */
  private static ByteBuffer reference(String file, String path) throws Exception {
    for (JsonNode d : manifest.get("files").get(file).get("datasets")) {
      if (d.get("path").asText().equals(path)) {
        byte[] bytes = Files.readAllBytes(dir.resolve(d.get("ref").asText()));
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    throw new IllegalArgumentException(file + ":" + path);
  }
}
