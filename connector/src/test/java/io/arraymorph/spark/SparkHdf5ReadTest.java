package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HDF5/NetCDF4 files made by h5py read in place through format("arraymorph"). */
class SparkHdf5ReadTest {
  static SparkSession spark;
  static Path dir;
  static JsonNode manifest;

  @BeforeAll
  static void start() {
    dir = SparkFixtureFiles.hdf5();
    manifest = SparkFixtureFiles.json(dir.resolve("manifest.json"));
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static JsonNode entry(String file, String path) {
    for (JsonNode d : manifest.get("files").get(file).get("datasets")) {
      if (d.get("path").asText().equals(path)) {
        return d;
      }
    }
    throw new IllegalArgumentException(file + ":" + path);
  }

  private Dataset<Row> read(String file, String dataset) {
    return spark
        .read()
        .format("arraymorph")
        .option("dataset", dataset)
        .option("decode_cf", "false")
        .load(dir.resolve(file).toString());
  }

  /** h5py's value of element {@code i} as the Java value Spark returns for the dtype. */
  /** h5py's reference files, read once each. */
  private static final Map<Path, byte[]> REFERENCES =
      new java.util.concurrent.ConcurrentHashMap<>();

  static Object reference(JsonNode e, long i) {
    return reference(dir, e, i);
  }

  /** h5py's value of element {@code i}, its reference file under {@code fixtures}. */
  static Object reference(Path fixtures, JsonNode e, long i) {
    ByteBuffer b =
        ByteBuffer.wrap(
                REFERENCES.computeIfAbsent(
                    fixtures.resolve(e.get("ref").asText()),
                    f -> {
                      try {
                        return Files.readAllBytes(f);
                      } catch (IOException ex) {
                        throw new IllegalStateException(ex);
                      }
                    }))
            .order(ByteOrder.LITTLE_ENDIAN);
    int k = (int) i;
    return switch (e.get("dtype").asText()) {
      case "int8" -> b.get(k);
      case "uint8" -> (short) (b.get(k) & 0xff);
      case "int16" -> b.getShort(2 * k);
      case "uint16" -> b.getShort(2 * k) & 0xffff;
      case "int32" -> b.getInt(4 * k);
      case "uint32" -> b.getInt(4 * k) & 0xffffffffL;
      case "int64" -> b.getLong(8 * k);
      case "float32" -> b.getFloat(4 * k);
      case "float64" -> b.getDouble(8 * k);
      default -> throw new IllegalArgumentException(e.get("dtype").asText());
    };
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "classic.h5:/types/int16",
        "classic.h5:/types/uint32",
        "classic.h5:/types/float64",
        "classic.h5:/big_endian/int32_be",
        "classic.h5:/filters/shuffle_gzip_fletcher32",
        "classic.h5:/filters/lzf",
        "classic.h5:/fill/partial",
        "classic.h5:/layout/chunked_4d",
        "classic.h5:/layout/contiguous_1d",
        "latest.h5:/index/btree_v2_gzip",
        "latest.h5:/index/extensible_array",
        "climate.nc:/temperature",
        "plugin_filters.h5:/blosc/blosclz_shuffle_int16_l5",
        "plugin_filters.h5:/blosc/zstd_bitshuffle_int64_l5",
        "plugin_filters.h5:/blosc/snappy_noshuffle_int32_be_l5",
        "builtin_filters.h5:/scaleoffset/float32_d2_fill",
        "builtin_filters.h5:/scaleoffset/int32_fill",
        "builtin_filters.h5:/nbit/int32_be_p12_o5",
        "builtin_filters.h5:/nbit/uint16_p10_o3",
        "builtin_filters.h5:/nbit/float32_be_p20_o7",
        "szip.h5:/int32_nn8_padded",
        "szip.h5:/int16_be_ec16",
        "szip.h5:/uint8_nn32",
        "szip.h5:/float64_nn32",
        "szip.h5:/float32_be_nn4",
        "szip.h5:/uint32_be_nn16",
        "szip.h5:/int64_shuffle_nn8",
        "szip.h5:/int32_unwritten_chunk"
      })
  void everyElementEqualsWhatH5pyReads(String spec) {
    String file = spec.substring(0, spec.indexOf(':'));
    String path = spec.substring(spec.indexOf(':') + 1);
    JsonNode e = entry(file, path);
    Dataset<Row> df = read(file, path);
    List<Long> shape = new ArrayList<>();
    e.get("shape").forEach(s -> shape.add(s.asLong()));
    int rank = shape.size();
    List<Row> rows = df.collectAsList();
    long total = shape.stream().reduce(1L, (a, b) -> a * b);
    assertEquals(total, rows.size(), spec);
    Set<Long> seen = new HashSet<>();
    for (Row r : rows) {
      long linear = 0;
      for (int d = 0; d < rank; d++) {
        linear = linear * shape.get(d) + r.getLong(d);
      }
      assertTrue(seen.add(linear), "duplicate element " + linear);
      assertEquals(reference(e, linear), r.get(rank), spec + " element " + linear);
    }
  }

  @Test
  void filterOnDimensionsFetchesOnlyOverlappingChunksOfTheFile() {
    JsonNode e = entry("classic.h5", "/large"); // 800x600, chunks 64x64, gzip
    Dataset<Row> df = read("classic.h5", "/large").where("dim_0 BETWEEN 60 AND 69 AND dim_1 < 10");
    List<Row> rows = df.collectAsList();
    assertEquals(100, rows.size());
    for (Row r : rows) {
      assertEquals(reference(e, r.getLong(0) * 600 + r.getLong(1)), r.getFloat(2));
    }
    assertEquals(2, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  @Test
  void netcdfDimensionsNameTheColumns() {
    Dataset<Row> raw = read("climate.nc", "/temperature");
    assertEquals("time long, lat long, lon long, temperature float", SparkReadWriteTest.ddl(raw));
    Dataset<Row> bounds = read("climate.nc", "/lat_bnds");
    assertEquals("lat long, nv long, lat_bnds float", SparkReadWriteTest.ddl(bounds));
  }

  @Test
  void listDatasetsShowsAttributesAsAMapAndDimensions() {
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .option("list", "datasets")
            .load(dir.resolve("climate.nc").toString())
            .collectAsList();
    Row temp = rows.stream().filter(r -> r.getString(0).equals("/temperature")).findFirst().get();
    Map<String, String> attrs = temp.getJavaMap(6);
    assertEquals("K", attrs.get("units"));
    assertNotNull(attrs.get("_FillValue"));
    assertEquals(List.of("time", "lat", "lon"), temp.getList(7));
    assertEquals("float32", temp.getString(3));
    assertEquals(List.of(1, 9, 12), temp.getList(4));
    Row time = rows.stream().filter(r -> r.getString(0).equals("/time")).findFirst().get();
    assertEquals("days since 2000-01-01", time.getJavaMap(6).get("units"));
    Row root = rows.stream().filter(r -> r.getString(0).equals("/")).findFirst().get();
    assertEquals("group", root.getString(1));
    assertEquals("ArrayMorph NetCDF4 fixture", root.getJavaMap(6).get("title"));
  }

  @Test
  void listChunksIsTheFilesChunkIndexWithByteOffsetsAndSizes() {
    for (String path : List.of("/filters/gzip", "/fill/partial", "/layout/chunked_4d")) {
      JsonNode e = entry("classic.h5", path);
      Set<String> expected = new HashSet<>();
      e.get("chunk_index").forEach(c -> expected.add(c.toString().replace(" ", "")));
      List<Row> rows =
          spark
              .read()
              .format("arraymorph")
              .option("list", "chunks")
              .option("dataset", path)
              .load(dir.resolve("classic.h5").toString())
              .collectAsList();
      Set<String> actual = new HashSet<>();
      for (Row r : rows) {
        assertEquals(path, r.getString(0));
        assertEquals("classic.h5", r.getString(2));
        List<Object> parts = new ArrayList<>(r.getList(1));
        parts.add(r.getLong(4)); // offset
        parts.add(r.getLong(3)); // stored size
        parts.add(r.getInt(5)); // filter mask
        actual.add(parts.toString().replace(" ", ""));
      }
      assertEquals(expected, actual, path);
    }
  }
}
