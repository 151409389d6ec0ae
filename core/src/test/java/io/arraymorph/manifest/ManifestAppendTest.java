package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Appending granules publishes a new manifest version that reads as xarray reads all files, while a
 * handle on the old version keeps reading it; granules that disagree are refused before anything is
 * written, naming the granule and the disagreement.
 */
class ManifestAppendTest {
  private static final String GRID = "steps=4,lat=12,lon=10";
  @TempDir static Path tmp;
  static Path all;
  static List<String> files;

  @BeforeAll
  static void granules() {
    all = CfGranules.make("count=5," + GRID, tmp.resolve("all"));
    files = CfGranules.files(all);
  }

  /** Small shards, so an append carries the old last shard's references into a new one. */
  private static ManifestWriter.Options options() {
    return ManifestWriter.Options.DEFAULT.withEntriesPerShard(3);
  }

  @Test
  void appendedManifestEqualsXarrayOverAllFilesAndTheOldVersionStaysReadable() {
    Path manifest = tmp.resolve("append.manifest");
    CfGranules.index(files.subList(0, 3), manifest, options());
    try (ArrayStore before = ArrayStore.open(manifest.toString())) {
      Dataset oldTas = before.dataset("tas");
      ManifestWriter.Result r =
          CfGranules.index(files.subList(3, 5), manifest, options().withAppend(true));
      assertEquals(2, r.added());
      assertEquals(5, r.granules());
      assertEquals(20, r.records());
      assertEquals(2, r.generation());
      byte[] ref = CfGranules.reference(all, "tas");
      // The handle opened before the append reads its version: the first 12 records.
      assertArrayEquals(Arrays.copyOf(ref, 12 * 12 * 10 * 4), oldTas.read().bytes());
    }
    try (ArrayStore after = ArrayStore.open(manifest.toString())) {
      for (String v : List.of("tas", "time", "lat", "lon")) {
        assertArrayEquals(CfGranules.reference(all, v), after.dataset(v).read().bytes(), v);
      }
      List<GranuleRange> g = ((ManifestDataset) after.dataset("tas")).granules();
      assertEquals(5, g.size());
      assertEquals(16, g.get(4).recordStart());
    }
  }

  @Test
  void refusesToOverwriteAnExistingManifest() {
    Path manifest = tmp.resolve("twice.manifest");
    CfGranules.index(files.subList(0, 1), manifest, options());
    ArrayMorphException e =
        assertThrows(
            ArrayMorphException.class,
            () -> CfGranules.index(files.subList(1, 2), manifest, options()));
    assertTrue(
        e.getMessage().contains("already exists") && e.getMessage().contains("append"),
        e.getMessage());
  }

  @Test
  void refusesAGranuleAlreadyIndexed() {
    Path manifest = tmp.resolve("dup.manifest");
    CfGranules.index(files.subList(0, 2), manifest, options());
    ArrayMorphException e =
        assertThrows(
            ArrayMorphException.class,
            () -> CfGranules.index(files.subList(1, 2), manifest, options().withAppend(true)));
    assertTrue(e.getMessage().contains(files.get(1)), e.getMessage());
    assertUnchanged(manifest, 2);
  }

  @Test
  void refusesAGranuleWhoseTimeOverlapsAnother() {
    Path overlap =
        CfGranules.make("first=1,count=1,shift=2,reference=0," + GRID, tmp.resolve("overlap"));
    Path manifest = tmp.resolve("overlap.manifest");
    CfGranules.index(files.subList(0, 2), manifest, options());
    String granule = CfGranules.files(overlap).get(0);
    ArrayMorphException e =
        assertThrows(
            ArrayMorphException.class,
            () -> CfGranules.index(List.of(granule), manifest, options().withAppend(true)));
    assertTrue(
        e.getMessage().contains(granule) && e.getMessage().contains("overlaps"), e.getMessage());
    assertUnchanged(manifest, 2);
  }

  @Test
  void refusesGranulesWithOtherChunkingOrDtype() {
    Path chunks =
        CfGranules.make("first=5,count=1,chunk_lat=6,reference=0," + GRID, tmp.resolve("c"));
    Path dtype = CfGranules.make("first=5,count=1,dtype=f8,reference=0," + GRID, tmp.resolve("d"));
    Path manifest = tmp.resolve("mixed.manifest");
    CfGranules.index(files.subList(0, 2), manifest, options());
    String c = CfGranules.files(chunks).get(0);
    ArrayMorphException e =
        assertThrows(
            ArrayMorphException.class,
            () -> CfGranules.index(List.of(c), manifest, options().withAppend(true)));
    assertTrue(
        e.getMessage().contains(c)
            && e.getMessage().contains("'tas'")
            && e.getMessage().contains("chunks is [1,6,10]"),
        e.getMessage());
    String d = CfGranules.files(dtype).get(0);
    e =
        assertThrows(
            ArrayMorphException.class,
            () -> CfGranules.index(List.of(d), manifest, options().withAppend(true)));
    assertTrue(
        e.getMessage().contains(d) && e.getMessage().contains("dtype is <f8"), e.getMessage());
    // The same disagreement inside one new collection is refused too.
    Path fresh = tmp.resolve("fresh.manifest");
    e =
        assertThrows(
            ArrayMorphException.class,
            () -> CfGranules.index(List.of(files.get(0), d), fresh, options()));
    assertTrue(e.getMessage().contains(d), e.getMessage());
    assertUnchanged(manifest, 2);
  }

  @Test
  void aGranuleDeletedAfterIndexingFailsTheReadNamingIt() throws Exception {
    Path copy = tmp.resolve("moved");
    java.nio.file.Files.createDirectories(copy);
    Path granule = copy.resolve("granule_0000.nc");
    java.nio.file.Files.copy(Path.of(files.get(0)), granule);
    Path manifest = tmp.resolve("moved.manifest");
    CfGranules.index(List.of(granule.toString()), manifest, options());
    java.nio.file.Files.delete(granule);
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      Dataset tas = store.dataset("tas");
      RuntimeException e = assertThrows(RuntimeException.class, tas::read);
      String message = String.valueOf(e.getMessage());
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        message += " / " + c.getMessage();
      }
      assertTrue(
          message.contains(granule.toString())
              && message.contains("now gone")
              && message.contains("Index the collection again"),
          message);
      // Chunks read together (a Spark task's batch) fail each with the same explanation.
      ManifestDataset m = (ManifestDataset) tas;
      for (java.util.concurrent.CompletableFuture<io.arraymorph.engine.ChunkPart> chunk :
          m.readChunks(
              List.of(new long[] {0, 0, 0}, new long[] {3, 0, 0}), Arrays.asList(null, null))) {
        Throwable t = assertThrows(RuntimeException.class, chunk::join);
        String why = "";
        for (Throwable c = t; c != null; c = c.getCause()) {
          why += " / " + c.getMessage();
        }
        assertTrue(
            why.contains(granule.toString()) && why.contains("Index the collection again"), why);
      }
    }
  }

  private static void assertUnchanged(Path manifest, int granules) {
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      Dataset tas = store.dataset("tas");
      assertEquals(4L * granules, tas.shape()[0]);
      byte[] ref = CfGranules.reference(all, "tas");
      assertArrayEquals(Arrays.copyOf(ref, granules * 4 * 12 * 10 * 4), tas.read().bytes());
    }
  }
}
