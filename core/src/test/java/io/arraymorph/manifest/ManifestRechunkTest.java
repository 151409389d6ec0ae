package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.DatasetNotFoundException;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.codec.ByteShuffle;
import io.arraymorph.engine.ChunkPart;
import io.arraymorph.rechunk.LocalRechunk;
import io.arraymorph.rechunk.RechunkJob;
import io.arraymorph.rechunk.RechunkRequest;
import io.arraymorph.rechunk.RechunkResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A manifest's variable rechunked in one stage (each granule chunk decoded and copied straight into
 * the target chunks; a byte-shuffled one left shuffled by the decoder and unshuffled by that copy)
 * gives xarray's values of the granules, for shuffled 2-, 4- and 8-byte types and a plain zlib one,
 * into target tiles that do not divide the grid (chunks cut at the array's edges).
 */
class ManifestRechunkTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} shuffle={1}")
  @CsvSource({"i2, 1, 2", "f4, 1, 4", "f8, 1, 8", "f4, 0, 1"})
  void aManifestVariableRechunksInOneStageToXarraysValues(
      String dtype, int shuffle, int shuffledParts) {
    Path granules =
        CfGranules.make(
            "count=3,steps=4,lat=11,lon=13,dtype=" + dtype + ",shuffle=" + shuffle,
            tmp.resolve("granules"));
    Path manifest = tmp.resolve("c.manifest");
    CfGranules.index(CfGranules.files(granules), manifest, ManifestWriter.Options.DEFAULT);
    byte[] want = CfGranules.reference(granules, "tas");
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      // The decoder leaves a shuffled chunk shuffled only when the caller accepts it.
      ManifestDataset tas = (ManifestDataset) store.dataset("tas");
      List<long[]> coords = List.of(new long[] {5, 0, 0});
      List<ChunkSelection> whole = new ArrayList<>();
      whole.add(null);
      ChunkPart plain = tas.readChunks(coords, whole).get(0).join();
      assertEquals(1, plain.shuffle());
      // A lent part is used during the call only: unshuffle it into an array there.
      int[] shuffles = new int[1];
      byte[] unshuffled = new byte[plain.data().length];
      tas.useChunks(
              coords,
              whole,
              true,
              (i, part) -> {
                shuffles[0] = part.shuffle();
                ByteShuffle.unshuffle(
                    part.data(), 0, unshuffled, 0, unshuffled.length, part.shuffle());
              })
          .join();
      assertEquals(shuffledParts, shuffles[0]);
      assertArrayEquals(plain.data(), unshuffled, "chunk 5 read both ways");
    }
    RechunkRequest r = oneStage(manifest, tmp.resolve("out.zarr"));
    try (ArrayStore src = ArrayStore.open(r.source());
        ArrayStore dst = ArrayStore.open(r.target())) {
      RechunkResult result =
          RechunkJob.run(
              src, dst, r, "test-" + UUID.randomUUID(), new LocalRechunk(src, dst, 3, 4));
      assertTrue(result.plan().startsWith("one stage"), result.plan());
      assertArrayEquals(want, dst.dataset("tas").read().bytes(), "values of tas");
    }
  }

  /**
   * A shuffled granule rewritten in place after indexing: its chunks may be decoded and copied into
   * the target chunks before the granule's version check, which then fails the rechunk naming the
   * granule, and nothing is published.
   */
  @Test
  void aGranuleRewrittenAfterIndexingFailsTheRechunkAndNothingIsPublished() throws IOException {
    String grid = "steps=4,lat=11,lon=13";
    Path granules = CfGranules.make("count=3," + grid, tmp.resolve("granules"));
    Path manifest = tmp.resolve("c.manifest");
    CfGranules.index(CfGranules.files(granules), manifest, ManifestWriter.Options.DEFAULT);
    Path other = CfGranules.make("first=1,count=1,seed=9," + grid, tmp.resolve("other"));
    Path granule = granules.resolve("granule_0001.nc");
    Files.write(granule, Files.readAllBytes(Path.of(CfGranules.files(other).get(0))));
    RechunkRequest r = oneStage(manifest, tmp.resolve("out.zarr"));
    try (ArrayStore src = ArrayStore.open(r.source());
        ArrayStore dst = ArrayStore.open(r.target())) {
      RuntimeException e =
          assertThrows(
              RuntimeException.class,
              () ->
                  RechunkJob.run(
                      src, dst, r, "test-" + UUID.randomUUID(), new LocalRechunk(src, dst, 3, 4)));
      String messages = "";
      for (Throwable t = e; t != null; t = t.getCause()) {
        messages += t.getMessage() + "\n";
      }
      assertTrue(messages.contains(granule.toString()), messages);
      assertTrue(messages.contains("Index the collection again"), messages);
      assertThrows(DatasetNotFoundException.class, () -> dst.dataset("tas"));
    }
  }

  /** A one-stage rechunk of {@code tas} to tiles (12, 5, 4) within a budget of a few of them. */
  private static RechunkRequest oneStage(Path manifest, Path target) {
    return new RechunkRequest(
            manifest.toString(),
            "tas",
            target.toString(),
            "tas",
            new int[] {12, 5, 4},
            null,
            ArraySpec.Compression.NONE,
            -1,
            false,
            // Several regions, each cut off the source grid.
            4_000L,
            Duration.ofMinutes(5))
        .withStages(RechunkRequest.Stages.ONE);
  }
}
