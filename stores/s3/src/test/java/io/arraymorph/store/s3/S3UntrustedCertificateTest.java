package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.StartsServers;
import io.arraymorph.testing.UntrustedTlsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https endpoint whose certificate nobody trusts is never used: the call fails within its
 * deadline with an error pointing at the certificate.
 */
@StartsServers
class S3UntrustedCertificateTest {
  private static final String SECRET = "untrusted-cert-secret-9c1f";

  @TempDir Path dir;

  @Test
  void anUntrustedCertificateFailsFastNamingTlsAndWithoutTheSecret() throws Exception {
    try (UntrustedTlsServer server = UntrustedTlsServer.start(dir)) {
      StoreSettings settings =
          StoreSettings.of(
              Map.of(
                  "endpoint", server.endpoint(),
                  "use_tls", "true",
                  "access_key", "AKIDUNTRUSTED",
                  "secret_key", SECRET,
                  "region", "us-east-2",
                  "max_retries", "0",
                  "request_timeout_ms", "2000"));
      StoreException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(60),
              () -> {
                try (ObjectStore store = ObjectStores.open("s3://bucket/prefix", settings)) {
                  return assertThrows(
                      StoreException.class, () -> Futures.join(store.get("some/key")));
                }
              });
      String message = e.getMessage();
      // The CRT client surfaces a distrusted certificate as a call that never completes, so the
      // error is the deadline's, and it must point at the certificate.
      assertTrue(message.contains("TLS certificate is trusted"), message);
      assertTrue(message.contains(server.endpoint()) || message.contains("127.0.0.1"), message);
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertFalse(String.valueOf(t.getMessage()).contains(SECRET), "secret in " + t);
      }
    }
  }
}
