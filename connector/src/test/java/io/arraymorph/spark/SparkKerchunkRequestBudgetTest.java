package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.kerchunk.KerchunkWriter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a filtered read through kerchunk references on S3 costs, counted at the server: the driver
 * reads the reference document once (plus one HEAD of each data file the refs name, recording its
 * version); each task carries the refs of its chunks, so the executors make exactly one ranged GET
 * of the HDF5 file per overlapping chunk, each with {@code If-Match} on the version planned (the
 * task reads the planned refs, so only the data file can change under it), no HEAD (one per task
 * before reads checked the version themselves), and never GET or parse the reference document.
 */
@StartsServers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkKerchunkRequestBudgetTest {
  private static final String FILE = "classic.h5";
  private SparkSession spark;
  private FaultProxy proxy;
  private String root;
  private Path dir;
  private JsonNode manifest;
  private Map<String, String> viaProxy;

  @BeforeAll
  void upload() throws Exception {
    S3ProxyServer server = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("kerchunk-budget");
    server.createBucket(bucket);
    Map<String, String> direct = server.settings(bucket);
    root = "s3://" + bucket + "/fixtures";
    dir = SparkFixtureFiles.hdf5();
    manifest = SparkFixtureFiles.json(dir.resolve("manifest.json"));
    try (ObjectStore store = ObjectStores.open(root, StoreSettings.of(direct))) {
      Futures.join(store.put(FILE, Files.readAllBytes(dir.resolve(FILE))));
      try (Hdf5File h5 = Hdf5File.open(store, FILE)) {
        Futures.join(
            store.put(FILE + ".json", KerchunkWriter.write(h5, root + "/" + FILE).toJson()));
      }
    }
    proxy = FaultProxy.start(server.endpoint(), FaultProxy.Flavor.S3, 1);
    proxy.recordOnly();
    viaProxy = new HashMap<>(direct);
    viaProxy.put("endpoint", proxy.endpoint());
    spark = SparkTestSupport.session();
  }

  @AfterAll
  void stop() {
    proxy.close();
    spark.stop();
  }

  private static long count(List<FaultProxy.Request> requests, String method, String suffix) {
    return requests.stream()
        .filter(r -> r.method().equals(method))
        .filter(r -> r.decodedPath().split("\\?", -1)[0].endsWith(suffix))
        .count();
  }

  /** {@code /large} is 800x600 float32 in 64x64 chunks: rows and columns 60..69 touch 4 chunks. */
  @Test
  void tasksCarryTheirRefsAndMakeOneRangedGetPerChunkCheckingTheVersion() throws Exception {
    proxy.drainRecorded();
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(viaProxy)
            .option("dataset", "large")
            .option("decode_cf", "false")
            .option("partition_bytes", Integer.toString(64 * 64 * 4)) // one chunk per task
            .load(root + "/" + FILE + ".json");
    String i = df.columns()[0];
    String j = df.columns()[1];
    Dataset<Row> slice = df.where(i + " BETWEEN 60 AND 69 AND " + j + " BETWEEN 60 AND 69");
    List<BatchScanExec> scans = SparkTestSupport.scans(slice.queryExecution().executedPlan());
    int tasks = scans.get(0).inputPartitions().size();
    List<FaultProxy.Request> driver = proxy.drainRecorded();
    List<Row> rows = slice.collectAsList();
    List<FaultProxy.Request> executors = proxy.drainRecorded();
    System.out.println(
        "KERCHUNK REQUESTS: driver "
            + driver.size()
            + " "
            + driver
            + "; tasks "
            + tasks
            + ", executors "
            + executors.size()
            + " "
            + executors);

    ByteBuffer h5py = reference("/large");
    assertEquals(100, rows.size());
    for (Row r : rows) {
      int at = (int) (r.getLong(0) * 600 + r.getLong(1));
      assertEquals(h5py.getFloat(at * Float.BYTES), r.getFloat(2), 0f, r.toString());
    }
    assertEquals(4, tasks, "one task per overlapping chunk");
    assertEquals(0, count(driver, "GET", "/" + FILE), "planning reads no chunk: " + driver);
    assertTrue(count(driver, "GET", FILE + ".json") >= 1, "" + driver);
    assertEquals(1, count(driver, "HEAD", "/" + FILE), "the data file's version: " + driver);
    assertEquals(0, count(driver, "HEAD", FILE + ".json"), "refs are not versioned: " + driver);
    assertEquals(
        0, count(executors, "GET", FILE + ".json"), "no task reads the refs: " + executors);
    assertEquals(4, count(executors, "GET", "/" + FILE), "one ranged GET per chunk: " + executors);
    assertTrue(
        executors.stream().allMatch(r -> r.ifMatch() != null),
        "each GET checks the data file's version: " + executors);
    assertEquals(0, count(executors, "HEAD", "/" + FILE), "no HEAD after the reads");
    assertEquals(4, executors.size(), "nothing else: " + executors);
  }

  private ByteBuffer reference(String path) throws Exception {
    for (JsonNode d : manifest.get("files").get(FILE).get("datasets")) {
      if (d.get("path").asText().equals(path)) {
        byte[] bytes = Files.readAllBytes(dir.resolve(d.get("ref").asText()));
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      }
    }
    throw new IllegalArgumentException(FILE + ":" + path);
  }
}
