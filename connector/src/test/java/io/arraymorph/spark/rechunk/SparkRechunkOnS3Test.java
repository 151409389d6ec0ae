package io.arraymorph.spark.rechunk;

import io.arraymorph.spark.SparkFixtureFilesAccess;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The {@link SparkRechunkContract} scenarios on S3Proxy (or the CI's S3 server). */
@StartsServers
class SparkRechunkOnS3Test extends SparkRechunkContract {
  private final String bucket = S3ProxyServer.uniqueBucketName("spark-rechunk");
  private final Map<String, String> options;

  SparkRechunkOnS3Test() {
    S3ProxyServer server = S3ProxyServer.get();
    server.createBucket(bucket);
    options = server.settings(bucket);
  }

  @Override
  protected String root() {
    return "s3://" + bucket + "/rechunk";
  }

  @Override
  protected Map<String, String> options() {
    return options;
  }

  @Override
  protected SparkSession session() {
    return SparkFixtureFilesAccess.session();
  }
}
