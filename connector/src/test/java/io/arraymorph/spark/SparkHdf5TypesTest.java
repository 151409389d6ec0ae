package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.hdf5.Hdf5FixtureAssertions;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import io.arraymorph.spark.source.SparkValueColumns;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HDF5/NetCDF4 string, compound and enum datasets made by h5py and netCDF4-python, read as
 * DataFrame columns (string, struct, enum label) and compared row by row with h5py's values.
 */
class SparkHdf5TypesTest {
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

  static Stream<Arguments> typed() {
    List<Arguments> out = new ArrayList<>();
    for (String file :
        List.of(
            "types.h5", "types.nc", "types_wild.h5", "types_jhdf_limits.h5", "compact_types.h5")) {
      for (JsonNode d : manifest.get("files").get(file).get("typed")) {
        out.add(Arguments.of(file, d.get("path").asText()));
      }
    }
    return out.stream();
  }

  static JsonNode entry(String file, String path) {
    for (JsonNode d : manifest.get("files").get(file).get("typed")) {
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
        .load(dir.resolve(file).toString());
  }

  @ParameterizedTest(name = "{0}:{1}")
  @MethodSource("typed")
  void everyRowEqualsWhatH5pyReads(String file, String path) {
    assertRowsEqualH5py(entry(file, path), read(file, path).collectAsList());
  }

  /**
   * Cells-layout rows of a typed dataset (dimension columns, then the value) hold every element
   * once, each equal to h5py's value in manifest entry {@code e}.
   */
  static void assertRowsEqualH5py(JsonNode e, List<Row> rows) {
    String path = e.get("path").asText();
    List<Long> shape = new ArrayList<>();
    e.get("shape").forEach(s -> shape.add(s.asLong()));
    int rank = shape.size();
    assertEquals(e.get("values").size(), rows.size(), path);
    Set<Long> seen = new HashSet<>();
    for (Row r : rows) {
      long linear = 0;
      for (int d = 0; d < rank; d++) {
        linear = linear * shape.get(d) + r.getLong(d);
      }
      assertTrue(seen.add(linear), "duplicate element " + linear);
      assertValue(e, (int) linear, r.get(rank), path + "[" + linear + "]");
    }
  }

  @Test
  void columnTypesAreStringStructAndEnumLabelWithCodesInMetadata() {
    StructType compound = read("types.h5", "/compound_nested").schema();
    StructType nested = (StructType) compound.apply("compound_nested").dataType();
    assertEquals(DataTypes.IntegerType, nested.apply("id").dataType());
    assertEquals(DataTypes.StringType, nested.apply("label").dataType());
    StructType pos = (StructType) nested.apply("pos").dataType();
    assertEquals(DataTypes.FloatType, pos.apply("x").dataType());
    assertEquals(DataTypes.DoubleType, pos.apply("y").dataType());

    StructType big =
        (StructType) read("types.h5", "/compound").schema().apply("compound").dataType();
    assertEquals(DataTypes.IntegerType, big.apply("u16_be").dataType(), "uint16 widens to int");

    StructField e = read("types.h5", "/enum_int16_be").schema().apply("enum_int16_be");
    assertEquals(DataTypes.StringType, e.dataType());
    Metadata codes = e.metadata().getMetadata(SparkValueColumns.ENUM_METADATA_KEY);
    assertEquals(-300L, codes.getLong("LOW"));
    assertEquals(1000L, codes.getLong("HIGH"));
    assertEquals(
        DataTypes.StringType,
        read("types.nc", "/station_name").schema().apply("station_name").dataType());
  }

  @Test
  void dimensionFilterOnAStringColumnFetchesOnlyItsChunks() {
    JsonNode e = entry("types.h5", "/vlen_big"); // 20000 strings, chunks of 20
    Dataset<Row> df = read("types.h5", "/vlen_big").where("dim_0 BETWEEN 15001 AND 15002");
    List<Row> rows = sorted(df.collectAsList());
    assertEquals(2, rows.size());
    assertEquals(e.get("values").get(15001).asText(), rows.get(0).getString(1));
    assertEquals(e.get("values").get(15002).asText(), rows.get(1).getString(1));
    assertEquals(1, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  @Test
  void compoundRowsInUnwrittenChunksAreTheFillValue() {
    JsonNode e = entry("types.h5", "/compound"); // 60 rows in chunks of 8; rows 45.. are fill
    Dataset<Row> df = read("types.h5", "/compound").where("dim_0 >= 50");
    List<Row> rows = sorted(df.collectAsList());
    assertEquals(10, rows.size());
    for (Row r : rows) {
      Row v = r.getStruct(1);
      assertEquals(-1, v.getInt(v.fieldIndex("i32")));
      assertEquals("fill", v.getString(v.fieldIndex("name")));
      assertValue(e, (int) r.getLong(0), v, "compound[" + r.getLong(0) + "]");
    }
    assertEquals(2, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  @Test
  void stringAndCompoundColumnsReadBesideANumericOne() {
    JsonNode compound = entry("types.h5", "/compound");
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .option("datasets", "/numbers,/compound,/fixed_fill")
            .load(dir.resolve("types.h5").toString())
            .where("dim_0 BETWEEN 5 AND 49")
            .orderBy("dim_0")
            .collectAsList();
    assertEquals(45, rows.size());
    for (Row r : rows) {
      int i = (int) r.getLong(0);
      assertEquals(i * 0.5, r.getDouble(1), 0.0);
      assertValue(compound, i, r.getStruct(2), "compound[" + i + "]");
      String fixed = entry("types.h5", "/fixed_fill").get("values").get(i).asText();
      assertEquals(fixed, r.getString(3));
    }
  }

  @Test
  void rowsLayoutNestsStringsAlongTheInnerAxis() {
    JsonNode e = entry("types.h5", "/vlen_ascii_2d"); // 7x5
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "/vlen_ascii_2d")
            .option("layout", "rows")
            .load(dir.resolve("types.h5").toString())
            .orderBy("dim_0")
            .collectAsList();
    assertEquals(7, rows.size());
    for (Row r : rows) {
      int i = (int) r.getLong(0);
      List<Object> inner = r.getList(1);
      assertEquals(5, inner.size());
      for (int j = 0; j < 5; j++) {
        assertEquals(e.get("values").get(i * 5 + j).asText(), inner.get(j));
      }
    }
  }

  @Test
  void enumCodeWithoutALabelIsNull() {
    List<Row> rows = read("types.h5", "/enum_int8").where("dim_0 = 6").collectAsList();
    assertEquals(1, rows.size());
    assertNull(rows.get(0).get(1), "code 7 has no label");
  }

  @Test
  void arrayMembersAreArrayColumnsAndH5pyBoolsBooleans() {
    StructType c =
        (StructType)
            read("types.h5", "/compound_array_member")
                .schema()
                .apply("compound_array_member")
                .dataType();
    assertEquals(new ArrayType(DataTypes.FloatType, false), c.apply("vec").dataType());
    assertEquals(
        new ArrayType(new ArrayType(DataTypes.ShortType, false), false), c.apply("m").dataType());
    assertEquals(new ArrayType(DataTypes.StringType, true), c.apply("colors").dataType());
    assertEquals(DataTypes.BooleanType, c.apply("flag").dataType());
    assertEquals(DataTypes.StringType, c.apply("color").dataType());
    assertEquals(
        2L,
        c.apply("color")
            .metadata()
            .getMetadata(SparkValueColumns.ENUM_METADATA_KEY)
            .getLong("BLUE"));
    assertEquals(
        DataTypes.BooleanType, read("types.h5", "/bools").schema().apply("bools").dataType());
    assertEquals(
        new ArrayType(new ArrayType(DataTypes.ShortType, false), false),
        read("types.h5", "/array_i2_be_2d").schema().apply("array_i2_be_2d").dataType());
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"/compound_array_member", "/compound_array_contiguous", "/array_f8_3d"})
  void rowsLayoutReadsArrayTypesAsH5pyDoes(String path) {
    JsonNode e = entry("types.h5", path);
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", path)
            .option("layout", "rows")
            .load(dir.resolve("types.h5").toString())
            .collectAsList();
    assertEquals(e.get("values").size(), rows.size(), "one row per element of a 1-d dataset");
    for (Row r : rows) {
      int i = (int) r.getLong(0);
      assertValue(e, i, r.get(1), path + "[" + i + "]");
    }
  }

  /** An opaque dataset jhdf cannot parse is listed as unsupported; its neighbours list and read. */
  @Test
  void opaqueDatasetIsListedUnsupportedAndItsNeighboursRead() {
    String file = dir.resolve("types_jhdf_limits.h5").toString();
    Map<String, String> types = new java.util.HashMap<>();
    for (Row r :
        spark.read().format("arraymorph").option("list", "datasets").load(file).collectAsList()) {
      types.put(r.getString(0), r.getString(3));
    }
    assertTrue(types.get("/opaque/blob").startsWith("unsupported: opaque type"), types.toString());
    assertEquals("float64", types.get("/opaque/beside"));
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "/opaque/beside")
            .load(file)
            .orderBy("dim_0")
            .collectAsList();
    assertEquals(List.of(0.0, 1.0, 2.0), rows.stream().map(r -> r.getDouble(1)).toList());
  }

  /**
   * A group holding user-defined links (which jhdf cannot parse) lists its datasets, leaving the
   * links out; its datasets read; a user-defined link is refused naming it and its link type.
   */
  @Test
  void userDefinedLinksAreLeftOutOfTheListingAndRefusedByName() {
    String file = dir.resolve("user_defined_links.h5").toString();
    List<String> listed =
        spark
            .read()
            .format("arraymorph")
            .option("list", "datasets")
            .load(file)
            .collectAsList()
            .stream()
            .map(r -> r.getString(0) + " " + r.getString(1))
            .sorted()
            .toList();
    assertEquals(List.of("/ group", "/data dataset", "/grp group", "/grp/inner dataset"), listed);
    List<Row> rows =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "/data")
            .load(file)
            .orderBy("dim_0")
            .collectAsList();
    assertEquals(List.of(0, 1, 2, 3, 4, 5), rows.stream().map(r -> r.getInt(1)).toList());
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            Exception.class,
            () ->
                spark
                    .read()
                    .format("arraymorph")
                    .option("dataset", "/udlink")
                    .load(file)
                    .collectAsList());
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.append(t.getMessage()).append(" <- ");
    }
    assertTrue(chain.toString().contains("user-defined link (link type 187)"), chain.toString());
    assertTrue(chain.toString().contains("/udlink"), chain.toString());
  }

  private static List<Row> sorted(List<Row> rows) {
    List<Row> out = new ArrayList<>(rows);
    out.sort(java.util.Comparator.comparingLong(r -> r.getLong(0)));
    return out;
  }

  private static void assertValue(JsonNode e, int i, Object actual, String where) {
    assertSpark(e.get("values").get(i), actual, where);
  }

  /**
   * A Spark value against h5py's JSON: structs against dicts, arrays against (nested) lists, ints
   * exactly, floats against their repr, booleans, strings and enum labels (null without one).
   */
  private static void assertSpark(JsonNode x, Object v, String at) {
    if (x.isObject()) {
      Row row = (Row) v;
      assertEquals(x.size(), row.size(), at);
      for (Iterator<Map.Entry<String, JsonNode>> it = x.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        assertSpark(f.getValue(), row.get(row.fieldIndex(f.getKey())), at + "." + f.getKey());
      }
    } else if (x.isArray()) {
      List<?> list =
          v instanceof scala.collection.Seq<?> seq
              ? scala.jdk.javaapi.CollectionConverters.asJava(seq)
              : (List<?>) v;
      assertEquals(x.size(), list.size(), at);
      for (int j = 0; j < x.size(); j++) {
        assertSpark(x.get(j), list.get(j), at + "[" + j + "]");
      }
    } else if (x.isNull()) {
      assertNull(v, at);
    } else if (x.isBoolean()) {
      assertEquals(x.asBoolean(), v, at);
    } else if (x.isIntegralNumber()) {
      assertEquals(x.asLong(), ((Number) v).longValue(), at);
    } else if (v instanceof Float fl) {
      assertEquals((float) Hdf5FixtureAssertions.pythonFloat(x.asText()), fl, 0f, at);
    } else if (v instanceof Double d) {
      assertEquals(Hdf5FixtureAssertions.pythonFloat(x.asText()), d, 0d, at);
    } else {
      assertEquals(x.asText(), v, at);
    }
  }
}
