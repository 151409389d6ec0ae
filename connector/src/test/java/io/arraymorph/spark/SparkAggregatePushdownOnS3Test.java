package io.arraymorph.spark;

import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.Map;

/** The {@link SparkAggregatePushdownContract} scenarios on S3Proxy (or the CI's S3 server). */
@StartsServers
class SparkAggregatePushdownOnS3Test extends SparkAggregatePushdownContract {
  private final String bucket = S3ProxyServer.uniqueBucketName("spark-aggregates");
  private final Map<String, String> options;

  SparkAggregatePushdownOnS3Test() {
    S3ProxyServer server = S3ProxyServer.get();
    server.createBucket(bucket);
    options = server.settings(bucket);
  }

  @Override
  protected String root() {
    return "s3://" + bucket + "/aggregates";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
