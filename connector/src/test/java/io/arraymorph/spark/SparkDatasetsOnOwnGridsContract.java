package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Datasets of one HDF5 file chunked differently (h5py's grids.h5: gzip chunks of 10x10, plain
 * chunks of 7x13, contiguous data, shuffled gzip chunks of 4x26) read together in one cells-layout
 * query through {@code format("arraymorph")}: every value equals h5py's, whole and filtered, in
 * several tasks; each task carries every dataset's chunks of its own grid, so the file is checked
 * once per task for all of them, and a file whose bytes change after planning (same size) fails the
 * query naming it. A subclass gives the store (local disk, S3Proxy, Azurite).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkDatasetsOnOwnGridsContract {
  static final String FILE = "grids.h5";
  static final String DATASETS = "/walked,/odd,/contiguous,/rows";

  /** Decoded bytes of one 10x10 chunk of the four datasets: tasks of one or two such chunks. */
  static final String PARTITION_BYTES = "2000";

  SparkSession spark;
  Path dir;
  JsonNode manifest;

  /** The directory the file goes to, such as {@code s3://bucket/grids}. */
  protected abstract String root();

  /** The Spark reader options (endpoint, credentials) that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  @BeforeAll
  void upload() throws Exception {
    dir = SparkFixtureFiles.hdf5();
    manifest = SparkFixtureFiles.json(dir.resolve("manifest.json"));
    put(FILE, Files.readAllBytes(dir.resolve(FILE)));
    spark = SparkTestSupport.session();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  void put(String key, byte[] bytes) {
    try (ObjectStore store = ObjectStores.open(root(), StoreSettings.of(options()))) {
      Futures.join(store.put(key, bytes));
    }
  }

  /** The query over {@code datasets} of {@code file}, filtered by {@code where} unless null. */
  Dataset<Row> query(Map<String, String> options, String file, String datasets, String where) {
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(options)
            .option("datasets", datasets)
            .option("partition_bytes", PARTITION_BYTES)
            .load(root() + "/" + file);
    return where == null ? df : df.where(where);
  }

  /** h5py's description of {@code path} in grids.h5. */
  JsonNode entry(String path) {
    for (JsonNode d : manifest.get("files").get(FILE).get("datasets")) {
      if (d.get("path").asText().equals(path)) {
        return d;
      }
    }
    throw new IllegalArgumentException(FILE + ":" + path);
  }

  /**
   * Checks that {@code rows} (indices, then one column per dataset of {@code datasets}) are the
   * elements {@code lo..hi} (inclusive, per dimension) of every dataset, each once, as h5py reads.
   */
  void assertRowsEqualH5py(List<Row> rows, String datasets, long[] lo, long[] hi) {
    String[] paths = datasets.split(",", -1);
    long cols = entry(paths[0]).get("shape").get(1).asLong();
    assertEquals((hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1), rows.size(), "one row per element");
    Set<Long> seen = new HashSet<>();
    for (Row r : rows) {
      long i = r.getLong(0);
      long j = r.getLong(1);
      assertTrue(i >= lo[0] && i <= hi[0] && j >= lo[1] && j <= hi[1], r.toString());
      assertTrue(seen.add(i * cols + j), "duplicate " + r);
      for (int k = 0; k < paths.length; k++) {
        assertEquals(
            SparkHdf5ReadTest.reference(dir, entry(paths[k]), i * cols + j),
            r.get(2 + k),
            paths[k] + "[" + i + "," + j + "]");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {DATASETS, "/contiguous,/rows,/odd,/walked"})
  void everyValueOfDatasetsChunkedDifferentlyEqualsH5pyWholeAndFiltered(String datasets) {
    Dataset<Row> all = query(options(), FILE, datasets, null);
    int tasks =
        SparkTestSupport.scans(all.queryExecution().executedPlan()).get(0).inputPartitions().size();
    assertRowsEqualH5py(all.collectAsList(), datasets, new long[] {0, 0}, new long[] {29, 25});
    Dataset<Row> some = query(options(), FILE, datasets, "dim_0 BETWEEN 5 AND 17 AND dim_1 >= 11");
    assertRowsEqualH5py(some.collectAsList(), datasets, new long[] {5, 11}, new long[] {17, 25});
    if (datasets.startsWith("/walked")) {
      assertTrue(tasks > 1, "several tasks: " + tasks);
    }
  }

  /**
   * The bytes of one chunk of {@code /odd} (plain int32 chunks of 7x13, not the walked grid) are
   * changed after the query was planned, the file keeping its size: every chunk still decodes, so
   * only the task's file check can see it; the query fails naming the file.
   */
  @Test
  void aFileChangedAfterPlanningFailsTheQueryNamingItWhateverGridItsDatasetsHave()
      throws Exception {
    String copy = "changed-" + FILE;
    byte[] bytes = Files.readAllBytes(dir.resolve(FILE));
    put(copy, bytes);
    Dataset<Row> df = query(options(), copy, DATASETS, "dim_0 BETWEEN 8 AND 12 AND dim_1 < 13");
    df.queryExecution().executedPlan();
    assertRowsEqualH5py(df.collectAsList(), DATASETS, new long[] {8, 0}, new long[] {12, 12});
    // Chunk (1, 0) of /odd holds rows 7..13, columns 0..12: inside the query.
    JsonNode chunk = null;
    for (JsonNode c : entry("/odd").get("chunk_index")) {
      if (c.get(0).asInt() == 1 && c.get(1).asInt() == 0) {
        chunk = c;
      }
    }
    int offset = chunk.get(2).asInt();
    int size = chunk.get(3).asInt();
    for (int b = offset; b < offset + size; b++) {
      bytes[b] ^= 0x5a;
    }
    put(copy, bytes);
    Throwable failure = assertThrows(Exception.class, df::collectAsList);
    ConcurrentWriteException e = null;
    for (Throwable c = failure; c != null && e == null; c = c.getCause()) {
      e = c instanceof ConcurrentWriteException w ? w : null;
    }
    assertTrue(e != null, "a replacement error in " + failure);
    assertTrue(e.getMessage().contains(copy), e.getMessage());
    assertTrue(e.getMessage().contains("Re-run the query"), e.getMessage());
  }
}
