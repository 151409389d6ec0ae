package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ArrayReader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares what an open {@link Hdf5File} reads with h5py's view of a fixture dataset (its manifest
 * entry and reference bytes). Shared by the tests of every store the fixtures are read from: local
 * and memory here, S3Proxy and Azurite in the store modules (through core's test-jar).
 */
public final class Hdf5FixtureAssertions {
  private Hdf5FixtureAssertions() {}

  /**
   * A numeric dataset's shape, type, byte order, layout, chunks, index, dimension names and filters
   * equal h5py's, and its whole array read through the read engine equals h5py's bytes.
   */
  public static void assertReadsLikeH5py(Hdf5File file, Hdf5Fixtures.Entry entry) {
    JsonNode meta = entry.meta();
    Hdf5Dataset ds = file.dataset(entry.path());
    long[] shape = longs(meta.get("shape"));
    assertArrayEquals(shape, ds.shape(), "shape");
    assertEquals(meta.get("dtype").asText(), ds.dataType().zarrName(), "dtype");
    String listed = meta.path("listed_type").asText(meta.get("dtype").asText());
    assertEquals(listed, ds.info().dataType(), "type in the listing");
    assertEquals(meta.get("big_endian").asBoolean(), ds.storedBigEndian(), "byte order");
    assertEquals(
        meta.get("layout").asText().toUpperCase(Locale.ROOT), ds.layout().name(), "layout");
    if (!meta.get("chunks").isNull()) {
      assertArrayEquals(ints(meta.get("chunks")), ds.chunkShape(), "chunk shape");
    }
    if (!meta.get("allocated_chunks").isNull()) {
      assertEquals(meta.get("allocated_chunks").asInt(), ds.chunkIndex().size(), "stored chunks");
    }
    if (meta.has("index")) {
      assertEquals(meta.get("index").asText().replace('_', '-'), ds.indexType(), "chunk index");
    }
    if (meta.has("dimension_names")) {
      assertEquals(texts(meta.get("dimension_names")), ds.dimensionNames(), "dimension names");
    }
    if (meta.get("fletcher32").asBoolean()) {
      assertTrue(ds.codecDescription().contains("fletcher32"), ds.codecDescription());
    }

    NdArray all = new ArrayReader(ds.chunkSource(), 8).read(Hyperslab.all(shape));

    byte[] expected = entry.reference();
    assertEquals(expected.length, all.bytes().length, "byte length");
    assertEquals(-1, firstDifference(expected, all.bytes()), "first differing byte of " + entry);
  }

  /**
   * A string, compound or enum dataset's shape, layout, element size, chunks and dimension names
   * equal h5py's, and every value read equals h5py's decoded value.
   */
  public static void assertTypedValuesLikeH5py(Hdf5File file, Hdf5Fixtures.Entry entry) {
    JsonNode meta = entry.meta();
    Hdf5Dataset ds = file.dataset(entry.path());
    long[] shape = longs(meta.get("shape"));
    assertArrayEquals(shape, ds.shape(), "shape");
    assertEquals(
        meta.get("layout").asText().toUpperCase(Locale.ROOT), ds.layout().name(), "layout");
    if (!meta.get("element_size").isNull()) {
      assertEquals(meta.get("element_size").asInt(), ds.elementBytes(), "element bytes");
    }
    if (!meta.get("chunks").isNull()) {
      assertArrayEquals(ints(meta.get("chunks")), ds.chunkShape(), "chunk shape");
      assertEquals(meta.get("allocated_chunks").asInt(), ds.chunkIndex().size(), "chunks");
    }
    if (meta.has("dimension_names")) {
      assertEquals(texts(meta.get("dimension_names")), ds.dimensionNames());
    }

    Hdf5Values all = ds.readValues(Hyperslab.all(shape));

    assertEquals(meta.get("values").size(), all.size());
    for (int i = 0; i < all.size(); i++) {
      assertValue(meta, i, all, i);
    }
  }

  /**
   * A box inside a typed dataset (from a third of each extent, half of it long, so it crosses chunk
   * edges) holds h5py's values of that box.
   */
  public static void assertTypedBoxLikeH5py(Hdf5File file, Hdf5Fixtures.Entry entry) {
    JsonNode meta = entry.meta();
    long[] shape = longs(meta.get("shape"));
    long[] start = new long[shape.length];
    long[] count = new long[shape.length];
    for (int d = 0; d < shape.length; d++) {
      start[d] = shape[d] / 3;
      count[d] = Math.max(1, shape[d] / 2);
    }
    Hdf5Values box = file.dataset(entry.path()).readValuesAsync(Hyperslab.box(start, count)).join();
    List<Integer> flat = boxIndices(shape, start, count);
    assertEquals(flat.size(), box.size());
    for (int i = 0; i < flat.size(); i++) {
      assertValue(meta, flat.get(i), box, i);
    }
  }

  /**
   * Opening an unsupported dataset fails with an {@link Hdf5UnsupportedException} naming the
   * manifest's {@code feature} and the dataset's path.
   */
  public static void assertUnsupportedNamesFeatureAndPath(Hdf5File file, Hdf5Fixtures.Entry entry) {
    String feature = entry.meta().get("feature").asText();
    Hdf5UnsupportedException e =
        assertThrows(Hdf5UnsupportedException.class, () -> file.dataset(entry.path()));
    assertTrue(
        e.getMessage().toLowerCase(Locale.ROOT).contains(feature),
        "'" + e.getMessage() + "' names " + feature);
    assertEquals(entry.path(), e.path());
    assertTrue(e.getMessage().contains(entry.path()), e.getMessage());
  }

  /** Value {@code i} of {@code values} equals h5py's value {@code ref} of the dataset. */
  public static void assertValue(JsonNode meta, int ref, Hdf5Values values, int i) {
    String where = meta.get("path").asText() + "[" + ref + "]";
    JsonNode expected = meta.get("values").get(ref);
    switch (meta.get("kind").asText()) {
      case "string" -> assertEquals(expected.asText(), values.strings()[i], where);
      case "enum" -> {
        assertEquals(expected.isNull() ? null : expected.asText(), values.strings()[i], where);
        assertEquals(meta.get("codes").get(ref).asLong(), values.codes()[i], where);
      }
      default -> assertJson(expected, values.get(i), where);
    }
  }

  /**
   * Compares a value with h5py's JSON: compounds as dicts (floats as repr strings, ints, strings,
   * booleans, enum labels or null), array types as (nested) lists against Java arrays.
   */
  @SuppressWarnings("unchecked")
  public static void assertJson(JsonNode e, Object v, String at) {
    if (e.isObject()) {
      Map<String, Object> row = (Map<String, Object>) v;
      List<String> names = new ArrayList<>();
      e.fieldNames().forEachRemaining(names::add);
      assertEquals(names.stream().sorted().toList(), row.keySet().stream().sorted().toList(), at);
      for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        assertJson(f.getValue(), row.get(f.getKey()), at + "." + f.getKey());
      }
    } else if (e.isArray()) {
      assertTrue(v != null && v.getClass().isArray(), at + ": " + v);
      assertEquals(e.size(), java.lang.reflect.Array.getLength(v), at);
      for (int j = 0; j < e.size(); j++) {
        assertJson(e.get(j), java.lang.reflect.Array.get(v, j), at + "[" + j + "]");
      }
    } else if (e.isNull()) {
      assertNull(v, at);
    } else if (e.isBoolean()) {
      assertEquals(e.asBoolean(), v, at);
    } else if (e.isIntegralNumber()) {
      assertEquals(e.asLong(), ((Number) v).longValue(), at);
    } else if (v instanceof Float x) {
      assertEquals((float) pythonFloat(e.asText()), x, 0f, at);
    } else if (v instanceof Double x) {
      assertEquals(pythonFloat(e.asText()), x, 0d, at);
    } else {
      assertEquals(e.asText(), v, at);
    }
  }

  /** A float as Python's repr writes it ({@code nan}, {@code inf}, {@code -inf} included). */
  public static double pythonFloat(String repr) {
    return switch (repr) {
      case "nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(repr);
    };
  }

  /** h5py's enum mapping, label to code. */
  public static Map<String, Long> mapping(JsonNode n) {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    n.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asLong()));
    return out;
  }

  /** Row-major indices of a box's elements in the whole array. */
  public static List<Integer> boxIndices(long[] shape, long[] start, long[] count) {
    List<Integer> out = new ArrayList<>();
    long[] idx = start.clone();
    long total = 1;
    for (long c : count) {
      total *= c;
    }
    for (long n = 0; n < total; n++) {
      long flat = 0;
      for (int d = 0; d < shape.length; d++) {
        flat = flat * shape[d] + idx[d];
      }
      out.add((int) flat);
      for (int d = shape.length - 1; d >= 0; d--) {
        if (++idx[d] < start[d] + count[d]) {
          break;
        }
        idx[d] = start[d];
      }
    }
    return out;
  }

  /**
   * h5py's bytes of a box of a numeric dataset, cut from its reference bytes of the whole array.
   */
  public static byte[] referenceBox(Hdf5Fixtures.Entry entry, long[] start, long[] count) {
    long[] shape = longs(entry.meta().get("shape"));
    byte[] all = entry.reference();
    long elements = 1;
    for (long n : shape) {
      elements *= n;
    }
    int size = (int) (all.length / elements);
    List<Integer> flat = boxIndices(shape, start, count);
    byte[] out = new byte[flat.size() * size];
    for (int i = 0; i < flat.size(); i++) {
      System.arraycopy(all, flat.get(i) * size, out, i * size, size);
    }
    return out;
  }

  private static int firstDifference(byte[] a, byte[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return -1;
  }

  /** A JSON array of integers as longs. */
  public static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  /** A JSON array of integers as ints. */
  public static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(x -> out.add(x.asText()));
    return out;
  }
}
