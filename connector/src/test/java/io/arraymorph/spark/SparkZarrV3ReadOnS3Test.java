package io.arraymorph.spark;

import io.arraymorph.testing.S3ProxyServer;
import java.util.Map;

/** The {@link SparkZarrV3ReadOnStoreContract} scenarios on S3Proxy (or the CI's S3 server). */
class SparkZarrV3ReadOnS3Test extends SparkZarrV3ReadOnStoreContract {
  private final String bucket = S3ProxyServer.uniqueBucketName("spark-zarr3");
  private final Map<String, String> options;

  SparkZarrV3ReadOnS3Test() {
    S3ProxyServer server = S3ProxyServer.get();
    server.createBucket(bucket);
    options = server.settings(bucket);
  }

  @Override
  protected String root() {
    return "s3://" + bucket + "/zarr3";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
