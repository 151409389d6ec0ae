package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Misconfigured S3 stores fail fast with a message naming the option to fix and no secret. */
@StartsServers
class S3StoreErrorsTest {
  private static final String WRONG_SECRET = "wrong-secret-Zx81Qp0vLm";
  private static S3ProxyServer server;
  private static String bucket;

  @BeforeAll
  static void createBucket() {
    server = S3ProxyServer.get();
    bucket = S3ProxyServer.uniqueBucketName("errors");
    server.createBucket(bucket);
  }

  private static Map<String, String> options() {
    Map<String, String> m = new HashMap<>(server.settings(bucket));
    m.put("max_retries", "1");
    return m;
  }

  /** The failure of a call, with the whole printed stack trace for secret checks. */
  private static StoreException failure(CompletableFuture<?> call) throws Exception {
    try {
      call.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(StoreException.class, Futures.unwrap(e));
    }
    throw new AssertionError("expected a failure");
  }

  private static String printed(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static void assertNoSecret(Throwable t, String secret) {
    assertFalse(t.getMessage().contains(secret), t.getMessage());
    assertFalse(printed(t).contains(secret), "secret in the stack trace");
  }

  @Test
  void wrongCredentialsNameAccessKeyAndSecretKey() throws Exception {
    Map<String, String> o = options();
    o.put("secret_key", WRONG_SECRET);
    try (ObjectStore store = ObjectStores.open("s3://" + bucket + "/p", StoreSettings.of(o))) {
      StoreException e = failure(store.get("k"));
      assertTrue(e.getMessage().contains("access_key"), e.getMessage());
      assertTrue(e.getMessage().contains("secret_key"), e.getMessage());
      assertNoSecret(e, WRONG_SECRET);
      StoreException put = failure(store.put("k", new byte[] {1}));
      assertTrue(put.getMessage().contains("secret_key"), put.getMessage());
      assertNoSecret(put, WRONG_SECRET);
      assertFalse(store.describe().contains(WRONG_SECRET));
      assertFalse(store.toString().contains(WRONG_SECRET));
    }
  }

  @Test
  void missingBucketIsNamedForGetHeadListAndPut() throws Exception {
    String missing = "no-such-bucket-" + System.nanoTime();
    try (ObjectStore store =
        ObjectStores.open("s3://" + missing + "/p", StoreSettings.of(options()))) {
      for (CompletableFuture<?> call :
          new CompletableFuture<?>[] {
            store.get("k"), store.head("k"), store.list(""), store.put("k", new byte[1])
          }) {
        StoreException e = failure(call);
        assertTrue(e.getMessage().contains("'" + missing + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertNoSecret(e, server.secretKey());
      }
    }
  }

  @Test
  void unreachableEndpointFailsWithinSecondsNamingTheEndpoint() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Map<String, String> o = options();
    o.put("endpoint", "http://127.0.0.1:" + closedPort);
    o.put("connect_timeout_ms", "2000");
    long start = System.nanoTime();
    try (ObjectStore store = ObjectStores.open("s3://" + bucket + "/p", StoreSettings.of(o))) {
      StoreException e = failure(store.get("k"));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertTrue(seconds < 10, "took " + seconds + " s");
      assertTrue(
          e.getMessage().startsWith("Cannot connect to S3 endpoint http://127.0.0.1:" + closedPort),
          e.getMessage());
      assertNoSecret(e, server.secretKey());
    }
  }

  @Test
  void tlsAgainstPlainHttpServerNamesUseTls() throws Exception {
    Map<String, String> o = options();
    o.put("endpoint", server.hostAndPort());
    o.put("use_tls", "true");
    long start = System.nanoTime();
    try (ObjectStore store = ObjectStores.open("s3://" + bucket + "/p", StoreSettings.of(o))) {
      StoreException e = failure(store.get("k"));
      assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 20);
      assertTrue(e.getMessage().startsWith("TLS connection to S3 endpoint "), e.getMessage());
      assertTrue(e.getMessage().contains("use_tls"), e.getMessage());
      assertNoSecret(e, server.secretKey());
    }
  }

  @Test
  void onlyAnAccessKeyIsRejectedNamingSecretKey() {
    Map<String, String> o = options();
    o.remove("secret_key");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ObjectStores.open("s3://" + bucket, StoreSettings.of(o)));
    assertTrue(e.getMessage().contains("'secret_key' is not"), e.getMessage());
  }

  @Test
  void settingsToStringHidesSecrets() {
    StoreSettings s = StoreSettings.of(options());
    assertFalse(s.toString().contains(server.secretKey()));
    try (ObjectStore store = ObjectStores.open("s3://" + bucket + "/p", s)) {
      assertFalse(store.describe().contains(server.secretKey()));
      assertTrue(store.describe().contains(bucket));
    }
  }
}
