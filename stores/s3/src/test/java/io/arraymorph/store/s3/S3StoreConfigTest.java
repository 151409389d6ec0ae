package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ArrayMorph's S3 options are read as documented, and wrong values name the option. */
class S3StoreConfigTest {
  private static S3StoreConfig config(String location, Map<String, String> options) {
    return S3StoreConfig.from(StoreUri.parse(location), StoreSettings.of(options));
  }

  @Test
  void defaultsFollowArrayMorph() {
    S3StoreConfig c = config("s3://bucket/a/b.zarr", Map.of());
    assertEquals("bucket", c.bucket());
    assertEquals("a/b.zarr", c.prefix());
    assertEquals("us-east-2", c.region());
    assertEquals(Optional.empty(), c.endpoint());
    assertFalse(c.pathStyle(), "AWS itself defaults to virtual-hosted addressing");
    assertEquals(3, c.maxRetries());
    assertEquals(64, c.maxConnections());
    assertEquals(16 * 1024 * 1024, c.multipartThreshold());
    assertEquals(1000, c.listPageSize());
  }

  @Test
  void addressingStyleIsNotInverted() {
    assertTrue(config("s3://b", Map.of("addressing_style", "path")).pathStyle());
    assertFalse(config("s3://b", Map.of("addressing_style", "virtual")).pathStyle());
    assertFalse(
        config("s3://b", Map.of("endpoint", "http://h:1", "addressing_style", "virtual"))
            .pathStyle());
    assertTrue(config("s3://b", Map.of("endpoint", "http://h:1")).pathStyle());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> config("s3://b", Map.of("addressing_style", "sideways")));
    assertTrue(e.getMessage().contains("addressing_style"));
  }

  @Test
  void endpointSchemeComesFromUseTlsWhenAbsent() {
    assertEquals(
        Optional.of(URI.create("https://minio:9000")),
        config("s3://b", Map.of("endpoint", "minio:9000")).endpoint());
    assertEquals(
        Optional.of(URI.create("http://minio:9000")),
        config("s3://b", Map.of("endpoint", "minio:9000", "use_tls", "false")).endpoint());
    assertEquals(
        Optional.of(URI.create("http://minio:9000")),
        config("s3://b", Map.of("endpoint", "http://minio:9000")).endpoint());
  }

  @Test
  void endpointSchemeContradictingUseTlsNamesBoth() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> config("s3://b", Map.of("endpoint", "http://minio:9000", "use_tls", "true")));
    assertTrue(e.getMessage().contains("use_tls"), e.getMessage());
    assertTrue(e.getMessage().contains("endpoint"), e.getMessage());
    // The text docs/troubleshooting.md quotes.
    IllegalArgumentException https =
        assertThrows(
            IllegalArgumentException.class,
            () -> config("s3://b", Map.of("endpoint", "https://minio:9000", "use_tls", "false")));
    assertEquals(
        "Option 'endpoint' (https://minio:9000) says https but use_tls=false: drop the scheme"
            + " from the endpoint or change use_tls (AWS_USE_TLS)",
        https.getMessage());
  }

  @Test
  void bucketComesFromTheSettingWhenTheLocationHasNone() {
    S3StoreConfig c = config("/data/demo.zarr", Map.of("storage", "S3", "bucket", "bkt"));
    assertEquals("bkt", c.bucket());
    assertEquals("data/demo.zarr", c.prefix());
    assertEquals("uri", config("s3://uri/p", Map.of("bucket", "setting")).bucket());
  }

  @Test
  void missingBucketNamesTheBucketOption() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> config("demo.zarr", Map.of("storage", "S3")));
    assertTrue(e.getMessage().contains("'bucket'"), e.getMessage());
    assertTrue(e.getMessage().contains("BUCKET_NAME"), e.getMessage());
  }

  @Test
  void timeoutsRetriesAndPoolAreRead() {
    S3StoreConfig c =
        config(
            "s3://b",
            Map.of(
                "connect_timeout_ms", "1500",
                "request_timeout_ms", "2500",
                "max_retries", "0",
                "max_connections", "8",
                "region", "eu-west-1"));
    assertEquals(Duration.ofMillis(1500), c.connectTimeout());
    assertEquals(Duration.ofMillis(2500), c.requestTimeout());
    assertEquals(Duration.ofMillis(2500), c.callTimeout());
    assertEquals(0, c.maxRetries());
    assertEquals(8, c.maxConnections());
    assertEquals("eu-west-1", c.region());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> config("s3://b", Map.of("max_retries", "-1")));
    assertTrue(e.getMessage().contains("max_retries"));
  }

  @Test
  void describeShowsWhereButNoCredentials() {
    S3StoreConfig c = config("s3://b/p", Map.of("endpoint", "http://h:1"));
    assertEquals("S3 bucket 'b' at http://h:1 (region us-east-2, path-style)", c.describe());
  }
}
