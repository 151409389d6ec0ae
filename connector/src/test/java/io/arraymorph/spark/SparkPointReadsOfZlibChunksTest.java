package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.manifest.ManifestWriter;
import io.arraymorph.testing.PythonFixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Point and box queries decode only the part of each zlib chunk they need (a prefix of the stream,
 * an unshuffle of one element): over netCDF4-python granules, byte-shuffled and not, read as files
 * (HDF5 chunks) and through a granule manifest, every value equals xarray's reading of the same
 * files, at the start, the middle and the end of the chunks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkPointReadsOfZlibChunksTest {
  private static final int STEPS = 3;
  private static final int LAT = 30;
  private static final int LON = 40;

  /** (lat, lon) index points: first, early, middle, last element of a (1, 30, 40) chunk. */
  private static final int[][] POINTS = {{0, 0}, {0, 7}, {2, 3}, {15, 20}, {29, 38}, {29, 39}};

  private SparkSession spark;
  private Path root;

  @BeforeAll
  void start() throws IOException {
    root = Files.createTempDirectory("zlib-points");
    for (String shuffle : List.of("0", "1")) {
      PythonFixtures.generateWith(
          "make_cf_granules.py",
          "count=2,steps=" + STEPS + ",lat=" + LAT + ",lon=" + LON + ",shuffle=" + shuffle,
          root.resolve("shuffle" + shuffle));
    }
    spark = SparkTestSupport.session();
    for (String shuffle : List.of("0", "1")) {
      Path dir = root.resolve("shuffle" + shuffle);
      SparkGranuleManifest.index(
          spark,
          List.of(dir + "/granule_*.nc"),
          dir + ".manifest",
          ManifestWriter.Options.DEFAULT,
          Map.of());
    }
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  @Test
  void pointsOfUnshuffledZlibChunksEqualXarraysThroughFilesAndManifest() throws IOException {
    checkPoints("0");
  }

  @Test
  void pointsOfShuffledZlibChunksEqualXarraysThroughFilesAndManifest() throws IOException {
    checkPoints("1");
  }

  @Test
  void aBoxOfRowsEqualsXarrays() throws IOException {
    for (String shuffle : List.of("0", "1")) {
      Path dir = root.resolve("shuffle" + shuffle);
      float[] reference = floats(dir.resolve("reference__tas.bin"));
      for (String location : List.of(dir + "/granule_*.nc", dir + ".manifest")) {
        List<Row> rows =
            spark
                .read()
                .format("arraymorph")
                .option("dataset", "tas")
                .load(location)
                .where("lat between 3 and 5 and lon between 10 and 12")
                .collectAsList();
        assertEquals(2 * STEPS * 3 * 3, rows.size(), location);
        assertValues(rows, reference, location);
      }
    }
  }

  private void checkPoints(String shuffle) throws IOException {
    Path dir = root.resolve("shuffle" + shuffle);
    float[] reference = floats(dir.resolve("reference__tas.bin"));
    for (String location : List.of(dir + "/granule_*.nc", dir + ".manifest")) {
      for (int[] p : POINTS) {
        List<Row> rows =
            spark
                .read()
                .format("arraymorph")
                .option("dataset", "tas")
                .load(location)
                .where("lat = " + p[0] + " and lon = " + p[1])
                .collectAsList();
        String what = location + " at " + p[0] + "," + p[1];
        assertEquals(2 * STEPS, rows.size(), what);
        assertValues(rows, reference, what);
      }
    }
  }

  /** 2021-01-01T00:00Z, the fixture's time origin; record {@code i} is at day {@code i}. */
  private static final long ORIGIN_MS = 1609459200000L;

  /**
   * Each row's {@code tas} is xarray's value at its (record, lat, lon) index: the record from a
   * decoded {@code time} timestamp, or from the row's file (granule {@code n} holds records {@code
   * n * STEPS ...}) and its index there.
   */
  private static void assertValues(List<Row> rows, float[] reference, String what) {
    for (Row r : rows) {
      Object time = r.get(r.fieldIndex("time"));
      long t;
      if (time instanceof java.sql.Timestamp ts) {
        t = Math.floorDiv(ts.getTime() - ORIGIN_MS, 86_400_000L);
      } else {
        String file = r.getString(r.fieldIndex("file"));
        int n = Integer.parseInt(file.replaceAll(".*granule_(\\d+)\\.nc$", "$1"));
        t = n * (long) STEPS + ((Number) time).longValue();
      }
      long y = r.getLong(r.fieldIndex("lat"));
      long x = r.getLong(r.fieldIndex("lon"));
      float want = reference[(int) ((t * LAT + y) * LON + x)];
      assertEquals(want, r.getFloat(r.fieldIndex("tas")), 0.0f, what + ": " + r);
    }
  }

  private static float[] floats(Path file) throws IOException {
    var b =
        ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }
}
