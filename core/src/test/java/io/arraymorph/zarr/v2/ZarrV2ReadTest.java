package io.arraymorph.zarr.v2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.testing.PythonFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads Zarr v2 arrays written by zarr-python and compares every value with what it read. */
class ZarrV2ReadTest {
  @TempDir static Path fixtures;
  static JsonNode manifest;

  @BeforeAll
  static void makeFixtures() throws IOException {
    PythonFixtures.generate("make_zarr_v2_fixtures.py", fixtures);
    manifest = new ObjectMapper().readTree(fixtures.resolve("manifest.json").toFile());
  }

  private static ArrayStore store() {
    return ArrayStore.open(fixtures.resolve("store").toString());
  }

  @Test
  void everyArrayReadsExactlyAsZarrPythonReadsIt() throws IOException {
    List<String> checked = new ArrayList<>();
    try (ArrayStore store = store()) {
      Iterator<Map.Entry<String, JsonNode>> it = manifest.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().has("error")) {
          continue;
        }
        Dataset d = store.dataset(e.getKey());
        long[] shape = new ObjectMapper().convertValue(e.getValue().get("shape"), long[].class);
        assertArrayEquals(shape, d.shape(), e.getKey());
        byte[] expected =
            Files.readAllBytes(
                fixtures.resolve("ref").resolve(e.getKey().replace('/', '_') + ".bin"));
        assertArrayEquals(expected, d.read().bytes(), "values of " + e.getKey());
        checked.add(e.getKey());
      }
    }
    assertTrue(checked.size() >= 35, "checked " + checked);
  }

  @Test
  void fortranOrderBigEndianSliceMatchesTheSameSliceOfTheWholeArray() {
    try (ArrayStore store = store()) {
      Dataset d = store.dataset("float64_be_gzip_f");
      NdArray whole = d.read();
      NdArray slice =
          d.read(
              new Hyperslab(
                  new long[] {1, 2, 0},
                  new long[] {3, 4, 2},
                  new long[] {3, 3, 2},
                  new long[] {2, 1, 1}));
      for (int a = 0; a < 6; a++) {
        for (int b = 0; b < 3; b++) {
          for (int c = 0; c < 2; c++) {
            long i = 1L + (a / 2) * 3L + a % 2;
            long j = 2 + b * 4L;
            long k = c * 2L;
            assertEquals(whole.getDouble(i, j, k), slice.getDouble(a, b, c));
          }
        }
      }
    }
  }

  @Test
  void unwrittenChunksReadAsTheFillValue() {
    try (ArrayStore store = store()) {
      NdArray v = store.dataset("int32_zlib").read(new long[] {30, 20}, new long[] {7, 3});
      assertTrue(Arrays.stream(v.toIntArray()).allMatch(x -> x == -1));
    }
  }

  @Test
  void xarrayDimensionNamesAndAttributesAreExposed() {
    try (ArrayStore store = store()) {
      Dataset t = store.dataset("climate/temperature");
      assertEquals(List.of("lat", "lon"), t.dimensionNames());
      assertEquals("K", t.attributes().get("units"));
      NodeInfo group =
          store.list().stream().filter(n -> n.path().equals("climate")).findFirst().orElseThrow();
      assertEquals(NodeInfo.Kind.GROUP, group.kind());
      assertEquals("fixture group", group.attributes().get("title"));
    }
  }

  @Test
  void zarrPython2DefaultBloscArrayReadsWithItsCodecNamed() throws IOException {
    try (ArrayStore store = store()) {
      Dataset d = store.dataset("blosc/default");
      assertTrue(d.codecDescription().contains("blosc"), d.codecDescription());
      byte[] expected = Files.readAllBytes(fixtures.resolve("ref").resolve("blosc_default.bin"));
      assertArrayEquals(expected, d.read().bytes());
      // a slice across chunk edges, against the same cells of the whole array
      NdArray slice = d.read(Hyperslab.box(new long[] {15, 25}, new long[] {10, 10}));
      for (int i = 0; i < 10; i++) {
        for (int j = 0; j < 10; j++) {
          assertEquals((float) ((15 + i) * 50 + 25 + j) * 0.25f, slice.getDouble(i * 10 + j));
        }
      }
    }
  }

  @Test
  void everyBloscCodecAndShuffleIsRead() {
    List<String> blosc = new ArrayList<>();
    manifest.fieldNames().forEachRemaining(n -> blosc.add(n));
    blosc.removeIf(n -> !n.startsWith("blosc/"));
    for (String cname : List.of("blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd")) {
      for (String shuffle : List.of("noshuffle", "shuffle", "bitshuffle")) {
        assertTrue(
            blosc.stream().anyMatch(n -> n.startsWith("blosc/" + cname + "_" + shuffle + "_")),
            cname + " " + shuffle + " in " + blosc);
      }
    }
  }

  @Test
  void corruptBloscChunkFailsNamingBloscAndTheChunk() throws IOException {
    Path copy = fixtures.resolve("damaged");
    Path array = copy.resolve("blosc").resolve("lz4_multiblock_f4");
    Files.createDirectories(array);
    Path source = fixtures.resolve("store").resolve("blosc").resolve("lz4_multiblock_f4");
    Files.copy(source.resolve(".zarray"), array.resolve(".zarray"));
    byte[] chunk = Files.readAllBytes(source.resolve("0.0"));
    // the second block's offset now points past the frame
    chunk[20] = (byte) 0xff;
    chunk[21] = (byte) 0xff;
    chunk[22] = (byte) 0xff;
    chunk[23] = (byte) 0x7f;
    Files.write(array.resolve("0.0"), chunk);
    try (ArrayStore store = ArrayStore.open(copy.toString())) {
      Dataset d = store.dataset("blosc/lz4_multiblock_f4");
      ArrayMorphException e = assertThrows(ArrayMorphException.class, d::read);
      String message = messages(e);
      assertTrue(message.contains("Blosc"), message);
      assertTrue(message.contains("blosc/lz4_multiblock_f4/0.0"), message);
    }
  }

  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append(" / ");
    }
    return sb.toString();
  }

  @Test
  void writingToAZarrV2ArrayIsRefusedWithAHowTo() {
    try (ArrayStore store = store()) {
      Dataset d = store.dataset("int32_zlib");
      UnsupportedOperationException e =
          assertThrows(
              UnsupportedOperationException.class,
              () -> d.write(new long[] {0, 0}, NdArray.of(new int[] {1}, 1, 1)));
      assertTrue(e.getMessage().contains("Zarr v3"), e.getMessage());
    }
  }
}
