package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.write.DatasetWrite;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Writes whose rows arrive in any order (the write asks Spark for no clustering or sort): index
 * order, random order after a repartition, a budget small enough that tasks stage fragments, an
 * append of scattered cells, the rows layout, and duplicates within and across tasks. Every value
 * is read back through the Java API and compared with the value the test generated. A subclass
 * gives the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SparkOrderFreeWriteContract {
  private static final int ROWS = 37;
  private static final int COLS = 29;

  private SparkSession spark;

  /** A directory on the store, such as {@code s3://bucket/writes}. */
  protected abstract String root();

  /** The options (endpoint, credentials) that reach {@link #root()}. */
  protected abstract Map<String, String> options();

  @BeforeAll
  void start() {
    spark = SparkTestSupport.session();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  private String fresh(String name) {
    return root() + "/" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".zarr";
  }

  private static double value(long i, long j) {
    return i * 1000 + j + 0.25;
  }

  /** Rows (i, j, v) for every cell of the ROWS x COLS array, in index order, in 3 partitions. */
  private org.apache.spark.sql.Dataset<Row> cells() {
    return spark.sql(
        "SELECT id DIV "
            + COLS
            + " AS i, id % "
            + COLS
            + " AS j, CAST(id DIV "
            + COLS
            + " * 1000 + id % "
            + COLS
            + " + 0.25 AS DOUBLE) AS v FROM range(0, "
            + ROWS * COLS
            + ", 1, 3)");
  }

  private void write(org.apache.spark.sql.Dataset<Row> df, String uri, String... keyValues) {
    DataFrameWriter<Row> w =
        df.write()
            .format("arraymorph")
            .mode("append")
            .options(options())
            .option("dataset", "v")
            .option("dims", "i,j")
            .option("chunks", "8,8");
    for (int k = 0; k < keyValues.length; k += 2) {
      w = w.option(keyValues[k], keyValues[k + 1]);
    }
    w.save(uri);
  }

  private ArrayStore open(String uri) {
    return ArrayStore.open(uri, StoreSettings.of(options()));
  }

  /** Every cell of {@code v} read with the Java API equals {@link #value}. */
  private void assertEveryValue(String uri) {
    try (ArrayStore store = open(uri)) {
      Dataset ds = store.dataset("v");
      assertArrayEquals(new long[] {ROWS, COLS}, ds.shape());
      double[] got = ds.read().toDoubleArray();
      for (int i = 0; i < ROWS; i++) {
        for (int j = 0; j < COLS; j++) {
          assertEquals(value(i, j), got[i * COLS + j], "cell (" + i + ", " + j + ")");
        }
      }
    }
    assertNothingStaged(uri);
  }

  private void assertNothingStaged(String uri) {
    try (ObjectStore s = ObjectStores.open(uri, StoreSettings.of(options()))) {
      List<ObjectInfo> left = Futures.join(s.list(DatasetWrite.STAGING_ROOT + "/"));
      assertTrue(left.isEmpty(), "staging left: " + left);
    }
  }

  @Test
  void rowsInIndexOrderWriteEveryValue() {
    String uri = fresh("ordered");
    write(cells(), uri, "shape", ROWS + "," + COLS);
    assertEveryValue(uri);
  }

  @Test
  void rowsInRandomOrderAfterARepartitionWriteEveryValue() {
    String uri = fresh("random");
    write(cells().repartition(5).orderBy(org.apache.spark.sql.functions.rand(3)), uri);
    assertEveryValue(uri);
  }

  @Test
  void aBudgetOfTwoChunksStagesFragmentsAndStillWritesEveryValue() {
    String uri = fresh("budget");
    // 8 x 8 float64 plus the bitmap is 520 bytes: two buffers fit in 1100.
    write(
        cells().repartition(4).orderBy(org.apache.spark.sql.functions.rand(5)),
        uri,
        "write_buffer_bytes",
        "1100");
    assertEveryValue(uri);
  }

  @Test
  void fragmentsMergedByASparkJobLaunchedFromTheCommitWriteEveryValue() {
    String uri = fresh("merge-job");
    write(
        cells().repartition(4).orderBy(org.apache.spark.sql.functions.rand(6)),
        uri,
        "write_buffer_bytes",
        "2000",
        "driver_merge_bytes",
        "1");
    assertEveryValue(uri);
    org.apache.spark.SparkStatusTracker tracker = spark.sparkContext().statusTracker();
    boolean mergeJob = false;
    for (int job : tracker.getJobIdsForGroup(null)) {
      for (int stage : tracker.getJobInfo(job).get().stageIds()) {
        mergeJob |=
            tracker.getStageInfo(stage).isDefined()
                && tracker.getStageInfo(stage).get().name().contains("SparkFragmentMerge");
      }
    }
    assertTrue(mergeJob, "the fragments were merged by a Spark job");
  }

  @Test
  void anAppendOfScatteredCellsKeepsStoredValuesAndFillInTheGaps() {
    String uri = fresh("append");
    // First the even rows, then (scattered over tasks) the odd ones: every cell ends written once.
    write(cells().where("i % 2 = 0"), uri, "fill_value", "nan", "codec", "gzip");
    try (ArrayStore store = open(uri)) {
      double[] half = store.dataset("v").read().toDoubleArray();
      assertEquals(value(36, 5), half[36 * COLS + 5]);
      assertTrue(Double.isNaN(half[35 * COLS + 5]), "odd rows hold the NaN fill");
    }
    write(
        cells().where("i % 2 = 1").repartition(3).orderBy(org.apache.spark.sql.functions.rand(9)),
        uri);
    assertEveryValue(uri);
  }

  @Test
  void shardsAndTheV2KeyEncodingWriteEveryValueInRandomOrder() throws Exception {
    String uri = fresh("sharded");
    write(
        cells().repartition(3).orderBy(org.apache.spark.sql.functions.rand(4)),
        uri,
        "chunks",
        "4,4",
        "shards",
        "8,8",
        "chunk_key_encoding",
        "v2");
    assertEveryValue(uri);
    try (ObjectStore s = ObjectStores.open(uri, StoreSettings.of(options()))) {
      JsonNode meta = new ObjectMapper().readTree(Futures.join(s.get("v/zarr.json")));
      assertEquals("v2", meta.path("chunk_key_encoding").path("name").asText(), meta.toString());
      assertEquals("sharding_indexed", meta.path("codecs").path(0).path("name").asText());
      assertEquals(
          8, meta.path("chunk_grid").path("configuration").path("chunk_shape").path(0).asInt());
      // 37 x 29 in 8 x 8 shards: 5 x 4 shard objects, keyed "i.j".
      List<String> shardKeys =
          Futures.join(s.list("v/")).stream()
              .map(o -> o.key().substring(2))
              .filter(k -> !k.equals("zarr.json"))
              .sorted()
              .toList();
      assertEquals(20, shardKeys.size(), shardKeys.toString());
      assertTrue(shardKeys.contains("4.3"), shardKeys.toString());
    }
  }

  @Test
  void rowsLayoutWritesEverySampleInAnyOrder() {
    String uri = fresh("rows");
    int samples = 53;
    org.apache.spark.sql.Dataset<Row> df =
        spark
            .sql(
                "SELECT id AS sample, transform(sequence(0, 3), r -> transform(sequence(0, 2), c"
                    + " -> CAST((id * 12 + r * 3 + c) % 256 AS SHORT))) AS image FROM range(0, "
                    + samples
                    + ", 1, 4)")
            .repartition(3);
    df.write()
        .format("arraymorph")
        .mode("overwrite")
        .options(options())
        .option("layout", "rows")
        .option("dataset", "images")
        .option("dims", "sample")
        .option("dtype", "uint8")
        .option("chunks", "10,4,3")
        .save(uri);
    try (ArrayStore store = open(uri)) {
      Dataset ds = store.dataset("images");
      assertArrayEquals(new long[] {samples, 4, 3}, ds.shape());
      long[] got = ds.read().toLongArray();
      for (int s = 0; s < samples; s++) {
        for (int e = 0; e < 12; e++) {
          assertEquals((s * 12 + e) % 256, got[s * 12 + e], "sample " + s + " element " + e);
        }
      }
    }
    assertNothingStaged(uri);
  }

  @Test
  void rowsLayoutRunsCrossingChunksWithNullElementsWriteEveryValue() {
    String uri = fresh("rows-runs");
    int samples = 41;
    // Innermost arrays of 7 doubles cross chunks of 3 along the last dimension; every element
    // where (id + r + c) % 5 == 0 is null and keeps the fill value.
    org.apache.spark.sql.Dataset<Row> df =
        spark
            .sql(
                "SELECT id AS sample, transform(sequence(0, 3), r -> transform(sequence(0, 6), c"
                    + " -> IF((id + r + c) % 5 = 0, NULL, CAST(id * 100 + r * 10 + c AS DOUBLE)"
                    + " + 0.5))) AS image FROM range(0, "
                    + samples
                    + ", 1, 4)")
            .repartition(3);
    df.write()
        .format("arraymorph")
        .mode("overwrite")
        .options(options())
        .option("layout", "rows")
        .option("dataset", "images")
        .option("dims", "sample")
        .option("dtype", "float32")
        .option("fill_value", "-1")
        .option("chunks", "6,3,3")
        .save(uri);
    try (ArrayStore store = open(uri)) {
      Dataset ds = store.dataset("images");
      assertArrayEquals(new long[] {samples, 4, 7}, ds.shape());
      double[] got = ds.read().toDoubleArray();
      for (int s = 0; s < samples; s++) {
        for (int r = 0; r < 4; r++) {
          for (int c = 0; c < 7; c++) {
            double want = (s + r + c) % 5 == 0 ? -1 : (float) (s * 100 + r * 10 + c + 0.5);
            assertEquals(want, got[(s * 4 + r) * 7 + c], "sample " + s + " (" + r + ", " + c + ")");
          }
        }
      }
    }
    assertNothingStaged(uri);
  }

  @Test
  void rowsLayoutRefusesAnOutOfRangeValueAndADuplicateSample() {
    String bad = fresh("rows-range");
    org.apache.spark.sql.Dataset<Row> wide =
        spark.sql(
            "SELECT id AS sample, array(array(CAST(id * 100 AS SHORT), CAST(1 AS SHORT))) AS image"
                + " FROM range(0, 5, 1, 1)");
    Exception e = assertThrows(Exception.class, () -> writeRows(wide, bad));
    assertTrue(chain(e).contains("holds 300, which does not fit dtype uint8"), chain(e));
    String dup = fresh("rows-dup");
    org.apache.spark.sql.Dataset<Row> twice =
        spark.sql(
            "SELECT id % 4 AS sample, array(array(CAST(id AS SHORT), CAST(2 AS SHORT))) AS image"
                + " FROM range(0, 6, 1, 1)");
    e = assertThrows(Exception.class, () -> writeRows(twice, dup));
    assertTrue(chain(e).contains("Duplicate coordinates (sample=0"), chain(e));
    try (ArrayStore store = open(dup)) {
      assertFalse(store.exists("images"));
    }
    assertNothingStaged(dup);
  }

  private void writeRows(org.apache.spark.sql.Dataset<Row> df, String uri) {
    df.write()
        .format("arraymorph")
        .mode("overwrite")
        .options(options())
        .option("layout", "rows")
        .option("dataset", "images")
        .option("dims", "sample")
        .option("dtype", "uint8")
        .option("chunks", "2,1,2")
        .save(uri);
  }

  @Test
  void aDuplicateWithinOneTaskIsRefusedAndNothingIsWritten() {
    String uri = fresh("dup-task");
    org.apache.spark.sql.Dataset<Row> df =
        cells().union(cells().where("i = 3 AND j = 4")).coalesce(1);
    Exception e = assertThrows(Exception.class, () -> write(df, uri));
    assertTrue(chain(e).contains("Duplicate coordinates (i=3, j=4)"), chain(e));
    assertNothingWritten(uri);
  }

  @Test
  void aDuplicateAcrossTasksIsRefusedAtCommitAndNothingIsWritten() {
    String uri = fresh("dup-tasks");
    // The extra row lands in its own task: the duplicate is only seen when fragments merge.
    org.apache.spark.sql.Dataset<Row> df =
        cells().union(cells().where("i = 20 AND j = 7").repartition(1));
    Exception e = assertThrows(Exception.class, () -> write(df, uri));
    String m = chain(e);
    assertTrue(m.contains("Duplicate coordinates"), m);
    assertNothingWritten(uri);
  }

  private void assertNothingWritten(String uri) {
    try (ArrayStore store = open(uri)) {
      assertFalse(store.exists("v"));
    }
    try (ObjectStore s = ObjectStores.open(uri, StoreSettings.of(options()))) {
      List<ObjectInfo> left = Futures.join(s.list(""));
      assertTrue(left.stream().noneMatch(o -> o.key().startsWith("v/")), "left: " + left);
    }
    assertNothingStaged(uri);
  }

  /** Every message of the exception's cause chain. */
  private static String chain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append(" | ");
    }
    return sb.toString();
  }
}
