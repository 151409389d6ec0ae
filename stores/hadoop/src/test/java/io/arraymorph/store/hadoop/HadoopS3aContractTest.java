package io.arraymorph.store.hadoop;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.ObjectStoreContractTest;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;

/** The Hadoop store keeps the store contract over S3A against S3Proxy. */
@StartsServers
class HadoopS3aContractTest extends ObjectStoreContractTest {
  private static final AtomicInteger ROOTS = new AtomicInteger();
  private static S3ProxyServer server;
  private static String bucket;

  @BeforeAll
  static void createBucket() {
    server = S3ProxyServer.get();
    bucket = S3ProxyServer.uniqueBucketName("hadoop");
    server.createBucket(bucket);
  }

  /** S3A settings for S3Proxy, as ArrayMorph passes them: hadoop.conf.<property>. */
  static Map<String, String> s3aSettings(S3ProxyServer server, String secret) {
    Map<String, String> m = new HashMap<>();
    m.put("hadoop.conf.fs.s3a.endpoint", server.endpoint());
    m.put("hadoop.conf.fs.s3a.endpoint.region", server.region());
    m.put("hadoop.conf.fs.s3a.path.style.access", "true");
    m.put("hadoop.conf.fs.s3a.connection.ssl.enabled", "false");
    m.put("hadoop.conf.fs.s3a.access.key", server.accessKey());
    m.put("hadoop.conf.fs.s3a.secret.key", secret);
    m.put(
        "hadoop.conf.fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    m.put("hadoop.conf.fs.s3a.paging.maximum", "7");
    m.put("hadoop.conf.fs.s3a.attempts.maximum", "1");
    m.put("hadoop.conf.fs.s3a.retry.limit", "1");
    return m;
  }

  @Override
  protected ObjectStore openEmptyStore() {
    return ObjectStores.open(
        "s3a://" + bucket + "/root-" + ROOTS.incrementAndGet(),
        StoreSettings.of(s3aSettings(server, server.secretKey())));
  }

  @Override
  protected int largeObjectSize() {
    return 1024 * 1024 + 5;
  }

  @Override
  protected Set<String> secrets() {
    return Set.of(server.secretKey());
  }
}
