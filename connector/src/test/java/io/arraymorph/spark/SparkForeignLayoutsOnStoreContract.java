package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code format("arraymorph")} reads stores written by other programs, in place on a store: Zarr v2
 * arrays written by zarr-python (no compressor, zlib, gzip, zstd; C and F order; big-endian; both
 * dimension separators; unwritten chunks reading as the fill value, NaN included) and datasets in
 * the ArrayMorph C++ plugin's layout, by both path forms ({@code load(root)} with {@code
 * dataset=file.h5/name}, and {@code load(root/file.h5)} with {@code dataset=name}). Every value of
 * a whole read and of a filtered read equals the reference values numpy wrote; {@code
 * list=datasets} and {@code list=chunks} show every array and exactly the chunk objects stored. A
 * subclass gives the store's location and options; fixtures are uploaded once per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkForeignLayoutsOnStoreContract {
  private SparkSession spark;
  private Path zarrV2;
  private Path legacy;
  private JsonNode zarrV2Manifest;
  private JsonNode legacyManifest;

  /** The directory the fixtures go to, such as {@code s3://bucket/foreign}. */
  protected abstract String root();

  /** The Spark reader options (endpoint, credentials) that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  /**
   * Whether every fixture array is read; remote stores read a representative set (each compressor,
   * zarr-python 2's default Blosc among them, both orders, both byte orders, both separators,
   * integer and NaN fill) to keep the build short.
   */
  protected boolean everyArray() {
    return false;
  }

  /** The arrays remote stores read when {@link #everyArray()} is false. */
  private static final Set<String> REPRESENTATIVE =
      Set.of(
          "int32_zlib",
          "blosc/default",
          "float64_be_gzip_f",
          "uint16_zstd_slash",
          "int16_raw_f_slash",
          "bool_raw",
          "climate/temperature",
          "int32",
          "float64");

  @BeforeAll
  void uploadFixtures() throws IOException {
    zarrV2 = SparkFixtureFiles.zarrV2();
    legacy = SparkFixtureFiles.legacy();
    zarrV2Manifest = SparkFixtureFiles.json(zarrV2.resolve("manifest.json"));
    legacyManifest = SparkFixtureFiles.json(legacy.resolve("manifest.json"));
    upload(zarrV2.resolve("store"), "zarr2");
    upload(legacy.resolve("store"), "plugin");
    spark = SparkTestSupport.session();
  }

  /** Copies a local directory tree to {@code root()/target} (a no-op when root() is that tree). */
  protected void upload(Path dir, String target) throws IOException {
    try (ObjectStore store = ObjectStores.open(root() + "/" + target, StoreSettings.of(options()));
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = dir.relativize(f).toString().replace('\\', '/');
        Futures.join(store.put(key, Files.readAllBytes(f)));
      }
    }
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

  private Dataset<Row> list(String location, String view) {
    return spark
        .read()
        .format("arraymorph")
        .options(options())
        .option("list", view)
        .load(root() + "/" + location);
  }

  private static long[] longs(JsonNode n) {
    long[] out = new long[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asLong();
    }
    return out;
  }

  private static SparkReferenceValues reference(Path fixtures, String name, JsonNode entry)
      throws IOException {
    return new SparkReferenceValues(
        entry.get("dtype").asText(),
        longs(entry.get("shape")),
        Files.readAllBytes(fixtures.resolve("ref").resolve(name.replace('/', '_') + ".bin")));
  }

  Stream<String> zarrV2Arrays() {
    List<String> out = new ArrayList<>();
    zarrV2Manifest
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().has("error")
                  && (everyArray() || REPRESENTATIVE.contains(e.getKey()))) {
                out.add(e.getKey());
              }
            });
    return out.stream();
  }

  Stream<String> legacyArrays() {
    List<String> out = new ArrayList<>();
    legacyManifest
        .fields()
        .forEachRemaining(
            e -> {
              // ullong's HDF5 1.10 handle is 1.14's INT64 one and reads as int64
              // (LegacyDatasetTest).
              if (!e.getValue().has("unknown")
                  && !e.getKey().equals("ullong")
                  && (everyArray() || REPRESENTATIVE.contains(e.getKey()))) {
                out.add(e.getKey());
              }
            });
    return out.stream();
  }

  /** A filter keeping the middle third of the first axis (at least one index). */
  private static long[][] middleThird(long[] shape) {
    long[] lo = new long[shape.length];
    long[] hi = shape.clone();
    lo[0] = shape[0] / 3;
    hi[0] = Math.max(lo[0] + 1, 2 * shape[0] / 3);
    return new long[][] {lo, hi};
  }

  private void checkReadAllAndFiltered(
      String location, String dataset, SparkReferenceValues ref, String label) {
    Dataset<Row> df = read(location, dataset);
    long[] zeros = new long[ref.shape().length];
    ref.assertRowsMatch(df.collectAsList(), zeros, ref.shape(), label + " (all)");
    long[][] box = middleThird(ref.shape());
    String dim0 = df.columns()[0];
    List<Row> filtered =
        df.where(df.col(dim0).geq(box[0][0]).and(df.col(dim0).lt(box[1][0]))).collectAsList();
    ref.assertRowsMatch(filtered, box[0], box[1], label + " (filtered)");
  }

  @ParameterizedTest(name = "zarr v2 {0}")
  @MethodSource("zarrV2Arrays")
  void zarrV2ArraysReadAsZarrPythonReadsThem(String name) throws IOException {
    checkReadAllAndFiltered("zarr2", name, reference(zarrV2, name, zarrV2Manifest.get(name)), name);
  }

  @ParameterizedTest(name = "plugin layout {0}")
  @MethodSource("legacyArrays")
  void pluginLayoutReadsByBothPathForms(String name) throws IOException {
    SparkReferenceValues ref = reference(legacy, name, legacyManifest.get(name));
    checkReadAllAndFiltered("plugin", "file.h5/" + name, ref, "root + file.h5/" + name);
    checkReadAllAndFiltered("plugin/file.h5", name, ref, "file.h5 + " + name);
  }

  @Test
  void zarrV2DimensionNamesComeFromXarrayAttributes() {
    assertEquals(
        List.of("lat", "lon", "temperature"),
        List.of(read("zarr2", "climate/temperature").columns()));
  }

  @Test
  void listDatasetsShowsEveryZarrV2ArrayWithItsShape() {
    Map<String, Row> rows = new java.util.HashMap<>();
    for (Row r : list("zarr2", "datasets").collectAsList()) {
      rows.put(r.getString(0), r);
    }
    for (String name : zarrV2Arrays().toList()) {
      Row r = rows.get(name);
      assertTrue(r != null, "listed " + name + " in " + rows.keySet());
      assertEquals("dataset", r.getString(1));
      assertEquals(
          List.of(
              java.util.Arrays.stream(longs(zarrV2Manifest.get(name).get("shape")))
                  .boxed()
                  .toArray()),
          r.getList(2),
          name);
    }
    assertEquals("group", rows.get("climate").getString(1));
  }

  /** The chunk objects a directory of the fixture holds, as written by the other program. */
  private static Set<String> storedObjects(Path dir, Set<String> metadataFiles) throws IOException {
    Set<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .filter(Files::isRegularFile)
          .map(f -> dir.relativize(f).toString().replace('\\', '/'))
          .filter(k -> !metadataFiles.contains(k))
          .forEach(out::add);
    }
    return out;
  }

  private Set<String> listedChunkKeys(String location, String dataset, String prefix) {
    Set<String> out = new TreeSet<>();
    Dataset<Row> chunks =
        spark
            .read()
            .format("arraymorph")
            .options(options())
            .option("list", "chunks")
            .option("dataset", dataset)
            .load(root() + "/" + location);
    for (Row r : chunks.collectAsList()) {
      assertEquals(dataset, r.getString(0));
      String key = r.getString(2);
      assertTrue(key.startsWith(prefix), key);
      assertEquals(0L, r.getLong(4), "offset of " + key);
      out.add(key.substring(prefix.length()));
    }
    return out;
  }

  @Test
  void listChunksShowsExactlyTheStoredZarrV2Chunks() throws IOException {
    Set<String> meta = Set.of(".zarray", ".zattrs");
    for (String name : List.of("int32_zlib", "uint16_zstd_slash", "int16_raw_f_slash")) {
      Set<String> expected = storedObjects(zarrV2.resolve("store").resolve(name), meta);
      assertTrue(!expected.isEmpty(), name);
      assertEquals(expected, listedChunkKeys("zarr2", name, name + "/"), name);
    }
  }

  @Test
  void listChunksShowsExactlyTheStoredPluginChunks() throws IOException {
    Path dir = legacy.resolve("store").resolve("file.h5").resolve("int32");
    Set<String> expected = storedObjects(dir, Set.of("meta"));
    assertEquals(expected, listedChunkKeys("plugin", "file.h5/int32", "file.h5/int32/"));
    assertEquals(expected, listedChunkKeys("plugin/file.h5", "int32", "int32/"));
  }
}
