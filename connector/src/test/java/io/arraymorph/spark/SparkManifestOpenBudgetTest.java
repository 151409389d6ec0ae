package io.arraymorph.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.manifest.ManifestWriter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.PythonFixtures;
import io.arraymorph.testing.S3ProxyServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Opening and planning a read of a granule manifest costs the same driver requests whatever the
 * number of granules, and touches no granule: counted at the S3 server (every request passes
 * through a recording proxy in front of S3Proxy) for manifests of 2 and 8 netCDF4-python granules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkManifestOpenBudgetTest {
  private SparkSession spark;
  private FaultProxy proxy;
  private String root;
  private Map<String, String> viaProxy;

  @BeforeAll
  void indexGranules() throws Exception {
    S3ProxyServer server = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("manifest-open");
    server.createBucket(bucket);
    Map<String, String> direct = server.settings(bucket);
    root = "s3://" + bucket;
    Path dir = Files.createTempDirectory("granules");
    PythonFixtures.generateWith(
        "make_cf_granules.py", "count=8,chunk_lat=2,steps=4,lat=6,lon=8", dir);
    try (ObjectStore store = ObjectStores.open(root, StoreSettings.of(direct))) {
      for (int g = 0; g < 8; g++) {
        String name = String.format("granule_%04d.nc", g);
        Futures.join(store.put("granules/" + name, Files.readAllBytes(dir.resolve(name))));
      }
    }
    spark = SparkTestSupport.session();
    for (String[] m : new String[][] {{"two", "[01]"}, {"eight", "[0-7]"}}) {
      SparkGranuleManifest.index(
          spark,
          List.of(root + "/granules/granule_000" + m[1] + ".nc"),
          root + "/" + m[0] + ".manifest",
          ManifestWriter.Options.DEFAULT,
          direct);
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

  private List<FaultProxy.Request> drain() {
    return proxy.drainRecorded();
  }

  /** The driver's requests to plan a filtered count over the manifest, which it checks. */
  private List<FaultProxy.Request> planAndCount(String manifest, long expected) {
    drain();
    Dataset<Row> df =
        spark
            .read()
            .format("arraymorph")
            .options(viaProxy)
            .option("dataset", "tas")
            .option("coordinate_values", "true")
            .load(root + "/" + manifest)
            .where("time >= '2021-01-02' and lat = 89 and lon = 0")
            .select("time");
    df.queryExecution().executedPlan();
    List<FaultProxy.Request> driver = drain();
    assertEquals(expected, df.count());
    System.out.println("MANIFEST OPEN REQUESTS " + manifest + ": " + driver.size() + " " + driver);
    for (FaultProxy.Request r : driver) {
      assertTrue(!r.decodedPath().contains("/granules/"), "opened a granule: " + r);
    }
    return driver;
  }

  @Test
  void openingAManifestCostsTheSameDriverRequestsForAnyNumberOfGranules() {
    // Records are days 0.. (4 a granule): a time filter from day 1 keeps all but one.
    int two = planAndCount("two.manifest", 2 * 4 - 1).size();
    int eight = planAndCount("eight.manifest", 8 * 4 - 1).size();
    assertEquals(two, eight, "driver requests for 2 and for 8 granules");
    // 14 today: each array's zarr.json, one listing of the manifest group (CF time lookup), and
    // the time, lat and lon coordinates' one chunk each, some zarr.json read more than once.
    assertTrue(eight <= 14, eight + " driver requests");
  }
}
