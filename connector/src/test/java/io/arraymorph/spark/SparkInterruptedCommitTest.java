package io.arraymorph.spark;

import static io.arraymorph.spark.CommitTestLocations.chain;
import static io.arraymorph.spark.CommitTestLocations.leftovers;
import static io.arraymorph.spark.CommitTestLocations.s3Location;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import io.arraymorph.write.PublicationRepair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Spark overwrite whose commit fails part-way on S3Proxy (a server-side copy to a final chunk key
 * answers 500, with retries off): the query fails saying how to repair, Spark reads of the dataset
 * are refused naming the state and the repair, and a repair (Java API) or the next Spark write
 * leaves one whole version, checked value by value, with nothing left in staging.
 */
@StartsServers
class SparkInterruptedCommitTest {
  static final int N = 32;

  static SparkSession spark;
  static S3ProxyServer s3;

  @BeforeAll
  static void start() {
    spark = SparkTestSupport.session();
    s3 = S3ProxyServer.get();
  }

  private static Dataset<Row> rows(long value) {
    return spark.sql(
        "SELECT i, j, CAST(i * 100 + j + "
            + value
            + " AS INT) AS v FROM range("
            + N
            + ") a(i) CROSS JOIN range("
            + N
            + ") b(j)");
  }

  private static void write(Dataset<Row> df, String uri, Map<String, String> opts, String mode) {
    df.write()
        .format("arraymorph")
        .mode(mode)
        .options(opts)
        .option("dataset", "v")
        .option("dims", "i,j")
        .option("chunks", "8,8")
        .save(uri);
  }

  /** Overwrites with {@code value} through a proxy that fails every copy to a final key. */
  private static void interruptedOverwrite(String uri, Map<String, String> opts, long value) {
    try (FaultProxy proxy =
        FaultProxy.start(s3.endpoint(), FaultProxy.Flavor.S3, 3)
            .only(
                r ->
                    r.method().equals("PUT")
                        && r.decodedPath().contains("/v/c/")
                        && !r.decodedPath().contains(".arraymorph-staging"))
            .rate(FaultProxy.Fault.ERROR_500, 1.0)) {
      Map<String, String> faulty = new HashMap<>(opts);
      faulty.put("endpoint", proxy.endpoint());
      faulty.put("max_retries", "0");
      Exception e =
          assertThrows(Exception.class, () -> write(rows(value), uri, faulty, "overwrite"));
      assertTrue(chain(e).contains("failed part-way"), chain(e));
      assertTrue(chain(e).contains(" repair <location> v"), chain(e));
      assertTrue(proxy.injected(FaultProxy.Fault.ERROR_500) >= 1);
    }
  }

  private static void assertValues(String uri, Map<String, String> opts, long value) {
    List<Row> got =
        spark
            .read()
            .format("arraymorph")
            .options(opts)
            .option("dataset", "v")
            .load(uri)
            .collectAsList();
    assertEquals(N * N, got.size());
    for (Row r : got) {
      long i = r.getLong(0);
      long j = r.getLong(1);
      assertEquals((int) (i * 100 + j + value), r.getInt(2), "v[" + i + "," + j + "]");
    }
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(opts))) {
      int[] all = store.dataset("v").read().toIntArray();
      for (int k = 0; k < all.length; k++) {
        assertEquals((int) ((k / N) * 100 + k % N + value), all[k], "element " + k);
      }
    }
    assertEquals(List.of(), leftovers(uri, opts), "nothing left in staging or locks");
  }

  @Test
  void aCommitFailingPartWayIsRefusedByReadersThenRepairedThroughTheJavaApi() {
    Map<String, String> opts = new HashMap<>();
    String uri = s3Location(s3, "interrupted", opts);
    write(rows(0), uri, opts, "errorifexists");
    interruptedOverwrite(uri, opts, 7);
    Exception read =
        assertThrows(
            Exception.class,
            () ->
                spark
                    .read()
                    .format("arraymorph")
                    .options(opts)
                    .option("dataset", "v")
                    .load(uri)
                    .collectAsList());
    assertTrue(chain(read).contains("state publishing"), chain(read));
    // The test server's identity is "arraymorph", so messages redact that word to ***.
    assertTrue(chain(read).contains(" repair <location> v"), chain(read));
    try (ArrayStore store = ArrayStore.open(uri, StoreSettings.of(opts))) {
      assertEquals(PublicationRepair.Outcome.ROLLED_FORWARD, store.repair("v").outcome());
    }
    assertValues(uri, opts, 7);
  }

  @Test
  void theNextSparkWriteFinishesAnInterruptedCommitFirst() {
    Map<String, String> opts = new HashMap<>();
    String uri = s3Location(s3, "next-write", opts);
    write(rows(0), uri, opts, "errorifexists");
    interruptedOverwrite(uri, opts, 7);
    // An append of the same cells plus 5 would be wrong on either a mix or the old version.
    write(rows(12), uri, opts, "append");
    assertValues(uri, opts, 12);
  }
}
