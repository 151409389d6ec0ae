package io.arraymorph.store.azure;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.FaultProxy.Fault;
import io.arraymorph.testing.LeakCheck;
import io.arraymorph.testing.StartsServers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Account keys, SAS tokens and connection strings never appear in logs (slf4j, JUL, stdout/stderr),
 * exception messages with causes and suppressed exceptions, or toString(), during failing
 * operations: rejected credentials, unreachable endpoints, server errors.
 */
@StartsServers
class AzureSecretsNeverLeakTest {
  private static final String KEY =
      Base64.getEncoder()
          .encodeToString(
              "leak-check-account-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  private static final String SAS_SIG = "leakchecksignatureXq7Zp3";
  private static final String SAS =
      "sv=2021-08-06&ss=b&srt=sco&sp=rwdlac&se=2099-01-01T00:00:00Z&sig=" + SAS_SIG;

  @Test
  void secretsStayOutOfLogsErrorsAndToString() {
    AzuriteServer server = AzuriteServer.get();
    String container = AzuriteServer.uniqueContainerName("leaks");
    server.createContainer(container);
    String blobPort = server.blobEndpoint().replaceAll(".*:(\\d+)/.*", "$1");
    List<String> texts = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    try (LeakCheck capture = new LeakCheck();
        FaultProxy proxy = FaultProxy.start(server.blobEndpoint(), FaultProxy.Flavor.AZURE, 7)) {
      proxy.rate(Fault.ERROR_500, 1.0);
      List<Map<String, String>> configs = new ArrayList<>();
      for (String port : List.of(blobPort, "9", Integer.toString(proxy.port()))) {
        String cs =
            AzuriteServer.connectionString(Integer.parseInt(port))
                .replace(AzuriteServer.DEV_ACCOUNT_KEY, KEY);
        secrets.add(cs);
        configs.add(
            Map.of(
                "connection_string",
                cs,
                "bucket",
                container,
                "max_retries",
                "1",
                "retry_delay_ms",
                "10",
                "connect_timeout_ms",
                "500"));
        configs.add(
            Map.of(
                "sas_token",
                SAS,
                "endpoint",
                "http://127.0.0.1:" + port + "/" + AzuriteServer.DEV_ACCOUNT,
                "bucket",
                container,
                "max_retries",
                "1",
                "retry_delay_ms",
                "10",
                "connect_timeout_ms",
                "500"));
      }
      for (Map<String, String> m : configs) {
        StoreSettings settings = StoreSettings.of(m);
        texts.add(settings.toString());
        try (ObjectStore store = ObjectStores.open("az://" + container + "/p", settings)) {
          texts.add(store.toString());
          for (Runnable op :
              List.<Runnable>of(
                  () -> Futures.join(store.get("k")),
                  () -> Futures.join(store.getRange("k", 0, 4)),
                  () -> Futures.join(store.put("k", new byte[] {1})),
                  () -> Futures.join(store.list("")),
                  () -> Futures.join(store.head("k")))) {
            try {
              op.run();
            } catch (RuntimeException e) {
              texts.add(LeakCheck.printed(e));
            }
          }
        }
        try (ArrayStore arrays = ArrayStore.open("az://" + container + "/p", settings)) {
          texts.add(arrays.toString());
          texts.add(LeakCheck.printed(assertThrows(RuntimeException.class, arrays::list)));
        }
      }
      texts.add(capture.output());
    }
    assertTrue(texts.size() > 30, "operations ran: " + texts.size());
    secrets.add(KEY);
    secrets.add(SAS_SIG);
    for (String text : texts) {
      LeakCheck.assertAbsent(
          "an error, toString or the logs", text, secrets.toArray(String[]::new));
    }
  }
}
