package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ArrayMorph's environment variables alone open a working S3 store; options override them. */
@StartsServers
class S3SettingsPrecedenceTest {
  private static S3ProxyServer server;
  private static String bucket;

  @BeforeAll
  static void createBucket() {
    server = S3ProxyServer.get();
    bucket = S3ProxyServer.uniqueBucketName("precedence");
    server.createBucket(bucket);
  }

  private static Map<String, String> environment(String secret) {
    Map<String, String> env = new HashMap<>();
    env.put("STORAGE_PLATFORM", "S3");
    env.put("BUCKET_NAME", bucket);
    env.put("AWS_ACCESS_KEY_ID", server.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", secret);
    env.put("AWS_REGION", server.region());
    env.put("AWS_ENDPOINT_URL_S3", server.hostAndPort());
    env.put("AWS_USE_TLS", "false");
    env.put("AWS_S3_ADDRESSING_STYLE", "path");
    env.put("PATH", "/usr/bin");
    return env;
  }

  @Test
  void environmentVariablesOpenAWorkingStoreAtThePathInsideTheBucket() {
    StoreSettings settings =
        StoreSettings.resolve(Map.of(), Map.of(), environment(server.secretKey()));
    try (ObjectStore store = ObjectStores.open("demo.zarr", settings)) {
      Futures.join(store.put("zarr.json", "{}".getBytes(StandardCharsets.UTF_8)));
      assertArrayEquals(
          "{}".getBytes(StandardCharsets.UTF_8), Futures.join(store.get("zarr.json")));
    }
    try (ObjectStore whole =
        ObjectStores.open("s3://" + bucket, StoreSettings.of(server.settings(bucket)))) {
      assertEquals(
          Optional.of(new ObjectInfo("demo.zarr/zarr.json", 2)),
          Futures.join(whole.head("demo.zarr/zarr.json"))
              .map(i -> new ObjectInfo(i.key(), i.size())));
    }
  }

  @Test
  void optionsOverrideSessionConfWhichOverridesTheEnvironment() {
    Map<String, String> env = environment("a-wrong-secret-from-env");
    StoreSettings settings =
        StoreSettings.resolve(
            Map.of("secret_key", server.secretKey()),
            Map.of("secret_key", "a-wrong-secret-from-session", "region", server.region()),
            env);
    assertEquals(server.secretKey(), settings.get("secret_key").orElseThrow());
    try (ObjectStore store = ObjectStores.open("s3://" + bucket + "/over", settings)) {
      Futures.join(store.put("x", new byte[] {1, 2}));
      assertEquals(List.of(new ObjectInfo("x", 2)), Futures.join(store.list("")));
    }
    assertTrue(
        StoreSettings.resolve(Map.of(), Map.of("bucket", "s"), env)
            .get("bucket")
            .orElseThrow()
            .equals("s"));
  }
}
