package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The messages docs/troubleshooting.md quotes for a 403 AccessDenied and for a bucket in another
 * region, produced through the real S3 client by a server on 127.0.0.1 that answers every request
 * with that S3 error (S3Proxy checks neither permissions nor regions).
 */
class S3DeniedAndWrongRegionMessagesTest {
  private static final String SECRET = "never-shown-secret-key";

  /** Environment variables through which the default credential chain may find credentials. */
  private static final List<String> CREDENTIAL_VARIABLES =
      List.of(
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
          "AWS_SESSION_TOKEN",
          "AWS_PROFILE",
          "AWS_SHARED_CREDENTIALS_FILE",
          "AWS_CONFIG_FILE",
          "AWS_WEB_IDENTITY_TOKEN_FILE",
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
          "AWS_CONTAINER_CREDENTIALS_FULL_URI");

  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void accessDeniedNamesTheOperationAndTheCredentialOptions() throws Exception {
    String message = failureAgainst(403, "AccessDenied");
    assertTrue(message.startsWith("S3 denied "), message);
    assertTrue(message.contains("(HTTP 403 AccessDenied)"), message);
    assertTrue(message.contains("access_key/secret_key"), message);
    assertFalse(message.contains(SECRET), message);
  }

  @Test
  void aBucketInAnotherRegionNamesTheRegionOption() throws Exception {
    String message = failureAgainst(301, "PermanentRedirect");
    assertTrue(
        message.startsWith("S3 says bucket 'b' is in another region than 'eu-west-3'"), message);
    assertTrue(message.contains("set the region option (AWS_REGION)"), message);
    assertFalse(message.contains(SECRET), message);
  }

  @Test
  void noCredentialsAnywhereNamesTheKeyOptions() throws Exception {
    // Only where the default chain finds nothing either (no keys in the environment, no profile).
    String home = System.getProperty("user.home");
    assumeTrue(
        CREDENTIAL_VARIABLES.stream().noneMatch(v -> System.getenv(v) != null)
            && System.getProperty("aws.accessKeyId") == null
            && !Files.exists(Path.of(home, ".aws")),
        "the AWS default credential chain may find credentials here");
    String message = failureAgainst(200, "unused", Map.of());
    assertTrue(message.startsWith("No AWS credentials found for "), message);
    assertTrue(message.contains("set the access_key and secret_key options"), message);
  }

  private String failureAgainst(int status, String code) throws Exception {
    return failureAgainst(status, code, Map.of("access_key", "AKIDEXAMPLE", "secret_key", SECRET));
  }

  /** The message of a GET against a server answering {@code status} with S3 error {@code code}. */
  private String failureAgainst(int status, String code, Map<String, String> keys)
      throws Exception {
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + code
                + "</Code><Message>injected</Message><RequestId>r1</RequestId></Error>")
            .getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.getResponseHeaders().add("x-amz-request-id", "r1");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (IOException e) {
            // The client may close early; nothing to answer then.
          }
        });
    server.start();
    Map<String, String> options = new HashMap<>(keys);
    options.put("endpoint", "http://127.0.0.1:" + server.getAddress().getPort());
    options.put("region", "eu-west-3");
    options.put("max_retries", "0");
    try (ObjectStore store = ObjectStores.open("s3://b/p", StoreSettings.of(options))) {
      try {
        store.get("k").get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        return assertInstanceOf(StoreException.class, Futures.unwrap(e)).getMessage();
      }
    }
    throw new AssertionError("expected a failure");
  }
}
