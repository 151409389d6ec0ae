package io.arraymorph.hdf5;

import static io.arraymorph.hdf5.Hdf5FixtureAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.store.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * String, compound and enum datasets (fixed and variable-length strings, big-endian members and
 * codes, unwritten chunks) read as values from a local and a memory store equal what h5py reads.
 */
class Hdf5TypedValuesTest {

  static Stream<Arguments> cases() {
    return Hdf5Fixtures.fromLocalAndMemory(Hdf5Fixtures.typed());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void everyValueEqualsH5py(String kind, Hdf5Fixtures.Entry entry) {
    try (ObjectStore store = Hdf5Fixtures.store(kind, entry.file());
        Hdf5File file = Hdf5File.open(store, entry.file())) {
      Hdf5FixtureAssertions.assertTypedValuesLikeH5py(file, entry);
    }
  }

  /** A box inside the dataset (crossing chunk edges) holds h5py's values of that box. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void boxEqualsH5pyValuesOfTheBox(String kind, Hdf5Fixtures.Entry entry) {
    try (ObjectStore store = Hdf5Fixtures.store(kind, entry.file());
        Hdf5File file = Hdf5File.open(store, entry.file())) {
      Hdf5FixtureAssertions.assertTypedBoxLikeH5py(file, entry);
    }
  }

  @Test
  void listingDescribesTheTypes() {
    try (ObjectStore store = Hdf5Fixtures.store("local", "types.h5");
        Hdf5File file = Hdf5File.open(store, "types.h5")) {
      Map<String, String> types =
          file.datasets().stream().collect(Collectors.toMap(NodeInfo::path, NodeInfo::dataType));
      assertEquals("string(utf-8, variable)", types.get("/vlen_utf8_chunked"));
      assertEquals("string(ascii, 12 bytes)", types.get("/fixed_ascii_nullpad"));
      assertEquals("enum(int8){NEG=-5, RED=0, GREEN=1, BLUE=2}", types.get("/enum_int8"));
      assertEquals("enum(int16){LOW=-300, MID=0, HIGH=1000}", types.get("/enum_int16_be"));
      assertEquals(
          "compound{id: int32, pos: compound{x: float32, y: float64}, label: string(utf-8,"
              + " variable)}",
          types.get("/compound_nested"));
      assertEquals(
          "compound{id: int32, vec: float32[3], m: int16[2][2], be: int64[2], tags: string(ascii, 5"
              + " bytes)[2], color: enum(int8){NEG=-5, RED=0, GREEN=1, BLUE=2}, flag: bool, flags:"
              + " bool[3], colors: enum(int8){NEG=-5, RED=0, GREEN=1, BLUE=2}[2]}",
          types.get("/compound_array_member"));
      assertEquals("int16[2][3]", types.get("/array_i2_be_2d"));
      assertEquals("bool", types.get("/bools"));
      assertEquals(
          "enum(int64){MIN32=-2147483648, NEG=-5, ZERO=0, MAX32=2147483647}",
          types.get("/enum_int64"));
      assertEquals(
          "enum(uint32){ZERO=0, ONE_BILLION_ISH=3000000000}", types.get("/enum_uint32_be"));
      assertEquals("float64", types.get("/numbers"));
    }
  }

  @Test
  void numericMethodsOfAStringDatasetNameReadValues() {
    try (ObjectStore store = Hdf5Fixtures.store("local", "types.h5");
        Hdf5File file = Hdf5File.open(store, "types.h5")) {
      Hdf5Dataset ds = file.dataset("/vlen_utf8_chunked");
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, ds::dataType);
      assertTrue(e.getMessage().contains("readValues"), e.getMessage());
      assertTrue(e.getMessage().contains("/vlen_utf8_chunked"), e.getMessage());
      assertThrows(UnsupportedOperationException.class, ds::read);
      UnsupportedOperationException numeric =
          assertThrows(
              UnsupportedOperationException.class,
              () -> file.dataset("/numbers").readValues(Hyperslab.all(new long[] {60})));
      assertTrue(numeric.getMessage().contains("read()"), numeric.getMessage());
      assertThrows(
          IndexOutOfBoundsException.class,
          () -> ds.readValues(Hyperslab.box(new long[] {70}, new long[] {10})));
    }
  }

  @Test
  void compoundValuesComeAsMemberColumnsAndEnumsAsLabelsAndCodes() {
    try (ObjectStore store = Hdf5Fixtures.store("local", "types.h5");
        Hdf5File file = Hdf5File.open(store, "types.h5")) {
      Hdf5Dataset compound = file.dataset("/compound");
      Hdf5ElementType.Compound type =
          assertInstanceOf(Hdf5ElementType.Compound.class, compound.elementType());
      assertEquals(
          List.of("i32", "i64_be", "f32_be", "f64", "u16_be", "i8", "name"),
          type.members().stream().map(Hdf5ElementType.Member::name).toList());
      Hdf5Values v = compound.readValues(Hyperslab.box(new long[] {44}, new long[] {6}));
      // Row 44 was written; rows 45.. are the compound fill value (-1, -2, 1.5, -2.5, 7, -8, fill).
      assertEquals(-2L, ((Number) v.member("i64_be").get(3)).longValue());
      assertEquals(-2.5, ((Number) v.member("f64").get(4)).doubleValue());
      assertEquals("fill", v.member("name").strings()[5]);
      assertThrows(IllegalArgumentException.class, () -> v.member("nope"));

      Hdf5Values e =
          file.dataset("/enum_int8").readValues(Hyperslab.box(new long[] {5}, new long[] {3}));
      assertArrayEquals(new long[] {0, 7, 2}, e.codes());
      assertEquals("RED", e.strings()[0]);
      assertNull(e.strings()[1], "code 7 has no label");
    }
  }

  @Test
  void arrayMembersAreJavaArraysOfTheirShapeAndUnwrittenRowsTheFillValue() {
    try (ObjectStore store = Hdf5Fixtures.store("memory", "types.h5");
        Hdf5File file = Hdf5File.open(store, "types.h5")) {
      Hdf5Dataset ds = file.dataset("/compound_array_member"); // 40 rows, chunks of 6, 22 written
      Hdf5ElementType.Compound type = (Hdf5ElementType.Compound) ds.elementType();
      assertEquals(
          new Hdf5ElementType.Array(
              new Hdf5ElementType.Numeric(io.arraymorph.array.DataType.INT16, false),
              List.of(2, 2)),
          type.members().get(2).type());
      Hdf5Values v = ds.readValues(Hyperslab.box(new long[] {30}, new long[] {2}));
      Map<?, ?> row = (Map<?, ?>) v.get(1);
      assertArrayEquals(new float[] {1.5f, -2.5f, 3.25f}, (float[]) row.get("vec"));
      assertArrayEquals(new short[][] {{1, -2}, {3, -4}}, (short[][]) row.get("m"));
      assertArrayEquals(new long[] {-9, 1L << 40}, (long[]) row.get("be"));
      assertArrayEquals(new String[] {"f1", "f2"}, (String[]) row.get("tags"));
      assertArrayEquals(new String[] {"NEG", "GREEN"}, (String[]) row.get("colors"));
      assertEquals("BLUE", row.get("color"));
      assertEquals(true, row.get("flag"));
      assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) row.get("flags"));
      assertEquals(6, v.member("vec").items().size(), "2 rows of 3 items");

      Hdf5Values top =
          file.dataset("/array_i2_be_2d").readValues(Hyperslab.box(new long[] {5}, new long[] {1}));
      JsonNode expected = Hdf5Fixtures.typed("types.h5", "/array_i2_be_2d").meta().get("values");
      assertJson(expected.get(5), top.get(0), "array_i2_be_2d[5]");
      assertEquals(short[][].class, top.get(0).getClass());
    }
  }

  /**
   * jhdf cannot parse some enums and opaque types and fails their whole group; the group is then
   * read link by link: the enum is read by our own datatype parser, the opaque type is reported for
   * that dataset alone, and its neighbours still read.
   */
  @Test
  void typesJhdfCannotParseFailAloneAndTheirNeighboursAreListedAndRead() {
    try (ObjectStore store = Hdf5Fixtures.store("memory", "types_jhdf_limits.h5");
        Hdf5File file = Hdf5File.open(store, "types_jhdf_limits.h5")) {
      assertArrayEquals(
          new String[] {"NEG", "ONE"},
          ((Hdf5Dataset) file.dataset("/enum_int32/codes"))
              .readValues(Hyperslab.all(new long[] {2}))
              .strings(),
          "an enum jhdf cannot parse, read by our own datatype parser");
      Hdf5UnsupportedException opaque =
          assertThrows(Hdf5UnsupportedException.class, () -> file.dataset("/opaque/blob"));
      assertTrue(opaque.getMessage().contains("opaque type"), opaque.getMessage());

      Map<String, String> types =
          file.datasets().stream().collect(Collectors.toMap(NodeInfo::path, NodeInfo::dataType));
      assertEquals("int32", types.get("/plain"));
      assertEquals("float64", types.get("/opaque/beside"));
      assertTrue(
          types.get("/opaque/blob").startsWith("unsupported: opaque type"), types.toString());
      assertTrue(types.get("/enum_uint32_high/codes").startsWith("enum("), types.toString());
      io.arraymorph.array.NdArray beside =
          file.dataset("/opaque/beside").read(Hyperslab.all(new long[] {3}));
      assertArrayEquals(new double[] {0, 1, 2}, beside.toDoubleArray(), 0.0);
      assertEquals("int16", types.get("/opaque/inner/deeper"), "a group beside the opaque one");
      assertArrayEquals(
          new double[] {0, 1, 2},
          file.dataset("/opaque/alias").read(Hyperslab.all(new long[] {3})).toDoubleArray(),
          0.0,
          "a soft link beside it");
    }
  }

  /** The same with compact and dense (fractal heap) link storage, and at the root group. */
  @Test
  void newerGroupFormatsAreReadLinkByLinkToo() {
    try (ObjectStore store = Hdf5Fixtures.store("local", "types_jhdf_limits_latest.h5");
        Hdf5File file = Hdf5File.open(store, "types_jhdf_limits_latest.h5")) {
      Map<String, String> types =
          file.datasets().stream().collect(Collectors.toMap(NodeInfo::path, NodeInfo::dataType));
      assertEquals("float64", types.get("/compact/beside"));
      assertEquals("int16", types.get("/compact/inner/deeper"));
      for (int i = 0; i < 12; i++) {
        assertEquals("int32", types.get(String.format("/dense/d%02d", i)), types.toString());
      }
      for (String blob : List.of("/compact/blob", "/dense/blob", "/blob_at_root")) {
        assertTrue(types.get(blob).startsWith("unsupported: opaque type"), blob + " " + types);
      }
      assertArrayEquals(
          new double[] {0, 1, 2, 3},
          file.dataset("/dense/alias").read(Hyperslab.all(new long[] {4})).toDoubleArray(),
          0.0);
    }
  }
}
