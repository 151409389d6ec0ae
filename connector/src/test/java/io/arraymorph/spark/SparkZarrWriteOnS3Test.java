package io.arraymorph.spark;

import io.arraymorph.testing.S3ProxyServer;
import java.util.Map;

/** The {@link SparkZarrWriteContract} scenarios on S3Proxy (or the CI's S3 server). */
class SparkZarrWriteOnS3Test extends SparkZarrWriteContract {
  private final String bucket = S3ProxyServer.uniqueBucketName("spark-zarr-write");
  private final Map<String, String> options;

  SparkZarrWriteOnS3Test() {
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
