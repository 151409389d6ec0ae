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
import io.arraymorph.testing.StartsServers;
import io.arraymorph.testing.UntrustedTlsServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An https Blob endpoint whose certificate nobody trusts fails the handshake with a clear error.
 */
@StartsServers
class AzureUntrustedCertificateTest {
  /** Azurite's well-known development key (public); it must still never be printed. */
  private static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  @TempDir Path dir;

  @Test
  void anUntrustedCertificateFailsNamingTlsAndWithoutTheKey() throws Exception {
    try (UntrustedTlsServer server = UntrustedTlsServer.start(dir)) {
      String connection =
          "DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey="
              + KEY
              + ";BlobEndpoint="
              + server.endpoint()
              + "/devstoreaccount1;";
      StoreSettings settings =
          StoreSettings.of(Map.of("connection_string", connection, "max_retries", "0"));
      StoreException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(60),
              () -> {
                try (ObjectStore store = ObjectStores.open("az://container/prefix", settings)) {
                  return assertThrows(
                      StoreException.class, () -> Futures.join(store.get("some/key")));
                }
              });
      assertTrue(e.getMessage().contains("TLS"), e.getMessage());
      assertTrue(e.getMessage().contains("certificate"), e.getMessage());
      for (Throwable t = e; t != null; t = t.getCause()) {
        assertFalse(String.valueOf(t.getMessage()).contains(KEY), "key in " + t);
      }
    }
  }
}
