package io.arraymorph.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loopback test servers start, answer on 127.0.0.1 and accept bucket/container creation. */
@StartsServers
class ServersStartTest {
  private static int statusOf(String url) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void s3ProxyListensOnLoopbackAndCreatesBuckets() throws Exception {
    S3ProxyServer s3 = S3ProxyServer.get();
    assertTrue(s3.endpoint().startsWith("http://127.0.0.1:"), s3.endpoint());
    s3.createBucket("servers-start-test");
    s3.createBucket("servers-start-test");
    assertTrue(statusOf(s3.endpoint() + "/servers-start-test") >= 200);
  }

  @Test
  void filesystemS3ProxyKeepsBucketsAsDirectories(@TempDir Path dir) throws Exception {
    S3ProxyServer s3 = S3ProxyServer.startFilesystem(dir.resolve("blobs"));
    assertTrue(s3.endpoint().startsWith("http://127.0.0.1:"), s3.endpoint());
    s3.createBucket("fs-bucket");
    assertTrue(Files.isDirectory(dir.resolve("blobs").resolve("fs-bucket")));
  }

  @Test
  void azuriteListensOnLoopbackAndCreatesContainers() throws Exception {
    AzuriteServer az = AzuriteServer.get();
    assertTrue(az.blobEndpoint().startsWith("http://127.0.0.1:"), az.blobEndpoint());
    az.createContainer("servers-start-test");
    az.createContainer("servers-start-test");
    assertTrue(statusOf(az.blobEndpoint() + "/servers-start-test?restype=container") >= 200);
  }
}
