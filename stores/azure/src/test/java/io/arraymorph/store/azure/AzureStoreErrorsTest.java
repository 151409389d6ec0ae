package io.arraymorph.store.azure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.StartsServers;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Misconfigured Azure stores fail fast with a message naming the option to fix and no secret. */
@StartsServers
class AzureStoreErrorsTest {
  private static final String WRONG_KEY =
      Base64.getEncoder()
          .encodeToString("not-the-account-key-0123456789ab".getBytes(StandardCharsets.UTF_8));
  private static AzuriteServer server;
  private static String container;

  @BeforeAll
  static void createContainer() {
    server = AzuriteServer.get();
    container = AzuriteServer.uniqueContainerName("errors");
    server.createContainer(container);
  }

  /** Settings by account key against Azurite's blob endpoint. */
  private static Map<String, String> keyOptions(String key) {
    URI endpoint = URI.create(server.blobEndpoint());
    Map<String, String> m = new HashMap<>();
    m.put("account_name", server.accountName());
    m.put("account_key", key);
    m.put("endpoint", endpoint.toString());
    m.put("max_retries", "1");
    return m;
  }

  private static StoreException failure(CompletableFuture<?> call) throws Exception {
    try {
      call.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return assertInstanceOf(StoreException.class, Futures.unwrap(e));
    }
    throw new AssertionError("expected a failure");
  }

  private static void assertNoSecret(Throwable t, String secret) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    assertFalse(t.getMessage().contains(secret), t.getMessage());
    assertFalse(out.toString().contains(secret), "secret in the stack trace");
  }

  @Test
  void accountKeyAuthenticationWorks() throws Exception {
    try (ObjectStore store =
        ObjectStores.open(
            "az://" + container + "/ok", StoreSettings.of(keyOptions(server.accountKey())))) {
      store.put("k", new byte[] {1, 2, 3}).get(30, TimeUnit.SECONDS);
      assertTrue(store.head("k").get(30, TimeUnit.SECONDS).isPresent());
    }
  }

  @Test
  void wrongAccountKeyNamesTheCredentialOptions() throws Exception {
    try (ObjectStore store =
        ObjectStores.open("az://" + container + "/p", StoreSettings.of(keyOptions(WRONG_KEY)))) {
      StoreException e = failure(store.get("k"));
      assertTrue(e.getMessage().contains("account_key"), e.getMessage());
      assertTrue(e.getMessage().contains("connection_string"), e.getMessage());
      assertNoSecret(e, WRONG_KEY);
      assertFalse(store.describe().contains(WRONG_KEY));
    }
  }

  @Test
  void missingContainerIsNamedForGetHeadListAndPut() throws Exception {
    String missing = "no-such-container-" + System.nanoTime();
    try (ObjectStore store =
        ObjectStores.open("az://" + missing + "/p", StoreSettings.of(server.settings(missing)))) {
      for (CompletableFuture<?> call :
          new CompletableFuture<?>[] {
            store.get("k"), store.head("k"), store.list(""), store.put("k", new byte[1])
          }) {
        StoreException e = failure(call);
        assertTrue(e.getMessage().contains("'" + missing + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertNoSecret(e, server.accountKey());
      }
    }
  }

  @Test
  void unreachableEndpointFailsWithinSecondsNamingTheEndpoint() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Map<String, String> o = keyOptions(server.accountKey());
    o.put("endpoint", "http://127.0.0.1:" + closedPort + "/" + server.accountName());
    o.put("connect_timeout_ms", "2000");
    long start = System.nanoTime();
    try (ObjectStore store = ObjectStores.open("az://" + container + "/p", StoreSettings.of(o))) {
      StoreException e = failure(store.get("k"));
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
      assertTrue(seconds < 10, "took " + seconds + " s");
      assertTrue(e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
      assertTrue(e.getMessage().contains("endpoint"), e.getMessage());
      assertNoSecret(e, server.accountKey());
    }
  }

  @Test
  void tlsAgainstPlainHttpServerNamesUseTls() throws Exception {
    URI endpoint = URI.create(server.blobEndpoint());
    Map<String, String> o = keyOptions(server.accountKey());
    o.put("endpoint", endpoint.getAuthority() + endpoint.getPath());
    o.put("use_tls", "true");
    try (ObjectStore store = ObjectStores.open("az://" + container + "/p", StoreSettings.of(o))) {
      StoreException e = failure(store.get("k"));
      assertTrue(e.getMessage().contains("use_tls"), e.getMessage());
      assertNoSecret(e, server.accountKey());
    }
  }

  @Test
  void noCredentialsNamesTheOptionsToSet() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ObjectStores.open("az://" + container + "/p", StoreSettings.empty()));
    assertTrue(e.getMessage().contains("connection_string"), e.getMessage());
    assertTrue(e.getMessage().contains("sas_token"), e.getMessage());
  }
}
