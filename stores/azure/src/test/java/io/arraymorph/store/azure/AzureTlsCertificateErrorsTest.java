package io.arraymorph.store.azure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.HttpsTestServers;
import io.arraymorph.testing.StartsServers;
import io.arraymorph.testing.TestCertificates;
import io.arraymorph.testing.UntrustedTlsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate errors stay errors for Azure: without the CA, with another CA, for another host name
 * or expired, the call fails at once with a message naming TLS, the cause and the fix, and never
 * the account key.
 */
@StartsServers
class AzureTlsCertificateErrorsTest {
  private static AzuriteServer server;
  private static String container;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() {
    server = HttpsTestServers.azurite();
    container = AzuriteServer.uniqueContainerName("tls-errors");
    server.createContainer(container);
  }

  private StoreException failureOf(Map<String, String> options) {
    Map<String, String> m = new HashMap<>(options);
    m.put("max_retries", "0");
    StoreSettings settings = StoreSettings.of(m);
    return assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          try (ObjectStore store = ObjectStores.open("az://" + container + "/x", settings)) {
            return assertThrows(StoreException.class, () -> Futures.join(store.get("some/key")));
          }
        });
  }

  private static void assertTlsFailure(StoreException e, String reason) {
    assertTrue(e.getMessage().startsWith("TLS connection to Azure endpoint"), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(server.accountKey()), "key in " + t);
    }
  }

  @Test
  void withoutTheCaFileTheHandshakeIsRefusedNamingTheOption() {
    long start = System.nanoTime();
    StoreException e = failureOf(server.settings(container));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTlsFailure(e, "not signed by a trusted CA: set tls_ca_file");
    assertTrue(ms < 20_000, "took " + ms + " ms");
  }

  @Test
  void aCaFileOfAnotherCaIsRefused() throws Exception {
    TestCertificates other = TestCertificates.createAuthority(dir.resolve("other-ca"));
    Map<String, String> options = new HashMap<>(server.settings(container));
    options.put("tls_ca_file", other.caPem().toString());
    assertTlsFailure(failureOf(options), "not signed by a trusted CA");
  }

  @Test
  void aCertificateForAnotherHostIsRefusedEvenFromTheTrustedCa() throws Exception {
    assertRefusedFromTheTrustedCa(
        HttpsTestServers.issue("azure-wrong-host", "dns:example.invalid", 0, 2),
        "another host name");
  }

  @Test
  void anExpiredCertificateIsRefusedEvenFromTheTrustedCa() throws Exception {
    assertRefusedFromTheTrustedCa(
        HttpsTestServers.issue("azure-expired", HttpsTestServers.LOOPBACK_NAMES, -10, 2),
        "expired");
  }

  private void assertRefusedFromTheTrustedCa(TestCertificates.Issued cert, String reason)
      throws Exception {
    try (UntrustedTlsServer tls =
        UntrustedTlsServer.presenting(cert.keystore(), TestCertificates.PASSWORD)) {
      Map<String, String> options = new HashMap<>();
      options.put("connection_string", AzuriteServer.httpsConnectionString(tls.port()));
      options.put("tls_ca_file", HttpsTestServers.authority().caPem().toString());
      assertTlsFailure(failureOf(options), reason);
    }
  }
}
