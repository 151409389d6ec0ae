package io.arraymorph.bench;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** The Spark sessions the benchmarks and probes run in: {@code local[2]}, bound to loopback. */
final class BenchSessions {
  private BenchSessions() {}

  /** A {@code local[2]} session on 127.0.0.1 with the UI off; add settings before starting it. */
  static SparkSession.Builder local(String appName) {
    return SparkSession.builder()
        .master("local[2]")
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1");
  }

  /**
   * Gives {@code format("arraymorph")} in {@code b} the S3 settings of {@code s3} (an S3Proxy's),
   * talking to {@code endpoint} (the server's, or a recording proxy's in front of it).
   */
  static SparkSession.Builder withArrayMorphS3(
      SparkSession.Builder b, Map<String, String> s3, String endpoint) {
    for (String k : List.of("region", "access_key", "secret_key", "addressing_style", "use_tls")) {
      b.config("spark.datasource.arraymorph." + k, s3.get(k));
    }
    return b.config("spark.datasource.arraymorph.endpoint", endpoint);
  }

  /** Gives Hadoop's S3A in {@code b} the S3 settings of {@code s3} (an S3Proxy's), for Parquet. */
  static SparkSession.Builder withS3A(SparkSession.Builder b, Map<String, String> s3) {
    return b.config("spark.hadoop.fs.s3a.endpoint", s3.get("endpoint"))
        .config("spark.hadoop.fs.s3a.endpoint.region", s3.get("region"))
        .config("spark.hadoop.fs.s3a.path.style.access", "true")
        .config("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
        .config("spark.hadoop.fs.s3a.access.key", s3.get("access_key"))
        .config("spark.hadoop.fs.s3a.secret.key", s3.get("secret_key"))
        .config(
            "spark.hadoop.fs.s3a.aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
        .config("spark.hadoop.fs.s3a.change.detection.mode", "none")
        .config("spark.hadoop.fs.s3a.bucket.probe", "0");
  }

  /** Starts the session with Spark's log level at WARN. */
  static SparkSession start(SparkSession.Builder b) {
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
