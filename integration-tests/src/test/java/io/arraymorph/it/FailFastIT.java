package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Misconfigured stores fail through Spark within bounded time, with a message naming the setting to
 * fix, and never show a secret: not in the message, its causes, nor in any plan Spark prints
 * ({@code queryExecution()}, {@code explain(true)}, the plans of failed writes).
 */
@StartsServers
class FailFastIT {
  /** Bound for one failing read or write, generous for a loaded 2-core machine. */
  static final long LIMIT_MS = 60_000;

  static SparkSession spark;
  static final List<String> plans = new CopyOnWriteArrayList<>();
  static final QueryExecutionListener LISTENER =
      new QueryExecutionListener() {
        @Override
        public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
          plans.add(qe.toString());
        }

        @Override
        public void onFailure(String funcName, QueryExecution qe, Exception exception) {
          plans.add(qe.toString());
        }
      };

  @BeforeAll
  static void start() {
    spark = Sessions.local();
    spark.listenerManager().register(LISTENER);
  }

  @AfterAll
  static void stop() {
    spark.listenerManager().unregister(LISTENER);
  }

  /** Reads and writes with {@code options} at {@code location}; both must fail as described. */
  static void assertFailsClearly(
      String location, Map<String, String> options, List<String> secrets, String... mentions) {
    plans.clear();
    List<String> all = new ArrayList<>(secrets);
    for (boolean write : new boolean[] {false, true}) {
      long t0 = System.nanoTime();
      Throwable failure = null;
      try {
        if (write) {
          spark
              .sql("SELECT i, CAST(i AS INT) AS v FROM range(10) a(i)")
              .write()
              .format("arraymorph")
              .options(options)
              .option("dataset", "v")
              .option("dims", "i")
              .option("chunks", "5")
              .save(location);
        } else {
          spark
              .read()
              .format("arraymorph")
              .options(options)
              .option("dataset", "v")
              .load(location)
              .collectAsList();
        }
      } catch (Throwable t) {
        failure = t;
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      String what = (write ? "write" : "read") + " of " + location;
      assertNotNull(failure, what + " should fail");
      String text = Scenarios.fullText(failure);
      assertTrue(ms < LIMIT_MS, what + " took " + ms + " ms");
      String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
      boolean named = false;
      for (String m : mentions) {
        named |= message.contains(m.toLowerCase(Locale.ROOT));
      }
      assertTrue(
          named,
          what + ": message should name one of " + List.of(mentions) + ": " + failure.getMessage());
      Scenarios.assertNoSecret(text, all, what + " error " + text);
      for (String plan : plans) {
        Scenarios.assertNoSecret(plan, all, what + " plan");
      }
    }
  }

  static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> m = new LinkedHashMap<>(base);
    m.put(key, value);
    return m;
  }

  // ---- S3 (CRT client) against S3Proxy

  @Test
  void s3WrongCredentials() {
    StoreFixture s3 = StoreFixture.s3();
    String wrong = "wrong-secret-" + System.nanoTime();
    assertFailsClearly(
        s3.newLocation("bad-creds"),
        with(s3.options(), "secret_key", wrong),
        List.of(wrong, S3ProxyServer.get().secretKey()),
        "secret_key");
  }

  @Test
  void s3MissingBucket() {
    StoreFixture s3 = StoreFixture.s3();
    assertFailsClearly(
        "s3://" + S3ProxyServer.uniqueBucketName("no-such-bucket") + "/a.zarr",
        s3.options(),
        s3.secrets(),
        "bucket");
  }

  @Test
  void s3UnreachableEndpoint() throws Exception {
    StoreFixture s3 = StoreFixture.s3();
    assertFailsClearly(
        s3.newLocation("closed"),
        with(s3.options(), "endpoint", "http://127.0.0.1:" + EnvironmentConfigIT.closedPort()),
        s3.secrets(),
        "endpoint");
  }

  @Test
  void s3TlsToAPlainHttpEndpoint() {
    StoreFixture s3 = StoreFixture.s3();
    Map<String, String> o = with(s3.options(), "endpoint", S3ProxyServer.get().hostAndPort());
    o.put("use_tls", "true");
    assertFailsClearly(s3.newLocation("tls"), o, s3.secrets(), "use_tls");
  }

  // ---- Azure against Azurite

  @Test
  void azureWrongCredentials() {
    StoreFixture az = StoreFixture.azure();
    String wrongKey =
        java.util.Base64.getEncoder()
            .encodeToString(
                ("wrong-key-" + System.nanoTime()).repeat(4).getBytes(StandardCharsets.UTF_8));
    String cs =
        AzuriteServer.get().connectionString().replace(AzuriteServer.DEV_ACCOUNT_KEY, wrongKey);
    assertFailsClearly(
        az.newLocation("bad-creds"),
        Map.of("connection_string", cs),
        List.of(wrongKey, cs),
        "connection_string",
        "account_key");
  }

  @Test
  void azureMissingContainer() {
    StoreFixture az = StoreFixture.azure();
    assertFailsClearly(
        "az://" + AzuriteServer.uniqueContainerName("no-such-container") + "/a.zarr",
        az.options(),
        az.secrets(),
        "container");
  }

  @Test
  void azureUnreachableEndpoint() throws Exception {
    StoreFixture az = StoreFixture.azure();
    String cs = AzuriteServer.connectionString(EnvironmentConfigIT.closedPort());
    assertFailsClearly(
        az.newLocation("closed"),
        Map.of("connection_string", cs),
        List.of(cs, AzuriteServer.DEV_ACCOUNT_KEY),
        "endpoint",
        "connection_string");
  }

  @Test
  void azureTlsToAPlainHttpEndpoint() {
    StoreFixture az = StoreFixture.azure();
    String endpoint = AzuriteServer.get().blobEndpoint().replaceFirst("^http://", "");
    Map<String, String> o = new LinkedHashMap<>();
    o.put("account_name", AzuriteServer.DEV_ACCOUNT);
    o.put("account_key", AzuriteServer.DEV_ACCOUNT_KEY);
    o.put("endpoint", endpoint);
    o.put("use_tls", "true");
    assertFailsClearly(az.newLocation("tls"), o, List.of(AzuriteServer.DEV_ACCOUNT_KEY), "use_tls");
  }

  // ---- Hadoop S3A against S3Proxy

  @Test
  void s3aWrongCredentials() {
    StoreFixture s3a = StoreFixture.s3a();
    String wrong = "wrong-secret-" + System.nanoTime();
    assertFailsClearly(
        s3a.newLocation("bad-creds"),
        with(s3a.options(), "fs.s3a.secret.key", wrong),
        List.of(wrong, S3ProxyServer.get().secretKey()),
        "fs.s3a.secret.key",
        "fs.s3a.access.key");
  }

  // ---- Secrets never in plans of working queries

  @Test
  void plansOfWorkingReadsAndWritesShowNoSecret() {
    for (StoreFixture store :
        List.of(StoreFixture.s3(), StoreFixture.azure(), StoreFixture.s3a())) {
      plans.clear();
      String location = store.newLocation("plans");
      spark
          .sql("SELECT i, CAST(i AS INT) AS v FROM range(10) a(i)")
          .write()
          .format("arraymorph")
          .options(store.options())
          .option("dataset", "v")
          .option("dims", "i")
          .option("chunks", "5")
          .save(location);
      Dataset<Row> df =
          spark
              .read()
              .format("arraymorph")
              .options(store.options())
              .option("dataset", "v")
              .load(location)
              .where("i > 2");
      df.collectAsList();
      String text = Scenarios.plans(df) + "\n" + String.join("\n", plans);
      assertTrue(plans.size() >= 2, "write and read plans captured");
      Scenarios.assertNoSecret(text, store.secrets(), store + " plans: " + text);
    }
  }
}
