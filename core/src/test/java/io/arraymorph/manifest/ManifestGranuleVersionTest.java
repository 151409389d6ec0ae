package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.local.LocalObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest records each granule's size and entity tag when it is indexed, and every read of a
 * granule's chunks checks it still reads that file: a granule replaced after indexing by a
 * netCDF4-python file of the same size (uncompressed: its old offsets decode without error to other
 * values) or rewritten in place is refused naming the granule, while chunks of untouched granules
 * read as xarray reads them. Manifests written before versions were recorded read unchecked.
 */
class ManifestGranuleVersionTest {
  private static final String GRID = "steps=2,lat=4,lon=5";
  private static final int STEP_BYTES = 4 * 5 * 4;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void aGranuleReplacedBySameSizedBytesIsRefusedNamingItAndOthersStillRead() throws IOException {
    Path dir = CfGranules.make("count=3,zlib=0," + GRID, tmp.resolve("g"));
    Path manifest = tmp.resolve("m");
    CfGranules.index(CfGranules.files(dir), manifest, ManifestWriter.Options.DEFAULT);
    byte[] reference = CfGranules.reference(dir, "tas");
    Path granule = dir.resolve("granule_0001.nc");
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      // Untouched: reads exactly as xarray over the files.
      assertArrayEquals(reference, store.dataset("tas").read().bytes());
      List<GranuleRange> table = ((ManifestDataset) store.dataset("tas")).granules();
      ObjectInfo stat = head(granule);
      assertEquals(stat.size(), table.get(1).size());
      assertEquals(stat.tag(), table.get(1).tag());
    }

    Path other = replacement(granule, "first=1,count=1,seed=7,zlib=0," + GRID);
    Files.copy(other, granule, StandardCopyOption.REPLACE_EXISTING);
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      ConcurrentWriteException e =
          assertThrows(ConcurrentWriteException.class, () -> store.dataset("tas").read());
      assertRefusal(e, granule);
      // A read of only the first granule's records reads as before.
      byte[] first = store.dataset("tas").read(new long[] {0, 0, 0}, new long[] {2, 4, 5}).bytes();
      assertArrayEquals(Arrays.copyOf(reference, 2 * STEP_BYTES), first);
    }
  }

  @Test
  void aZlibGranuleRewrittenInPlaceIsRefusedNotReportedAsCorrupt() throws IOException {
    Path dir = CfGranules.make("count=2," + GRID, tmp.resolve("z"));
    Path manifest = tmp.resolve("mz");
    CfGranules.index(CfGranules.files(dir), manifest, ManifestWriter.Options.DEFAULT);
    Path granule = dir.resolve("granule_0000.nc");
    Path other = replacement(granule, "first=0,count=1,seed=9," + GRID);
    // Rewritten in place (same file, new bytes), whatever its new size.
    Files.write(granule, Files.readAllBytes(other));
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      ConcurrentWriteException e =
          assertThrows(ConcurrentWriteException.class, () -> store.dataset("tas").read());
      assertTrue(e.getMessage().contains(granule.toString()), e.getMessage());
      assertTrue(e.getMessage().contains("Index the collection again"), e.getMessage());
    }
  }

  @Test
  void aManifestWrittenBeforeVersionsReadsUncheckedAndAnAppendRecordsTheNewGranules()
      throws IOException {
    Path dir = CfGranules.make("count=3," + GRID, tmp.resolve("o"));
    List<String> files = CfGranules.files(dir);
    Path manifest = tmp.resolve("mo");
    CfGranules.index(files.subList(0, 2), manifest, ManifestWriter.Options.DEFAULT);
    stripVersions(manifest);
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      List<GranuleRange> table = ((ManifestDataset) store.dataset("tas")).granules();
      assertFalse(table.get(0).versioned());
      byte[] reference = CfGranules.reference(dir, "tas");
      byte[] read = store.dataset("tas").read().bytes();
      assertArrayEquals(Arrays.copyOf(reference, read.length), read);
    }
    CfGranules.index(
        files.subList(2, 3), manifest, ManifestWriter.Options.DEFAULT.withAppend(true));
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      List<GranuleRange> table = ((ManifestDataset) store.dataset("tas")).granules();
      assertFalse(table.get(1).versioned());
      assertNull(table.get(1).tag());
      assertTrue(table.get(2).versioned());
      assertNotNull(table.get(2).tag());
      assertArrayEquals(CfGranules.reference(dir, "tas"), store.dataset("tas").read().bytes());
    }
  }

  /**
   * A granule written by netCDF4-python from {@code spec} in a directory of its own, of the same
   * size as {@code granule} when uncompressed, with other values (checked against xarray's).
   */
  private Path replacement(Path granule, String spec) throws IOException {
    Path dir = CfGranules.make(spec, tmp.resolve("replacement-" + granule.getFileName()));
    Path other = Path.of(CfGranules.files(dir).get(0));
    assertFalse(Arrays.equals(Files.readAllBytes(granule), Files.readAllBytes(other)));
    if (!spec.contains("zlib=0")) {
      return other;
    }
    assertEquals(Files.size(granule), Files.size(other), "the replacement must have the same size");
    return other;
  }

  private static void assertRefusal(ConcurrentWriteException e, Path granule) {
    String m = e.getMessage();
    assertTrue(m.contains("Granule '" + granule + "'"), m);
    assertTrue(m.contains("same size"), m);
    assertTrue(m.contains("Index the collection again"), m);
  }

  private static ObjectInfo head(Path file) {
    try (LocalObjectStore store = new LocalObjectStore(file.getParent())) {
      return Futures.join(store.head(file.getFileName().toString())).orElseThrow();
    }
  }

  /** Removes the recorded sizes and tags, as manifests written before they were recorded lack. */
  private static void stripVersions(Path manifest) throws IOException {
    try (Stream<Path> s = Files.list(manifest.resolve("_manifest"))) {
      for (Path p : s.filter(f -> f.getFileName().toString().startsWith("files.")).toList()) {
        ObjectNode root = (ObjectNode) MAPPER.readTree(p.toFile());
        root.withArrayProperty("granules")
            .forEach(
                g -> {
                  assertTrue(g.has("size"), g.toString());
                  ((ObjectNode) g).remove(List.of("size", "tag"));
                });
        MAPPER.writeValue(p.toFile(), root);
      }
    }
  }
}
