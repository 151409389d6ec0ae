package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ChunkPart;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest of CF granules reads, through {@link ArrayStore}, exactly the values xarray's {@code
 * open_mfdataset} gives for the same files, and opening it touches no granule.
 */
class ManifestReadsLikeXarrayTest {
  @TempDir static Path tmp;
  static Path granules;
  static Path manifest;

  @BeforeAll
  static void build() {
    granules = CfGranules.make("count=3,steps=8,lat=30,lon=40", tmp.resolve("granules"));
    manifest = tmp.resolve("collection.manifest");
    // Shuffled input: the writer orders granules by their time coordinate.
    List<String> files = CfGranules.files(granules);
    List<String> shuffled = List.of(files.get(2), files.get(0), files.get(1));
    ManifestWriter.Result r = CfGranules.index(shuffled, manifest, ManifestWriter.Options.DEFAULT);
    assertEquals(3, r.granules());
    assertEquals(24, r.records());
  }

  @Test
  void everyVariableEqualsXarraysOpenMfdataset() {
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      for (String v : List.of("tas", "time", "lat", "lon")) {
        Dataset ds = store.dataset(v);
        NdArray all = ds.read();
        assertArrayEquals(CfGranules.reference(granules, v), all.bytes(), v);
      }
      Dataset tas = store.dataset("tas");
      assertArrayEquals(new long[] {24, 30, 40}, tas.shape());
      assertEquals(List.of("time", "lat", "lon"), tas.dimensionNames());
      assertEquals("K", tas.attributes().get("units"));
      assertEquals("days since 2021-01-01", store.dataset("time").attributes().get("units"));
    }
  }

  @Test
  void aSelectionAcrossTwoGranulesReadsOnlyItsChunks() {
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      Dataset tas = store.dataset("tas");
      NdArray box = tas.read(new long[] {6, 3, 5}, new long[] {4, 2, 3});
      float[] ref = floats(CfGranules.reference(granules, "tas"));
      for (int t = 0; t < 4; t++) {
        for (int y = 0; y < 2; y++) {
          for (int x = 0; x < 3; x++) {
            float want = ref[((6 + t) * 30 + 3 + y) * 40 + 5 + x];
            assertEquals(want, box.getDouble((t * 2 + y) * 3 + x), 0.0);
          }
        }
      }
    }
  }

  /**
   * Chunks asked for together, from several granules in any order, each whole or only a point of it
   * (a Spark task's batch: one call per granule), are xarray's values.
   */
  @Test
  void chunksReadTogetherFromSeveralGranulesAreXarraysValues() {
    float[] ref = floats(CfGranules.reference(granules, "tas"));
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      ManifestDataset tas = (ManifestDataset) store.dataset("tas");
      int[] chunk = tas.grid().chunkShape();
      List<long[]> coords = new ArrayList<>();
      List<ChunkSelection> needed = new ArrayList<>();
      // Time steps of granules 2, 0 and 1, interleaved; every third one only its point (t, 7, 9).
      for (int t : new int[] {17, 3, 9, 16, 0, 23, 10, 4, 8, 15}) {
        long[] c = {t / chunk[0], 0, 0};
        coords.add(c);
        needed.add(
            coords.size() % 3 == 0
                ? tas.grid()
                    .plan(Hyperslab.box(new long[] {t, 7, 9}, new long[] {1, 1, 1}))
                    .iterator()
                    .next()
                : null);
      }
      long rangesBefore = store.stats().rangeGets();
      List<CompletableFuture<ChunkPart>> got = tas.readChunks(coords, needed);
      for (int i = 0; i < coords.size(); i++) {
        ChunkPart part = got.get(i).join();
        float[] values = floats(part.data());
        int t = (int) coords.get(i)[0] * chunk[0];
        // A whole chunk when nothing narrower is needed, else only the point's element.
        long first = needed.get(i) == null ? 0 : 7 * 40 + 9;
        assertEquals(first, part.firstElement(), "time " + t);
        assertEquals(needed.get(i) == null ? 30 * 40 : 1, values.length, "time " + t);
        for (int e = 0; e < values.length; e++) {
          assertEquals(
              ref[(int) (t * 30L * 40 + first + e)], values[e], 0.0, "time " + t + " element " + e);
        }
      }
      assertEquals(coords.size(), store.stats().rangeGets() - rangesBefore, "one range a chunk");
    }
  }

  @Test
  void openingTheManifestReadsNoGranule() {
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      long before = store.stats().requests();
      for (String v : List.of("tas", "time", "lat", "lon")) {
        store.dataset(v);
      }
      // One GET of each array's zarr.json: nothing of any granule, whatever their number.
      assertEquals(4, store.stats().requests() - before, store.stats().toString());
      ManifestDataset tas = (ManifestDataset) store.dataset("tas");
      long opened = store.stats().requests();
      tas.read(new long[] {0, 0, 0}, new long[] {1, 30, 40});
      // The shard, the granule table and one ranged GET of the granule's chunk.
      assertEquals(3, store.stats().requests() - opened, store.stats().toString());
    }
    // A manifest of one granule costs the same to open: the count does not grow with granules.
    Path single = tmp.resolve("single.manifest");
    CfGranules.index(
        CfGranules.files(granules).subList(0, 1), single, ManifestWriter.Options.DEFAULT);
    try (ArrayStore store = ArrayStore.open(single.toString())) {
      long before = store.stats().requests();
      for (String v : List.of("tas", "time", "lat", "lon")) {
        store.dataset(v);
      }
      assertEquals(4, store.stats().requests() - before, store.stats().toString());
    }
  }

  @Test
  void granulesGiveRecordRangesAndCoordinateRanges() {
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      ManifestDataset tas = (ManifestDataset) store.dataset("tas");
      List<GranuleRange> g = tas.granules();
      assertEquals(3, g.size());
      double[] time = doubles(CfGranules.reference(granules, "time"));
      for (int i = 0; i < 3; i++) {
        assertEquals(i, g.get(i).fileId());
        assertTrue(g.get(i).url().endsWith(String.format("granule_%04d.nc", i)), g.get(i).url());
        assertEquals(8L * i, g.get(i).recordStart());
        assertEquals(8, g.get(i).recordCount());
        double[] mine = Arrays.copyOfRange(time, 8 * i, 8 * i + 8);
        assertEquals(Arrays.stream(mine).min().getAsDouble(), g.get(i).min("time"), 0.0);
        assertEquals(Arrays.stream(mine).max().getAsDouble(), g.get(i).max("time"), 0.0);
        assertEquals(-89.0, g.get(i).min("lat"), 1e-6);
        assertEquals(89.0, g.get(i).max("lat"), 1e-6);
      }
    }
  }

  @Test
  void listingShowsTheArraysAndTheGroup() {
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      List<String> paths = store.list().stream().map(n -> n.path()).sorted().toList();
      assertTrue(paths.containsAll(List.of("tas", "time", "lat", "lon")), paths.toString());
      Object m = store.groupAttributes("").get(ManifestFormat.GROUP_ATTRIBUTE);
      assertTrue(m instanceof java.util.Map<?, ?>, String.valueOf(m));
      assertEquals("ArrayMorph CF granule fixture", store.groupAttributes("").get("title"));
    }
  }

  static float[] floats(byte[] le) {
    java.nio.FloatBuffer b =
        java.nio.ByteBuffer.wrap(le).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  static double[] doubles(byte[] le) {
    java.nio.DoubleBuffer b =
        java.nio.ByteBuffer.wrap(le).order(java.nio.ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
    double[] out = new double[b.remaining()];
    b.get(out);
    return out;
  }
}
