package io.arraymorph.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.NdArray;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A point time series read through the Java API over a granule manifest ({@link Dataset#read},
 * whose chunks a manifest reads a batch at a time, each decoding only its point) is xarray's
 * values, for byte-shuffled and plain zlib granules of several element sizes, at points at the
 * start, in the middle and at the end of each field, with one ranged read a chunk.
 */
class ManifestPointSeriesTest {
  private static final int STEPS = 4;
  private static final int COUNT = 5;
  private static final int LAT = 6;
  private static final int LON = 10;

  @TempDir Path tmp;

  @ParameterizedTest(name = "dtype {0}, shuffle {1}")
  @CsvSource({"f4, 1", "f4, 0", "f8, 1", "i2, 1", "u1, 1"})
  void aPointTimeSeriesIsXarraysValuesWithOneRangedReadAChunk(String dtype, int shuffle) {
    Path granules =
        CfGranules.make(
            "count="
                + COUNT
                + ",steps="
                + STEPS
                + ",lat="
                + LAT
                + ",lon="
                + LON
                + ",dtype="
                + dtype
                + ",shuffle="
                + shuffle,
            tmp.resolve("granules"));
    Path manifest = tmp.resolve("points.manifest");
    CfGranules.index(CfGranules.files(granules), manifest, ManifestWriter.Options.DEFAULT);
    byte[] reference = CfGranules.reference(granules, "tas");
    int records = STEPS * COUNT;
    int size = reference.length / (records * LAT * LON);
    try (ArrayStore store = ArrayStore.open(manifest.toString())) {
      Dataset tas = store.dataset("tas");
      assertEquals(size, tas.dataType().byteSize(), "element size");
      // The first element of each field, the last, and one in between.
      for (int[] p : new int[][] {{0, 0}, {LAT - 1, LON - 1}, {2, 7}}) {
        long before = store.stats().rangeGets();
        NdArray series = tas.read(new long[] {0, p[0], p[1]}, new long[] {records, 1, 1});
        byte[] want = new byte[records * size];
        for (int t = 0; t < records; t++) {
          int at = ((t * LAT + p[0]) * LON + p[1]) * size;
          System.arraycopy(reference, at, want, t * size, size);
        }
        assertArrayEquals(want, series.bytes(), "point " + Arrays.toString(p));
        assertEquals(records, store.stats().rangeGets() - before, "one ranged read a chunk");
      }
    }
  }
}
