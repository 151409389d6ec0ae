package io.arraymorph.spark;

import io.arraymorph.testing.S3ProxyServer;
import java.util.Map;

/** The {@link SparkForeignLayoutsOnStoreContract} scenarios on S3Proxy (or the CI's S3 server). */
class SparkForeignLayoutsOnS3Test extends SparkForeignLayoutsOnStoreContract {
  private final String bucket = S3ProxyServer.uniqueBucketName("spark-foreign");
  private final Map<String, String> options;

  SparkForeignLayoutsOnS3Test() {
    S3ProxyServer server = S3ProxyServer.get();
    server.createBucket(bucket);
    options = server.settings(bucket);
  }

  @Override
  protected String root() {
    return "s3://" + bucket + "/foreign";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
