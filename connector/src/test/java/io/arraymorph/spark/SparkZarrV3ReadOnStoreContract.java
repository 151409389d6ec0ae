package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * {@code format("arraymorph")} reads Zarr v3 arrays written by another writer (numpy and numcodecs
 * following the specification, scripts/make_zarr_v3_fixtures.py) on a store: one array per codec
 * (bytes only, gzip, zstd with big-endian bytes, crc32c) and two sharded ones (gzip inner chunks;
 * uncompressed big-endian inner chunks, read by byte ranges), with chunks left unwritten that read
 * as the fill value (NaN included). Every value of a whole read and of a filtered read equals
 * numpy's; {@code list=datasets} shows each array with its shape, dtype, chunk shape and codecs,
 * {@code list=chunks} exactly the chunk objects written. A subclass gives the store's location and
 * options; fixtures are uploaded once per class and one Spark session serves the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkZarrV3ReadOnStoreContract {
  private SparkSession spark;
  private Path fixtures;
  private JsonNode manifest;

  /** The directory the fixtures go to, such as {@code s3://bucket/zarr3}. */
  protected abstract String root();

  /** The Spark reader options (endpoint, credentials) that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  @BeforeAll
  void uploadFixtures() throws IOException {
    fixtures = SparkFixtureFiles.zarrV3();
    manifest = SparkFixtureFiles.json(fixtures.resolve("manifest.json"));
    Path dir = fixtures.resolve("store");
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()));
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String key = dir.relativize(f).toString().replace('\\', '/');
        Futures.join(store.put(key, Files.readAllBytes(f)));
      }
    }
    spark = SparkTestSupport.session();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  Stream<String> arrays() {
    List<String> out = new ArrayList<>();
    manifest.fieldNames().forEachRemaining(out::add);
    return out.stream();
  }

  private Dataset<Row> reader(Map<String, String> extra) {
    Map<String, String> all = new HashMap<>(options());
    all.putAll(extra);
    return spark.read().format("arraymorph").options(all).load(root());
  }

  private SparkReferenceValues reference(String name) throws IOException {
    JsonNode entry = manifest.get(name);
    long[] shape = new long[entry.get("shape").size()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = entry.get("shape").get(d).asLong();
    }
    return new SparkReferenceValues(
        entry.get("dtype").asText(),
        shape,
        Files.readAllBytes(fixtures.resolve("ref").resolve(name + ".bin")));
  }

  /**
   * The whole array, then the box of the middle third of both axes (rounded outwards to at least
   * one index), pushed down as a filter on both dimension columns.
   */
  @ParameterizedTest(name = "zarr v3 {0}")
  @MethodSource("arrays")
  void readAllAndFilteredEqualNumpy(String name) throws IOException {
    SparkReferenceValues ref = reference(name);
    Dataset<Row> df = reader(Map.of("dataset", name));
    long[] shape = ref.shape();
    ref.assertRowsMatch(df.collectAsList(), new long[shape.length], shape, name + " (all)");
    long[] lo = new long[shape.length];
    long[] hi = new long[shape.length];
    for (int d = 0; d < shape.length; d++) {
      lo[d] = shape[d] / 3;
      hi[d] = Math.max(lo[d] + 1, 2 * shape[d] / 3);
    }
    String[] cols = df.columns();
    Dataset<Row> filtered = df;
    for (int d = 0; d < shape.length; d++) {
      filtered = filtered.where(df.col(cols[d]).geq(lo[d]).and(df.col(cols[d]).lt(hi[d])));
    }
    ref.assertRowsMatch(filtered.collectAsList(), lo, hi, name + " (filtered)");
  }

  /**
   * Twenty time steps of the sharded array with uncompressed inner chunks of 200 x 1 x 1, under
   * costs (0.05 ms a request, 10 MB/s) where ranges inside its 800-byte inner chunks pay off: every
   * value (the missing inner chunk's fill included) equals numpy's, and the scan fetches the
   * shard's index and 80 bytes of each of the 11 written inner chunks, not the 8800 bytes of them
   * whole.
   */
  @Test
  void aTimeRangeOfUncompressedInnerChunksFetchesOnlyTheSelectedBytes() throws IOException {
    String name = "sharded_raw_i4_be";
    SparkReferenceValues ref = reference(name);
    Dataset<Row> df =
        reader(
                Map.of(
                    "dataset", name, "request_latency_ms", "0.05", "request_bandwidth_mbps", "10"))
            .where("dim_0 >= 250 AND dim_0 < 270");
    ref.assertRowsMatch(
        df.collectAsList(), new long[] {250, 0, 0}, new long[] {270, 4, 3}, name + " (time range)");
    long bytes = SparkTestSupport.metric(df, SparkReadMetrics.BYTES_FETCHED);
    long selected = 12 * 16 + 4 + 11 * 20 * 4;
    // Plus what the executor reads of zarr.json (about 1 KB).
    assertTrue(bytes >= selected && bytes < selected + 2100, "fetched " + bytes + " bytes");
  }

  @Test
  void dimensionNamesNameTheColumns() {
    assertEquals(
        List.of("y", "x", "none_i4"), List.of(reader(Map.of("dataset", "none_i4")).columns()));
  }

  @Test
  void listDatasetsShowsEveryArrayWithItsShapeTypeChunksAndCodecs() {
    Map<String, Row> rows = new HashMap<>();
    for (Row r : reader(Map.of("list", "datasets")).collectAsList()) {
      rows.put(r.getString(0), r);
    }
    Map<String, String> dtypes =
        Map.of(
            "none_i4", "int32",
            "gzip_f8", "float64",
            "zstd_u2_be", "uint16",
            "crc32c_i8", "int64",
            "blosc_zstd_f4", "float32",
            "blosc_lz4_i2_be", "int16",
            "sharded_f4", "float32",
            "sharded_raw_i4_be", "int32");
    Map<String, String> codec =
        Map.of(
            "none_i4", "bytes",
            "gzip_f8", "gzip",
            "zstd_u2_be", "zstd",
            "crc32c_i8", "crc32c",
            "blosc_zstd_f4", "blosc{cname=zstd",
            "blosc_lz4_i2_be", "blosc{cname=lz4",
            "sharded_f4", "sharding_indexed",
            "sharded_raw_i4_be", "sharding_indexed");
    assertEquals(dtypes.keySet(), Set.copyOf(arrays().toList()), "fixture arrays");
    for (String name : dtypes.keySet()) {
      Row r = rows.get(name);
      assertTrue(r != null, "listed " + name + " in " + rows.keySet());
      assertEquals("dataset", r.getString(1), name);
      List<Long> shape = new ArrayList<>();
      manifest.get(name).get("shape").forEach(n -> shape.add(n.asLong()));
      assertEquals(shape, r.getList(2), name);
      assertEquals(dtypes.get(name), r.getString(3), name);
      assertTrue(r.getString(5).contains(codec.get(name)), name + " codecs " + r.getString(5));
    }
  }

  @Test
  void listChunksShowsExactlyTheChunkObjectsWritten() {
    for (String name : arrays().toList()) {
      Set<String> expected = new TreeSet<>();
      manifest.get(name).get("chunks").forEach(k -> expected.add(name + "/" + k.asText()));
      Set<String> listed = new TreeSet<>();
      for (Row r :
          reader(Map.of("list", "chunks", "dataset", name))
              .select("dataset", "key")
              .collectAsList()) {
        assertEquals(name, r.getString(0));
        listed.add(r.getString(1));
      }
      assertEquals(expected, listed, name);
    }
  }
}
