package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.HttpsTestServers;
import io.arraymorph.testing.ObjectStoreContractTest;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With {@code tls_ca_file} naming a private CA, the S3 store keeps the whole store contract (put,
 * get, ranges, list pages, multipart) against an https-only S3Proxy whose certificate that CA
 * issued for 127.0.0.1.
 */
@StartsServers
class S3HttpsWithCaFileContractTest extends ObjectStoreContractTest {
  private static final AtomicInteger ROOTS = new AtomicInteger();
  private static final int MIB = 1024 * 1024;
  private static S3ProxyServer server;
  private static String bucket;

  @BeforeAll
  static void createBucket() {
    server = HttpsTestServers.s3Proxy();
    bucket = S3ProxyServer.uniqueBucketName("https-contract");
    server.createBucket(bucket);
  }

  static Map<String, String> httpsSettings(S3ProxyServer server, String bucket) {
    Map<String, String> options = new HashMap<>(server.settings(bucket));
    options.put("tls_ca_file", HttpsTestServers.authority().caPem().toString());
    return options;
  }

  @Override
  protected ObjectStore openEmptyStore() {
    Map<String, String> options = httpsSettings(server, bucket);
    // Small pages and a low multipart threshold so the suite exercises pagination and parts.
    options.put("list_page_size", "7");
    options.put("multipart_threshold", String.valueOf(5 * MIB));
    options.put("multipart_part_size", String.valueOf(5 * MIB));
    return ObjectStores.open(
        "s3://" + bucket + "/root-" + ROOTS.incrementAndGet() + "/data.zarr",
        StoreSettings.of(options));
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
  void theEndpointIsHttpsAndTheStoreGoesThroughTls() {
    assertTrue(server.endpoint().startsWith("https://127.0.0.1:"), server.endpoint());
    S3StoreConfig config =
        S3StoreConfig.from(
            io.arraymorph.store.StoreUri.parse("s3://" + bucket + "/x"),
            StoreSettings.of(httpsSettings(server, bucket)));
    assertTrue(config.usesTls());
    assertEquals(
        HttpsTestServers.authority().caPem(), config.tlsCaFile().orElseThrow(), "tls_ca_file");
  }
}
