package io.arraymorph.legacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.PythonFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads datasets in the ArrayMorph C++ plugin's layout, made with the real libhdf5's type handles.
 */
class LegacyDatasetTest {
  @TempDir static Path fixtures;
  static JsonNode manifest;

  @BeforeAll
  static void makeFixtures() throws IOException {
    PythonFixtures.generate("make_legacy_fixtures.py", fixtures);
    manifest = new ObjectMapper().readTree(fixtures.resolve("manifest.json").toFile());
  }

  private static ArrayStore store(Map<String, String> options) {
    return ArrayStore.open(fixtures.resolve("store").toString(), StoreSettings.of(options));
  }

  @Test
  void everyNativeTypeReadsTheValuesThatWereWritten() throws IOException {
    int checked = 0;
    try (ArrayStore store = store(Map.of())) {
      Iterator<Map.Entry<String, JsonNode>> it = manifest.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().has("unknown")) {
          continue;
        }
        if (e.getKey().equals("ullong")) {
          continue; // its 1.10 handle is 1.14's INT64 handle: see the next test
        }
        Dataset d = store.dataset("file.h5/" + e.getKey());
        byte[] expected = Files.readAllBytes(fixtures.resolve("ref/" + e.getKey() + ".bin"));
        assertArrayEquals(expected, d.read().bytes(), e.getKey());
        checked++;
      }
    }
    assertEquals(9, checked);
  }

  @Test
  void ullongOfHdf5_110ReadsAsInt64OfHdf5_114UnlessDtypeSaysUint64() throws IOException {
    byte[] expected = Files.readAllBytes(fixtures.resolve("ref/ullong.bin"));
    try (ArrayStore store = store(Map.of())) {
      Dataset d = store.dataset("file.h5/ullong");
      assertEquals(DataType.INT64, d.dataType(), "the plugin runs on HDF5 1.14");
      assertArrayEquals(expected, d.read().bytes(), "same bits");
    }
    try (ArrayStore store = store(Map.of("dtype", "uint64"))) {
      Dataset d = store.dataset("file.h5/ullong");
      assertEquals(DataType.UINT64, d.dataType());
      assertArrayEquals(expected, d.read().bytes());
    }
  }

  @Test
  void aSliceFetchesOnlyTheChunksItOverlapsAndMissingChunksReadAsZero() {
    try (ArrayStore store = store(Map.of())) {
      Dataset d = store.dataset("file.h5/int32");
      assertEquals(DataType.INT32, d.dataType());
      NdArray whole = d.read();
      store.stats().reset();
      // rows 12..19, columns 3..7: chunk rows 1, chunk columns 0..1 -> 2 chunks
      NdArray slice = d.read(new long[] {12, 3}, new long[] {8, 5});
      assertEquals(2, store.stats().gets());
      for (int i = 0; i < 8; i++) {
        for (int j = 0; j < 5; j++) {
          assertEquals(whole.getInt(12 + i, 3 + j), slice.getInt(i, j));
        }
      }
      // chunk 3 (chunk row 0, column 3: rows 0..9, columns 15..16) was never written
      NdArray missing = d.read(new long[] {0, 15}, new long[] {10, 2});
      for (int v : missing.toIntArray()) {
        assertEquals(0, v);
      }
    }
  }

  @Test
  void anUnknownTypeHandleAsksForTheDtypeOption() {
    try (ArrayStore store = store(Map.of())) {
      ArrayMorphException e =
          assertThrows(ArrayMorphException.class, () -> store.dataset("file.h5/unknown_type"));
      assertTrue(e.getMessage().contains("dtype"), e.getMessage());
    }
    try (ArrayStore store = store(Map.of("dtype", "float32"))) {
      assertEquals(4, store.dataset("file.h5/unknown_type").read().size());
    }
  }

  @Test
  void aTruncatedMetaObjectFailsWithAClearError() throws IOException {
    Path meta = fixtures.resolve("store/file.h5/float/meta");
    byte[] original = Files.readAllBytes(meta);
    try {
      Files.write(meta, java.util.Arrays.copyOf(original, 20));
      try (ArrayStore store = store(Map.of())) {
        ArrayMorphException e =
            assertThrows(ArrayMorphException.class, () -> store.dataset("file.h5/float"));
        assertTrue(e.getMessage().contains("file.h5/float/meta"), e.getMessage());
      }
      byte[] hostile = original.clone();
      hostile[0] = (byte) 0xff;
      hostile[3] = 0x7f; // name length ~2^31
      Files.write(meta, hostile);
      try (ArrayStore store = store(Map.of())) {
        ArrayMorphException e =
            assertThrows(ArrayMorphException.class, () -> store.dataset("file.h5/float"));
        assertTrue(e.getMessage().contains("length"), e.getMessage());
      }
    } finally {
      Files.write(meta, original);
    }
  }

  @Test
  void aChunkOfTheWrongSizeIsReportedWithItsKey() throws IOException {
    Path chunk = fixtures.resolve("store/file.h5/ushort/1");
    byte[] original = Files.readAllBytes(chunk);
    try {
      Files.write(chunk, new byte[3]);
      try (ArrayStore store = store(Map.of())) {
        ArrayMorphException e =
            assertThrows(ArrayMorphException.class, () -> store.dataset("file.h5/ushort").read());
        assertTrue(e.getMessage().contains("file.h5/ushort/1"), e.getMessage());
      }
    } finally {
      Files.write(chunk, original);
    }
  }
}
