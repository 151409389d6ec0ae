package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.util.ArrayList;
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
    List<Arguments> out = new ArrayList<>();
    for (Hdf5Fixtures.Entry e : Hdf5Fixtures.typed()) {
      out.add(Arguments.of("local", e));
      out.add(Arguments.of("memory", e));
    }
    return out.stream();
  }

  static ObjectStore store(String kind, String file) {
    if (kind.equals("local")) {
      return new LocalObjectStore(Hdf5Fixtures.dir(), 4);
    }
    MemoryObjectStore mem = new MemoryObjectStore();
    mem.put(file, Hdf5Fixtures.bytes(file)).join();
    return mem;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void everyValueEqualsH5py(String kind, Hdf5Fixtures.Entry entry) {
    try (ObjectStore store = store(kind, entry.file());
        Hdf5File file = Hdf5File.open(store, entry.file())) {
      Hdf5FixtureAssertions.assertTypedValuesLikeH5py(file, entry);
    }
  }

  /** A box inside the dataset (crossing chunk edges) holds h5py's values of that box. */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void boxEqualsH5pyValuesOfTheBox(String kind, Hdf5Fixtures.Entry entry) {
    try (ObjectStore store = store(kind, entry.file());
        Hdf5File file = Hdf5File.open(store, entry.file())) {
      Hdf5FixtureAssertions.assertTypedBoxLikeH5py(file, entry);
    }
  }

  @Test
  void listingDescribesTheTypes() {
    try (ObjectStore store = store("local", "types.h5");
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
          "unsupported: array member 'vec' of a compound type",
          types.get("/compound_array_member"));
      assertEquals("float64", types.get("/numbers"));
    }
  }

  @Test
  void numericMethodsOfAStringDatasetNameReadValues() {
    try (ObjectStore store = store("local", "types.h5");
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
    try (ObjectStore store = store("local", "types.h5");
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
}
