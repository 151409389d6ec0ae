package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.FaultProxy;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The requests a publication's copies and cleanup send to S3, counted at a recording proxy in front
 * of S3Proxy: a copy is one CopyObject (no HEAD of its source first), and deleting many keys sends
 * one DeleteObjects per 1000 keys.
 */
@StartsServers
class S3BulkRequestsTest {
  private static S3ProxyServer server;
  private static String bucket;
  private static FaultProxy proxy;

  @BeforeAll
  static void start() {
    server = S3ProxyServer.get();
    bucket = S3ProxyServer.uniqueBucketName("bulk");
    server.createBucket(bucket);
    proxy = FaultProxy.start(server.endpoint(), FaultProxy.Flavor.S3, 1).recordOnly();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  private static ObjectStore open(String root) {
    Map<String, String> m = new HashMap<>(server.settings(bucket));
    m.put("endpoint", proxy.endpoint());
    return ObjectStores.open("s3://" + bucket + "/" + root, StoreSettings.of(m));
  }

  @Test
  void aCopyIsOneRequestWithoutAHeadOfItsSource() {
    try (ObjectStore store = open("copy")) {
      byte[] data = {1, 2, 3, 4, 5};
      Futures.join(store.put("staged/c/0", data));
      proxy.drainRecorded();
      Futures.join(store.copy("staged/c/0", "final/c/0"));
      List<FaultProxy.Request> sent = proxy.drainRecorded();
      assertEquals(1, sent.size(), sent.toString());
      assertEquals("PUT", sent.get(0).method(), sent.toString());
      assertArrayEquals(data, Futures.join(store.get("final/c/0")));
    }
  }

  @Test
  void deletingManyKeysSendsOneRequestPerThousand() {
    try (ObjectStore store = open("delete")) {
      List<String> keys = new ArrayList<>();
      AsyncLimiter limiter = new AsyncLimiter(32);
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (int i = 0; i < 1_001; i++) {
        String key = String.format("staged/%04d", i);
        keys.add(key);
        puts.add(limiter.submit(() -> store.put(key, new byte[] {7})));
      }
      Futures.join(store.put("kept", new byte[] {8}));
      Futures.join(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
      proxy.drainRecorded();
      Futures.join(store.deleteAll(keys, 8));
      List<FaultProxy.Request> sent = proxy.drainRecorded();
      assertEquals(2, sent.size(), sent.toString());
      for (FaultProxy.Request r : sent) {
        assertEquals("POST", r.method(), sent.toString());
      }
      assertEquals(
          List.of("kept"), Futures.join(store.list("")).stream().map(o -> o.key()).toList());
    }
  }
}
