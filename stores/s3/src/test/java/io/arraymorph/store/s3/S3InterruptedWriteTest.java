package io.arraymorph.store.s3;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.InterruptedWriteContract;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;

/** A write failing at each of its requests, then repaired, against S3Proxy. */
@StartsServers
class S3InterruptedWriteTest extends InterruptedWriteContract {
  private static final AtomicInteger ROOTS = new AtomicInteger();
  private static S3ProxyServer server;
  private static String bucket;

  @BeforeAll
  static void createBucket() {
    server = S3ProxyServer.get();
    bucket = S3ProxyServer.uniqueBucketName("interrupted");
    server.createBucket(bucket);
  }

  @Override
  protected Supplier<ObjectStore> newLocation() {
    String uri = "s3://" + bucket + "/root-" + ROOTS.incrementAndGet() + "/data.zarr";
    return () -> ObjectStores.open(uri, StoreSettings.of(server.settings(bucket)));
  }
}
