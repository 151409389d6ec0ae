package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.spark.write.SparkWriteBuilder;
import io.arraymorph.spark.write.SparkWritePlans;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.zarr.ZarrDataset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a filtered read of one Zarr v3 dataset on S3 costs, counted at the server (every request
 * passes through a recording proxy in front of S3Proxy): planning on the driver reads the dataset's
 * zarr.json once (plus, with CF decoding, the default, one listing of its group to learn that no
 * dimension has a time coordinate variable) and fetches no chunk; the tasks then fetch exactly the
 * chunks the filter overlaps and make one version check each, or none for a dataset that records no
 * version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkRequestBudgetTest {
  private SparkSession spark;
  private FaultProxy proxy;
  private String root;
  private Map<String, String> viaProxy;

  @BeforeAll
  void writeDatasets() {
    S3ProxyServer server = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("spark-budget");
    server.createBucket(bucket);
    Map<String, String> direct = server.settings(bucket);
    root = "s3://" + bucket + "/budget.zarr";
    spark = SparkTestSupport.session();
    spark
        .sql(
            "SELECT i, j, CAST(i * 40 + j AS INT) AS versioned FROM range(40) a(i), range(40) b(j)")
        .write()
        .format("arraymorph")
        .options(direct)
        .option("dataset", "versioned")
        .option("dims", "i,j")
        .option("chunks", "10,10")
        .save(root);
    int[] values = new int[40 * 40];
    for (int k = 0; k < values.length; k++) {
      values[k] = k;
    }
    try (ArrayStore store = ArrayStore.open(root, StoreSettings.of(direct))) {
      // Chunks first, metadata last and no version: a dataset written by another Zarr writer.
      ZarrDataset plain =
          store.prepareDataset("plain", ArraySpec.of(DataType.INT32, 40, 40).chunks(10, 10));
      plain.write(new long[] {0, 0}, NdArray.of(values, 40, 40));
      plain.writeMetadata();
      // A time coordinate two groups up from the variable that uses it, as netCDF allows.
      store
          .createDataset(
              "cf/time",
              ArraySpec.of(DataType.INT64, 3)
                  .chunks(3)
                  .dimensionNames("time")
                  .attributes(Map.of("units", "hours since 2024-01-01 00:00:00")))
          .write(new long[] {0}, NdArray.of(new long[] {0, 6, 12}, 3));
      int[] temp = new int[3 * 4];
      for (int k = 0; k < temp.length; k++) {
        temp[k] = k;
      }
      store
          .createDataset(
              "cf/inner/temp",
              ArraySpec.of(DataType.INT32, 3, 4).chunks(3, 4).dimensionNames("time", "x"))
          .write(new long[] {0, 0}, NdArray.of(temp, 3, 4));
    }
    proxy = FaultProxy.start(server.endpoint(), FaultProxy.Flavor.S3, 1);
    proxy.recordOnly();
    viaProxy = new HashMap<>(direct);
    viaProxy.put("endpoint", proxy.endpoint());
  }

  @AfterAll
  void stop() {
    proxy.close();
    spark.stop();
  }

  /** The requests since the last call, and forgets them. */
  private List<FaultProxy.Request> drain() {
    return proxy.drainRecorded();
  }

  private static long count(List<FaultProxy.Request> requests, String suffix) {
    return requests.stream()
        .filter(r -> r.decodedPath().split("\\?", -1)[0].endsWith(suffix))
        .count();
  }

  private static List<String> chunkKeys(List<FaultProxy.Request> requests) {
    return requests.stream()
        .map(r -> r.decodedPath().split("\\?", -1)[0])
        .filter(p -> p.contains("/c/"))
        .map(p -> p.substring(p.indexOf("budget.zarr/") + "budget.zarr/".length()))
        .sorted()
        .toList();
  }

  /**
   * Plans (driver), then runs (tasks) a read of rows 10..19, columns 0..14: chunks (1,0), (1,1).
   */
  private void checkBudget(String dataset, Boolean decodeCf, int driverBudget, int checksPerTask) {
    drain();
    Map<String, String> options = new HashMap<>(viaProxy);
    if (decodeCf != null) {
      options.put("decode_cf", decodeCf.toString());
    }
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(options)
            .option("dataset", dataset)
            .option("partition_bytes", "400") // one 10x10 int32 chunk per task
            .load(root)
            .where(filter(dataset));
    List<BatchScanExec> scans = SparkTestSupport.scans(df.queryExecution().executedPlan());
    int tasks = scans.get(0).inputPartitions().size();
    List<FaultProxy.Request> driver = drain();
    List<Row> rows = df.collectAsList();
    List<FaultProxy.Request> executors = drain();
    System.out.println(
        "REQUESTS "
            + dataset
            + " decode_cf="
            + decodeCf
            + ": driver "
            + driver.size()
            + " "
            + driver
            + "; tasks "
            + tasks
            + ", executors "
            + executors.size()
            + " "
            + executors);
    assertEquals(List.of(), chunkKeys(driver), "planning fetches no chunk");
    assertTrue(
        driver.size() <= driverBudget,
        driver.size() + " driver requests, budget " + driverBudget + ": " + driver);
    assertEquals(2, tasks, "one task per overlapping chunk");
    assertEquals(100 + 50, rows.size());
    for (Row r : rows) {
      assertEquals(r.getLong(0) * 40 + r.getLong(1), r.getInt(2));
    }
    assertEquals(List.of(dataset + "/c/1/0", dataset + "/c/1/1"), chunkKeys(executors));
    assertEquals((long) tasks * checksPerTask, count(executors, "zarr.json"), "version checks");
    assertEquals(2 + tasks * checksPerTask, executors.size(), "nothing else: " + executors);
  }

  /** Rows 10..19, columns 0..14, in the dataset's dimension names. */
  private static String filter(String dataset) {
    String[] d =
        dataset.equals("versioned") ? new String[] {"i", "j"} : new String[] {"dim_0", "dim_1"};
    return d[0] + " >= 10 AND " + d[0] + " < 20 AND " + d[1] + " < 15";
  }

  @Test
  void versionedDatasetWithoutCfLookupsCostsOneDriverGetAndOneCheckPerTask() {
    checkBudget("versioned", false, 1, 1);
  }

  /** The budget: default options (CF decoding on), two named dimensions, no coordinates. */
  @Test
  void defaultOptionsCostAtMostTwoDriverRequestsAndOneCheckPerTask() {
    checkBudget("versioned", null, 2, 1);
  }

  @Test
  void cfDecodingListsTheGroupOnceInsteadOfOneLookupPerNamedDimension() {
    checkBudget("versioned", true, 1 + 1, 1);
  }

  /**
   * The listing finds coordinates too: {@code time} two groups up becomes a timestamp column; each
   * group is listed once for both dimensions, and {@code x}, which has no coordinate, costs no GET.
   */
  @Test
  void timeCoordinateInAnAncestorGroupIsFoundThroughOneListingPerGroup() {
    drain();
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(viaProxy)
            .option("dataset", "cf/inner/temp")
            .load(root);
    List<FaultProxy.Request> driver = drain();
    assertEquals("time timestamp, x long, temp int", SparkReadWriteTest.ddl(df));
    long start = java.time.Instant.parse("2024-01-01T00:00:00Z").getEpochSecond() * 1_000_000L;
    List<Row> rows = df.orderBy("time", "x").collectAsList();
    assertEquals(12, rows.size());
    for (int k = 0; k < rows.size(); k++) {
      Row r = rows.get(k);
      assertEquals(
          start + (k / 4) * 6L * 3_600_000_000L, SparkCfDecodingTest.micros(r.getTimestamp(0)));
      assertEquals(k % 4, r.getLong(1));
      assertEquals(k, r.getInt(2));
    }
    List<String> lists =
        driver.stream()
            .map(FaultProxy.Request::decodedPath)
            .filter(p -> p.contains("delimiter="))
            .map(p -> p.substring(p.indexOf("prefix=") + "prefix=".length()).split("&", -1)[0])
            .sorted()
            .toList();
    assertEquals(
        List.of("budget.zarr/", "budget.zarr/cf/", "budget.zarr/cf/inner/"), lists, "" + driver);
    assertEquals(0, count(driver, "/x/zarr.json"), "no lookup of a name no group holds");
  }

  /**
   * Planning an append to an existing dataset (its dimension names taken from the stored metadata)
   * asks core once: one GET of its zarr.json and three HEADs for the layouts ArrayMorph reads but
   * does not write (.zarray, .zgroup, the C++ plugin's metadata). Before core answered once, the
   * builder opened the dataset twice and core read zarr.json again.
   */
  @Test
  void planningAnAppendReadsTheTargetOnce() {
    Map<String, String> options = new HashMap<>(viaProxy);
    options.put("path", root);
    options.put("dataset", "versioned");
    StructType schema =
        new StructType()
            .add("i", DataTypes.LongType)
            .add("j", DataTypes.LongType)
            .add("versioned", DataTypes.IntegerType);
    LogicalWriteInfo info =
        new LogicalWriteInfo() {
          @Override
          public CaseInsensitiveStringMap options() {
            return new CaseInsensitiveStringMap(options);
          }

          @Override
          public String queryId() {
            return "budget-plan";
          }

          @Override
          public StructType schema() {
            return schema;
          }
        };
    drain();
    List<String> dimNames =
        SparkWritePlans.plannedDimNames(
            new SparkWriteBuilder(SparkOptions.resolve(options, Map.of(), Map.of()), info, false));
    List<FaultProxy.Request> driver = drain();
    System.out.println("WRITE PLAN REQUESTS: " + driver.size() + " " + driver);
    assertEquals(List.of("i", "j"), dimNames, "dimension names from the stored dataset");
    List<FaultProxy.Request> target =
        driver.stream().filter(r -> r.decodedPath().contains("budget.zarr/versioned/")).toList();
    assertEquals(1, count(target, "versioned/zarr.json"), "one read of zarr.json: " + driver);
    assertEquals(4, target.size(), "zarr.json + three format HEADs: " + driver);
    assertEquals(List.of(), chunkKeys(driver), "planning touches no chunk");
  }

  /**
   * A DataFrame queried again plans from the metadata it opened at load: its tasks' requests only
   * (the chunks and one version check each); after a write by this JVM, its next query opens the
   * dataset once more (one GET of zarr.json, one LIST for the CF coordinate search), then none
   * again.
   */
  @Test
  void aLoadedDataFrameQueriedAgainPlansWithoutRequestsUntilThisJvmWrites() {
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(viaProxy)
            .option("dataset", "versioned")
            .option("partition_bytes", "400") // one 10x10 int32 chunk per task
            .load(root);
    checkRows(df.where(filter("versioned")).collectAsList());
    drain();
    checkRows(df.where(filter("versioned")).collectAsList());
    List<FaultProxy.Request> again = drain();
    assertEquals(List.of("versioned/c/1/0", "versioned/c/1/1"), chunkKeys(again), "" + again);
    assertEquals(2, count(again, "versioned/zarr.json"), "one version check per task: " + again);
    assertEquals(4, again.size(), "no planning request: " + again);

    try (ArrayStore store = ArrayStore.open(root, StoreSettings.of(viaProxy))) {
      store
          .createDataset("written-later", ArraySpec.of(DataType.INT32, 2).chunks(2))
          .write(new long[] {0}, NdArray.of(new int[] {1, 2}, 2));
    }
    drain();
    checkRows(df.where(filter("versioned")).collectAsList());
    List<FaultProxy.Request> afterWrite = drain();
    assertEquals(3, count(afterWrite, "versioned/zarr.json"), "reopened once: " + afterWrite);
    assertEquals(6, afterWrite.size(), "plus the CF search's LIST: " + afterWrite);
    checkRows(df.where(filter("versioned")).collectAsList());
    assertEquals(4, drain().size(), "no planning request again");
  }

  /** Rows 10..19, columns 0..14 of dataset versioned, each holding i * 40 + j. */
  private static void checkRows(List<Row> rows) {
    assertEquals(100 + 50, rows.size());
    for (Row r : rows) {
      assertTrue(r.getLong(0) >= 10 && r.getLong(0) < 20 && r.getLong(1) < 15, "" + r);
      assertEquals(r.getLong(0) * 40 + r.getLong(1), r.getInt(2));
    }
  }

  @Test
  void unversionedDatasetCostsOneDriverGetAndNoCheck() {
    checkBudget("plain", null, 1, 0);
  }
}
