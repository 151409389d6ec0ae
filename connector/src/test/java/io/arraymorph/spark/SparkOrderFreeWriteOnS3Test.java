package io.arraymorph.spark;

import io.arraymorph.testing.S3ProxyServer;
import java.util.Map;

/** The {@link SparkOrderFreeWriteContract} scenarios on S3Proxy (or the CI's S3 server). */
class SparkOrderFreeWriteOnS3Test extends SparkOrderFreeWriteContract {
  private final String bucket = S3ProxyServer.uniqueBucketName("spark-order-free");
  private final Map<String, String> options;

  SparkOrderFreeWriteOnS3Test() {
    S3ProxyServer server = S3ProxyServer.get();
    server.createBucket(bucket);
    options = server.settings(bucket);
  }

  @Override
  protected String root() {
    return "s3://" + bucket + "/writes";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
