package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.kerchunk.KerchunkWriter;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spark reads a kerchunk reference JSON (written for the netCDF4 fixture cf.nc, naming it by a
 * {@code file://} URL) like the file itself: same values (CF-decoded, against netCDF4-python's),
 * time coordinate as timestamps, chunk pruning from dimension filters.
 */
class SparkKerchunkReadTest {
  static SparkSession spark;
  static Path dir;
  static String refs;

  @BeforeAll
  static void start() throws Exception {
    dir = SparkFixtureFiles.netcdf();
    Path json = dir.resolve("cf.nc.kerchunk.json");
    try (ObjectStore store = ObjectStores.open(dir.toString());
        Hdf5File h5 = Hdf5File.open(store, "cf.nc")) {
      KerchunkWriter.Result result =
          KerchunkWriter.write(h5, dir.resolve("cf.nc").toUri().toString());
      assertTrue(result.skipped().isEmpty(), result.skipped().toString());
      Files.write(json, result.toJson());
    }
    refs = json.toUri().toString();
    spark = SparkTestSupport.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Dataset<Row> read(String dataset) {
    return spark.read().format("arraymorph").option("dataset", dataset).load(refs);
  }

  /**
   * The values netCDF4-python decodes; kerchunk's JSON attributes are float64, so packed int16 with
   * float32 scale/offset unpacks to double here (as xarray reading the references does).
   */
  @ParameterizedTest
  @ValueSource(strings = {"t2m", "precip", "sst", "count", "plain"})
  void valuesEqualTheDecodedFileValues(String var) {
    JsonNode exp = SparkCfDecodingTest.expected(var);
    Dataset<Row> df = read(var);
    int rank = exp.get("shape").size();
    List<Long> times = new ArrayList<>();
    SparkCfDecodingTest.expected("time").get("values").forEach(v -> times.add(v.asLong()));
    List<Row> rows = df.collectAsList();
    assertEquals(exp.get("values").size(), rows.size());
    for (Row r : rows) {
      long i = 0;
      for (int d = 0; d < rank; d++) {
        long v =
            r.get(d) instanceof Timestamp t
                ? times.indexOf(SparkCfDecodingTest.micros(t))
                : r.getLong(d);
        assertTrue(v >= 0, "unknown coordinate in " + r);
        i = i * exp.get("shape").get(d).asLong() + v;
      }
      JsonNode want = exp.get("values").get((int) i);
      if (want.isNull()) {
        assertTrue(r.isNullAt(rank), var + " " + r);
      } else {
        double got = ((Number) r.get(rank)).doubleValue();
        assertEquals(want.asDouble(), got, Math.abs(want.asDouble()) * 1e-6, var + " " + r);
      }
    }
  }

  @Test
  void schemaHasTheTimeCoordinateAndPrunesChunks() {
    Dataset<Row> all = read("t2m");
    assertEquals("time timestamp, lat long, lon long, t2m double", SparkReadWriteTest.ddl(all));
    Dataset<Row> df = all.where("lat < 5 AND lon >= 10");
    assertEquals(6 * 5 * 10, df.collectAsList().size());
    // t2m chunks (1, 5, 10): one chunk per time step overlaps
    assertEquals(6, SparkTestSupport.metric(df, SparkReadMetrics.CHUNKS_FETCHED));
  }

  @Test
  void rawValuesEqualReadingTheFileInPlace() {
    Dataset<Row> viaRefs =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "t2m")
            .option("decode_cf", "false")
            .load(refs);
    Dataset<Row> viaFile =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", "t2m")
            .option("decode_cf", "false")
            .load(dir.resolve("cf.nc").toString());
    assertEquals(1200, viaRefs.count());
    assertEquals(0, viaRefs.exceptAll(viaFile).count());
    assertEquals(0, viaFile.exceptAll(viaRefs).count());
  }

  @Test
  void listDatasetsShowsTheReferencedVariables() {
    List<String> paths = new ArrayList<>();
    spark
        .read()
        .format("arraymorph")
        .option("list", "datasets")
        .load(refs)
        .select("path")
        .collectAsList()
        .forEach(r -> paths.add(r.getString(0)));
    assertTrue(paths.containsAll(List.of("t2m", "time", "sst", "event_time")), paths.toString());
  }
}
