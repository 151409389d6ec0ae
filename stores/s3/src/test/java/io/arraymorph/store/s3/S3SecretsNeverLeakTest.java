package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.FaultProxy.Fault;
import io.arraymorph.testing.LeakCheck;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Access keys, secret keys and session tokens never appear in logs (slf4j, JUL, stdout/stderr),
 * exception messages with their causes and suppressed exceptions, or toString(), during failing
 * operations: rejected credentials, unreachable endpoints, server errors, bad options.
 */
@StartsServers
class S3SecretsNeverLeakTest {
  private static final String ACCESS = "AKIALEAKCHECK0000001";
  private static final String SECRET = "leak-check-secret-Qz9xW2";
  private static final String TOKEN = "leak-check-session-token-Vb7";

  @Test
  void secretsStayOutOfLogsErrorsAndToString() {
    S3ProxyServer server = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("leaks");
    server.createBucket(bucket);
    List<String> texts = new ArrayList<>();
    try (LeakCheck capture = new LeakCheck();
        FaultProxy proxy = FaultProxy.start(server.endpoint(), FaultProxy.Flavor.S3, 7)) {
      // Wrong keys against the real server (403 InvalidAccessKeyId / SignatureDoesNotMatch).
      Map<String, String> wrong = new HashMap<>(server.settings(bucket));
      wrong.put("access_key", ACCESS);
      wrong.put("secret_key", SECRET);
      wrong.put("session_token", TOKEN);
      wrong.put("max_retries", "1");
      // Right bucket, unreachable port; then server errors through the fault proxy.
      Map<String, String> unreachable = new HashMap<>(wrong);
      unreachable.put("endpoint", "http://127.0.0.1:9");
      unreachable.put("connect_timeout_ms", "500");
      Map<String, String> failing = new HashMap<>(wrong);
      failing.put("endpoint", proxy.endpoint());
      proxy.rate(Fault.ERROR_500, 1.0);
      for (Map<String, String> m : List.of(wrong, unreachable, failing)) {
        StoreSettings settings = StoreSettings.of(m);
        texts.add(settings.toString());
        try (ObjectStore store = ObjectStores.open("s3://" + bucket + "/p", settings)) {
          texts.add(store.toString());
          texts.add(store.describe());
          for (Runnable op :
              List.<Runnable>of(
                  () -> Futures.join(store.get("k")),
                  () -> Futures.join(store.put("k", new byte[] {1})),
                  () -> Futures.join(store.list("")),
                  () -> Futures.join(store.head("k")))) {
            texts.add(LeakCheck.printed(assertThrows(RuntimeException.class, op::run)));
          }
        }
        try (ArrayStore arrays = ArrayStore.open("s3://" + bucket + "/p", settings)) {
          texts.add(arrays.toString());
          texts.add(LeakCheck.printed(assertThrows(RuntimeException.class, arrays::list)));
        }
      }
      // A bad option next to the secrets.
      Map<String, String> bad = new HashMap<>(wrong);
      bad.put("addressing_style", "sideways");
      texts.add(
          LeakCheck.printed(
              assertThrows(
                  IllegalArgumentException.class,
                  () -> ObjectStores.open("s3://b", StoreSettings.of(bad)).close())));
      texts.add(capture.output());
    }
    assertTrue(texts.size() > 20);
    for (String text : texts.subList(0, texts.size() - 2)) {
      LeakCheck.assertAbsent("an error or toString", text, ACCESS, SECRET, TOKEN);
    }
    LeakCheck.assertAbsent("the logs", texts.get(texts.size() - 1), ACCESS, SECRET, TOKEN);
  }
}
