package io.arraymorph.store.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.FaultProxy;
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
 * Deleting many blobs sends one blob batch per 256 keys (counted at a recording proxy in front of
 * Azurite), removes exactly those blobs, and counts missing ones as deleted.
 */
@StartsServers
class AzureBulkRequestsTest {
  private static AzuriteServer server;
  private static String container;
  private static FaultProxy proxy;

  @BeforeAll
  static void start() {
    server = AzuriteServer.get();
    container = AzuriteServer.uniqueContainerName("bulk");
    server.createContainer(container);
    proxy = FaultProxy.start(server.blobEndpoint(), FaultProxy.Flavor.AZURE, 1).recordOnly();
  }

  @AfterAll
  static void stop() {
    proxy.close();
  }

  @Test
  void deletingManyBlobsSendsOneBatchPer256Keys() {
    Map<String, String> m = new HashMap<>(server.settings(container));
    m.put(
        "connection_string",
        AzuriteServer.connectionString(proxy.port())
            .replace(AzuriteServer.DEV_ACCOUNT_KEY, server.accountKey()));
    try (ObjectStore store =
        ObjectStores.open("az://" + container + "/root", StoreSettings.of(m))) {
      List<String> keys = new ArrayList<>();
      AsyncLimiter limiter = new AsyncLimiter(16);
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String key = String.format("staged/c/%03d", i);
        keys.add(key);
        puts.add(limiter.submit(() -> store.put(key, new byte[] {7})));
      }
      puts.add(store.put("kept", new byte[] {8}));
      Futures.join(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
      keys.add("staged/never-existed");
      proxy.drainRecorded();
      Futures.join(store.deleteAll(keys, 4));
      List<FaultProxy.Request> sent = proxy.drainRecorded();
      assertEquals(2, sent.size(), sent.toString());
      for (FaultProxy.Request r : sent) {
        assertEquals("POST", r.method(), sent.toString());
        assertTrue(r.path().contains("comp=batch"), sent.toString());
      }
      assertEquals(
          List.of("kept"), Futures.join(store.list("")).stream().map(ObjectInfo::key).toList());
    }
  }

  /**
   * A server-side copy within the container is its Copy Blob PUT and one status poll (the SDK's
   * poller asks once even when the service copied at once; ending on the PUT's own "success" status
   * did not save it), never a stream of polls.
   */
  @Test
  void aCopyIsOnePutAndOneStatusPollAndCopiesTheBytes() {
    Map<String, String> m = new HashMap<>(server.settings(container));
    m.put(
        "connection_string",
        AzuriteServer.connectionString(proxy.port())
            .replace(AzuriteServer.DEV_ACCOUNT_KEY, server.accountKey()));
    byte[] bytes = new byte[3 << 20];
    new java.util.Random(5).nextBytes(bytes);
    try (ObjectStore store =
        ObjectStores.open("az://" + container + "/copies", StoreSettings.of(m))) {
      Futures.join(store.put("src", bytes));
      proxy.drainRecorded();
      Futures.join(store.copy("src", "dst"));
      List<FaultProxy.Request> sent = proxy.drainRecorded();
      assertEquals(List.of("PUT", "HEAD"), sent.stream().map(FaultProxy.Request::method).toList());
      org.junit.jupiter.api.Assertions.assertArrayEquals(bytes, Futures.join(store.get("dst")));
    }
  }
}
