package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.arraymorph.engine.AsyncLimiter;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.ObjectStoreContractTest;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The S3 store keeps the store contract against S3Proxy, opened through its provider. */
@StartsServers
class S3ObjectStoreContractTest extends ObjectStoreContractTest {
  private static final AtomicInteger ROOTS = new AtomicInteger();
  private static final int MIB = 1024 * 1024;
  private static S3ProxyServer server;
  private static String bucket;

  @BeforeAll
  static void createBucket() {
    server = S3ProxyServer.get();
    bucket = S3ProxyServer.uniqueBucketName("contract");
    server.createBucket(bucket);
  }

  private static StoreSettings settings() {
    Map<String, String> options = new HashMap<>(server.settings(bucket));
    // Small pages and a low multipart threshold so the suite exercises pagination and parts.
    options.put("list_page_size", "7");
    options.put("multipart_threshold", String.valueOf(5 * MIB));
    options.put("multipart_part_size", String.valueOf(5 * MIB));
    return StoreSettings.of(options);
  }

  @Override
  protected ObjectStore openEmptyStore() {
    return ObjectStores.open(
        "s3://" + bucket + "/root-" + ROOTS.incrementAndGet() + "/data.zarr", settings());
  }

  @Override
  protected int largeObjectSize() {
    return 11 * MIB + 123; // three parts: above multipart_threshold
  }

  @Override
  protected Set<String> secrets() {
    return Set.of(server.secretKey());
  }

  @Test
  void listPaginatesPastOneThousandKeysWithTheDefaultPageSize() {
    try (ObjectStore big =
        ObjectStores.open(
            "s3://" + bucket + "/thousand-" + ROOTS.incrementAndGet(),
            StoreSettings.of(server.settings(bucket)))) {
      AsyncLimiter limiter = new AsyncLimiter(32);
      List<CompletableFuture<Void>> puts = new ArrayList<>();
      for (int i = 0; i < 1_005; i++) {
        String key = String.format("k/%04d", i);
        puts.add(limiter.submit(() -> big.put(key, new byte[] {7})));
      }
      await(CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)));
      assertEquals(1_005, await(big.list("k/")).size());
      assertEquals("k/1004", await(big.list("k/")).get(1_004).key());
    }
  }
}
