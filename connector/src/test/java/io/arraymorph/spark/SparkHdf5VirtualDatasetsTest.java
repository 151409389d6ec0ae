package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Virtual datasets (VDS) made by h5py read through {@code format("arraymorph")}: sources in sibling
 * files and in the same file, a missing source, unlimited and printf-named mappings; every element
 * equals h5py's, with the extent libhdf5 gives an unlimited VDS. Tasks read the virtual dataset's
 * synthetic chunks, each assembled from its sources.
 */
class SparkHdf5VirtualDatasetsTest {
  static SparkSession spark;
  static Path dir;

  @BeforeAll
  static void start() {
    dir = SparkFixtureFiles.vds();
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static Stream<Arguments> datasets() {
    return entries(SparkFixtureFiles.vds());
  }

  /** Each VDS of the fixture manifest: file, dataset path and h5py's entry. */
  static Stream<Arguments> entries(Path fixtures) {
    JsonNode manifest = SparkFixtureFiles.json(fixtures.resolve("manifest.json"));
    List<Arguments> out = new ArrayList<>();
    manifest
        .get("files")
        .fields()
        .forEachRemaining(
            f ->
                f.getValue()
                    .forEach(d -> out.add(Arguments.of(f.getKey(), d.get("path").asText(), d))));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}:{1}")
  @MethodSource("datasets")
  void everyElementEqualsWhatH5pyReads(String file, String path, JsonNode e) throws IOException {
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", path)
            .option("decode_cf", "false")
            .load(dir.resolve(file).toString())
            .collectAsList();
    assertRowsEqualH5py(rows, e, Files.readAllBytes(dir.resolve(e.get("ref").asText())));
  }

  /** Rows of dimension indexes and a value, compared with h5py's C-order little-endian bytes. */
  static void assertRowsEqualH5py(List<Row> rows, JsonNode e, byte[] reference) {
    List<Long> shape = new ArrayList<>();
    e.get("shape").forEach(s -> shape.add(s.asLong()));
    int rank = shape.size();
    long total = shape.stream().reduce(1L, (a, b) -> a * b);
    assertEquals(total, rows.size(), e.toString());
    ByteBuffer b = ByteBuffer.wrap(reference).order(ByteOrder.LITTLE_ENDIAN);
    Set<Long> seen = new HashSet<>();
    for (Row r : rows) {
      long linear = 0;
      for (int d = 0; d < rank; d++) {
        linear = linear * shape.get(d) + r.getLong(d);
      }
      assertTrue(seen.add(linear), "duplicate element " + linear);
      int k = (int) linear;
      Object expected =
          switch (e.get("dtype").asText()) {
            case "i2" -> b.getShort(2 * k);
            case "i4" -> b.getInt(4 * k);
            case "f4" -> b.getFloat(4 * k);
            case "f8" -> b.getDouble(8 * k);
            default -> throw new IllegalArgumentException(e.get("dtype").asText());
          };
      assertEquals(expected, r.get(rank), e.get("path") + " element " + linear);
    }
  }
}
