package io.arraymorph.spark;

import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.Map;

/** The {@link SparkGranuleManifestContract} scenarios on S3Proxy (or the CI's S3 server). */
@StartsServers
class SparkGranuleManifestOnS3Test extends SparkGranuleManifestContract {
  private final String bucket = S3ProxyServer.uniqueBucketName("spark-manifest");
  private final Map<String, String> options;

  SparkGranuleManifestOnS3Test() {
    S3ProxyServer server = S3ProxyServer.get();
    server.createBucket(bucket);
    options = server.settings(bucket);
  }

  @Override
  protected boolean readsNearbyRangesTogether() {
    return true;
  }

  @Override
  protected String root() {
    return "s3://" + bucket + "/collection";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }
}
