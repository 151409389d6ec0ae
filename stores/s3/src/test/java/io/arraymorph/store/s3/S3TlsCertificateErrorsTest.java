package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.HttpsTestServers;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import io.arraymorph.testing.TestCertificates;
import io.arraymorph.testing.UntrustedTlsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate errors stay errors with {@code tls_ca_file} too: without the CA, with another CA, for
 * another host name or expired, the call fails within its deadline with a message naming TLS, the
 * cause and the fix, and never the secret key.
 */
@StartsServers
class S3TlsCertificateErrorsTest {
  private static S3ProxyServer server;
  private static String bucket;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() {
    server = HttpsTestServers.s3Proxy();
    bucket = S3ProxyServer.uniqueBucketName("tls-errors");
    server.createBucket(bucket);
  }

  private static Map<String, String> fastFailing(Map<String, String> options) {
    Map<String, String> m = new HashMap<>(options);
    m.put("max_retries", "0");
    m.put("request_timeout_ms", "2000");
    m.put("connect_timeout_ms", "2000");
    return m;
  }

  /** The failure of one GET, within a bound that retries or hangs would exceed. */
  private static StoreException failureOf(String location, Map<String, String> options) {
    StoreSettings settings = StoreSettings.of(fastFailing(options));
    return assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          try (ObjectStore store = ObjectStores.open(location, settings)) {
            return assertThrows(StoreException.class, () -> Futures.join(store.get("some/key")));
          }
        });
  }

  private static void assertNoSecret(Throwable e, String secret) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret in " + t);
    }
  }

  @Test
  void withTheCaFileTheSameServerAnswersWithExactBytes() {
    byte[] data = "over TLS with a private CA".getBytes(StandardCharsets.UTF_8);
    Map<String, String> options = S3HttpsWithCaFileContractTest.httpsSettings(server, bucket);
    try (ObjectStore store =
        ObjectStores.open("s3://" + bucket + "/ok", StoreSettings.of(fastFailing(options)))) {
      Futures.join(store.put("a/b", data));
      assertArrayEquals(data, Futures.join(store.get("a/b")));
      assertArrayEquals(
          "TLS".getBytes(StandardCharsets.UTF_8), Futures.join(store.getRange("a/b", 5, 3)));
    }
  }

  @Test
  void withoutTheCaFileTheHandshakeIsRefusedNamingTheOption() {
    long start = System.nanoTime();
    StoreException e = failureOf("s3://" + bucket + "/x", server.settings(bucket));
    long ms = (System.nanoTime() - start) / 1_000_000;
    String message = e.getMessage();
    // The CRT client (used without tls_ca_file) reports a distrusted certificate only as the
    // deadline passing, so the message must point at the certificate and the option.
    assertTrue(message.contains("TLS certificate is trusted"), message);
    assertTrue(message.contains("tls_ca_file"), message);
    assertTrue(ms < 20_000, "took " + ms + " ms");
    assertNoSecret(e, server.secretKey());
  }

  @Test
  void aCaFileOfAnotherCaIsRefused() throws Exception {
    TestCertificates other = TestCertificates.createAuthority(dir.resolve("other-ca"));
    Map<String, String> options = new HashMap<>(server.settings(bucket));
    options.put("tls_ca_file", other.caPem().toString());
    StoreException e = failureOf("s3://" + bucket + "/x", options);
    assertTrue(e.getMessage().startsWith("TLS connection to S3 endpoint"), e.getMessage());
    assertTrue(e.getMessage().contains("not signed by a trusted CA"), e.getMessage());
    assertTrue(e.getMessage().contains("tls_ca_file"), e.getMessage());
    assertNoSecret(e, server.secretKey());
  }

  @Test
  void aCertificateForAnotherHostIsRefusedEvenFromTheTrustedCa() throws Exception {
    TestCertificates.Issued cert =
        HttpsTestServers.issue("s3-wrong-host", "dns:example.invalid", 0, 2);
    assertRefusedFromTheTrustedCa(cert, "another host name");
  }

  @Test
  void anExpiredCertificateIsRefusedEvenFromTheTrustedCa() throws Exception {
    TestCertificates.Issued cert =
        HttpsTestServers.issue("s3-expired", HttpsTestServers.LOOPBACK_NAMES, -10, 2);
    assertRefusedFromTheTrustedCa(cert, "expired");
  }

  private void assertRefusedFromTheTrustedCa(TestCertificates.Issued cert, String reason)
      throws Exception {
    try (UntrustedTlsServer tls =
        UntrustedTlsServer.presenting(cert.keystore(), TestCertificates.PASSWORD)) {
      Map<String, String> options = new HashMap<>(server.settings(bucket));
      options.put("endpoint", tls.endpoint());
      options.put("tls_ca_file", HttpsTestServers.authority().caPem().toString());
      StoreException e = failureOf("s3://" + bucket + "/x", options);
      assertTrue(e.getMessage().startsWith("TLS connection to S3 endpoint"), e.getMessage());
      assertTrue(e.getMessage().contains(reason), e.getMessage());
      assertNoSecret(e, server.secretKey());
    }
  }

  @Test
  void aMissingOrEmptyCaFileIsRejectedNamingTheOption() throws Exception {
    Map<String, String> options = new HashMap<>(server.settings(bucket));
    options.put("tls_ca_file", dir.resolve("nope.pem").toString());
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> ObjectStores.open("s3://" + bucket + "/x", StoreSettings.of(options)));
    assertTrue(missing.getMessage().contains("'tls_ca_file'"), missing.getMessage());
    assertTrue(missing.getMessage().contains("nope.pem"), missing.getMessage());

    Path notPem = Files.writeString(dir.resolve("not.pem"), "hello\n");
    options.put("tls_ca_file", notPem.toString());
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class,
            () -> ObjectStores.open("s3://" + bucket + "/x", StoreSettings.of(options)));
    assertTrue(empty.getMessage().contains("'tls_ca_file'"), empty.getMessage());
    assertTrue(empty.getMessage().contains("BEGIN CERTIFICATE"), empty.getMessage());
  }
}
