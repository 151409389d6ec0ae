package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ArrayReader;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every dataset of every fixture, read whole through the read engine from a local and a memory
 * store, equals what h5py (libhdf5) reads, byte for byte; its metadata matches too.
 */
class Hdf5ReadsEveryFixtureDatasetTest {

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Hdf5Fixtures.Entry e : Hdf5Fixtures.datasets()) {
      out.add(Arguments.of("local", e));
      out.add(Arguments.of("memory", e));
    }
    return out.stream();
  }

  private static ObjectStore store(String kind, String file) {
    if (kind.equals("local")) {
      return new LocalObjectStore(Hdf5Fixtures.dir(), 4);
    }
    MemoryObjectStore mem = new MemoryObjectStore();
    mem.put(file, Hdf5Fixtures.bytes(file)).join();
    return mem;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void wholeArrayEqualsH5pyValues(String kind, Hdf5Fixtures.Entry entry) {
    JsonNode meta = entry.meta();
    try (ObjectStore store = store(kind, entry.file());
        Hdf5File file = Hdf5File.open(store, entry.file())) {
      Hdf5Dataset ds = file.dataset(entry.path());
      long[] shape = longs(meta.get("shape"));
      assertArrayEquals(shape, ds.shape(), "shape");
      assertEquals(meta.get("dtype").asText(), ds.dataType().zarrName(), "dtype");
      assertEquals(meta.get("big_endian").asBoolean(), ds.storedBigEndian(), "byte order");
      assertEquals(meta.get("layout").asText().toUpperCase(), ds.layout().name(), "layout");
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
        List<String> names = new ArrayList<>();
        meta.get("dimension_names").forEach(n -> names.add(n.asText()));
        assertEquals(names, ds.dimensionNames(), "dimension names");
      }
      if (meta.get("fletcher32").asBoolean()) {
        assertTrue(ds.codecDescription().contains("fletcher32"), ds.codecDescription());
      }

      NdArray all = new ArrayReader(ds.chunkSource(), 8).read(Hyperslab.all(shape));

      byte[] expected = entry.reference();
      assertEquals(expected.length, all.bytes().length, "byte length");
      int firstDiff = firstDifference(expected, all.bytes());
      assertEquals(-1, firstDiff, "first differing byte of " + entry);
    }
  }

  private static int firstDifference(byte[] a, byte[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return -1;
  }

  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asLong();
    }
    return out;
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }
}
