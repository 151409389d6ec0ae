package io.arraymorph.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.TlsTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls_ca_file} adds every CA of a PEM file to the JVM's own CAs, and verification (chain and
 * host name) stays on.
 */
@StartsServers
class TlsTrustTest {
  @TempDir Path dir;

  @Test
  void everyCaInTheFileIsTrustedOnTopOfTheJvmCas() throws Exception {
    TestCertificates first = TestCertificates.createAuthority(dir.resolve("first"));
    TestCertificates second = TestCertificates.createAuthority(dir.resolve("second"));
    Path both =
        Files.writeString(
            dir.resolve("both.pem"),
            Files.readString(first.caPem()) + Files.readString(second.caPem()));
    SSLContext context = TlsTrust.sslContext(both);

    // A server whose certificate the second CA issued for 127.0.0.1 passes a full handshake with
    // host name verification.
    TestCertificates.Issued cert = second.issue("loopback", HttpsTestServers.LOOPBACK_NAMES, 0, 2);
    try (UntrustedTlsServer server =
        UntrustedTlsServer.presenting(cert.keystore(), TestCertificates.PASSWORD)) {
      handshake(context, server.port());
    }
    // One issued by neither is refused.
    TestCertificates third = TestCertificates.createAuthority(dir.resolve("third"));
    TestCertificates.Issued stranger =
        third.issue("stranger", HttpsTestServers.LOOPBACK_NAMES, 0, 2);
    try (UntrustedTlsServer server =
        UntrustedTlsServer.presenting(stranger.keystore(), TestCertificates.PASSWORD)) {
      SSLHandshakeException e =
          assertThrows(SSLHandshakeException.class, () -> handshake(context, server.port()));
      assertTrue(
          TlsTrust.certificateProblem(e).orElseThrow().contains("not signed by a trusted CA"));
    }
    TrustManagerFactory jvm =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jvm.init((KeyStore) null);
    int jvmCas = ((X509TrustManager) jvm.getTrustManagers()[0]).getAcceptedIssuers().length;
    assertTrue(jvmCas > 10, "the JVM's cacerts: " + jvmCas);
    assertEquals(
        jvmCas + 2,
        TlsTrust.trustManager(both).getAcceptedIssuers().length,
        "the JVM's CAs plus the file's two");
  }

  private static void handshake(SSLContext context, int port) throws Exception {
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
    }
  }

  @Test
  void theOptionIsOptionalAndABadFileIsNamed() throws Exception {
    assertEquals(Optional.empty(), TlsTrust.caFileOf(StoreSettings.empty()));
    assertEquals(Optional.empty(), TlsTrust.caFileOf(StoreSettings.of(Map.of("tls_ca_file", " "))));
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TlsTrust.caFileOf(
                    StoreSettings.of(Map.of("tls_ca_file", dir.resolve("none.pem").toString()))));
    assertTrue(missing.getMessage().contains("Option 'tls_ca_file'"), missing.getMessage());
    Path garbage =
        Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nxx\n");
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> TlsTrust.sslContext(garbage));
    assertTrue(bad.getMessage().contains("Option 'tls_ca_file'"), bad.getMessage());
  }
}
