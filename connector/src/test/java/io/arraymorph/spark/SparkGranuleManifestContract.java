package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.manifest.ManifestWriter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.PythonFixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Spark job indexes netCDF4-python granules on a store into a granule manifest there; {@code
 * load(manifest)} then reads every value as xarray's {@code open_mfdataset} does, whole and
 * filtered on the record index; an append through the job adds granules; a disagreeing granule is
 * refused. A subclass gives the store (local disk, S3Proxy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkGranuleManifestContract {
  private static final int STEPS = 4;
  private static final int LAT = 6;
  private static final int LON = 8;

  private SparkSession spark;
  private Path dir;
  private float[] reference;

  /** The directory granules and manifests go to, such as {@code s3://bucket/collection}. */
  protected abstract String root();

  /** The Spark reader options (endpoint, credentials) that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  @BeforeAll
  void uploadGranules() throws Exception {
    dir = Files.createTempDirectory("granules");
    PythonFixtures.generateWith(
        "make_cf_granules.py", "count=4,steps=" + STEPS + ",lat=" + LAT + ",lon=" + LON, dir);
    Path odd = dir.resolve("odd");
    PythonFixtures.generateWith(
        "make_cf_granules.py",
        "first=9,count=1,dtype=f8,reference=0,steps=" + STEPS + ",lat=" + LAT + ",lon=" + LON,
        odd);
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()));
        Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".nc")).toList()) {
        Futures.join(store.put("granules/" + f.getFileName(), Files.readAllBytes(f)));
      }
      Futures.join(
          store.put("odd/granule_0009.nc", Files.readAllBytes(odd.resolve("granule_0009.nc"))));
    }
    byte[] le = Files.readAllBytes(dir.resolve("reference__tas.bin"));
    var b = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    reference = new float[b.remaining()];
    b.get(reference);
    spark = SparkTestSupport.session();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private Dataset<Row> read(String manifest) {
    return reader().load(root() + "/" + manifest);
  }

  private org.apache.spark.sql.DataFrameReader reader() {
    return spark.read().format("arraymorph").options(options()).option("dataset", "tas");
  }

  /** 2021-01-01T00:00Z, the fixture's time origin ("days since 2021-01-01"). */
  private static final long ORIGIN_MS = 1609459200000L;

  /**
   * Compares rows with xarray's values. The {@code time} column holds the CF-decoded timestamps of
   * the manifest's time coordinate; the fixture's time value of record {@code i} is {@code i} days.
   */
  private void assertXarrayValues(List<Row> rows, int expected) {
    assertEquals(expected, rows.size());
    for (Row r : rows) {
      long ms = ((java.sql.Timestamp) r.get(r.fieldIndex("time"))).getTime() - ORIGIN_MS;
      assertEquals(0, ms % 86_400_000L, r.toString());
      long t = ms / 86_400_000L;
      long y = r.getLong(r.fieldIndex("lat"));
      long x = r.getLong(r.fieldIndex("lon"));
      float want = reference[(int) ((t * LAT + y) * LON + x)];
      assertEquals(want, r.getFloat(r.fieldIndex("tas")), 0.0f, r.toString());
    }
  }

  @Test
  void theIndexJobsManifestReadsAsXarrayAndAppends() {
    ManifestWriter.Result r =
        SparkGranuleManifest.index(
            spark,
            List.of(root() + "/granules/granule_000[012].nc"),
            root() + "/tas.manifest",
            ManifestWriter.Options.DEFAULT,
            options());
    assertEquals(3, r.granules());
    assertXarrayValues(read("tas.manifest").collectAsList(), 3 * STEPS * LAT * LON);

    r =
        SparkGranuleManifest.index(
            spark,
            List.of(root() + "/granules/granule_0003.nc"),
            root() + "/tas.manifest",
            ManifestWriter.Options.DEFAULT.withAppend(true),
            options());
    assertEquals(4, r.granules());
    assertEquals(2, r.generation());
    Dataset<Row> df = read("tas.manifest");
    assertXarrayValues(df.collectAsList(), 4 * STEPS * LAT * LON);
    // A time filter across two granules gives their values only.
    List<Row> some =
        df.where(
                "time >= timestamp '2021-01-07 00:00:00Z' and time < timestamp '2021-01-14"
                    + " 00:00:00Z'")
            .collectAsList();
    assertXarrayValues(some, 7 * LAT * LON);
    // Raw, the time dimension is the record index: a filter on it is pushed into the manifest.
    List<Row> raw =
        reader()
            .option("decode_cf", "false")
            .load(root() + "/tas.manifest")
            .where("time >= 6 and time < 13")
            .collectAsList();
    assertEquals(7 * LAT * LON, raw.size());
    for (Row row : raw) {
      long t = row.getLong(row.fieldIndex("time"));
      assertTrue(t >= 6 && t < 13, row.toString());
      float want =
          reference[
              (int)
                  ((t * LAT + row.getLong(row.fieldIndex("lat"))) * LON
                      + row.getLong(row.fieldIndex("lon")))];
      assertEquals(want, row.getFloat(row.fieldIndex("tas")), 0.0f, row.toString());
    }
  }

  @Test
  void aGranuleOfAnotherDtypeIsRefusedNamingIt() {
    ArrayMorphException e =
        assertThrows(
            ArrayMorphException.class,
            () ->
                SparkGranuleManifest.index(
                    spark,
                    List.of(root() + "/granules/granule_0000.nc", root() + "/odd/granule_0009.nc"),
                    root() + "/refused.manifest",
                    ManifestWriter.Options.DEFAULT,
                    options()));
    assertTrue(
        e.getMessage().contains("odd/granule_0009.nc") && e.getMessage().contains("dtype"),
        e.getMessage());
  }
}
