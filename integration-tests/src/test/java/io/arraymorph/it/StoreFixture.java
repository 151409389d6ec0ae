package io.arraymorph.it;

import io.arraymorph.store.StoreSettings;
import io.arraymorph.testing.AzuriteServer;
import io.arraymorph.testing.HttpsTestServers;
import io.arraymorph.testing.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One store the end-to-end suite runs against: where fresh arrays go and the settings (credentials
 * included) that reach it. Servers listen on 127.0.0.1 only.
 *
 * @param name a short name for test display
 * @param root the root location (URI or path) under which arrays are created
 * @param options the store settings, as Spark read/write options (credentials included)
 * @param secrets secret values that must never show in messages or plans
 */
record StoreFixture(String name, String root, Map<String, String> options, List<String> secrets) {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** A fresh location for one array store. */
  String newLocation(String hint) {
    return root() + "/" + hint + "-" + COUNTER.incrementAndGet() + ".zarr";
  }

  StoreSettings settings() {
    return StoreSettings.of(options());
  }

  @Override
  public String toString() {
    return name();
  }

  static List<StoreFixture> all() {
    return List.of(local(), s3(), azure(), s3a());
  }

  private static StoreFixture local;
  private static StoreFixture s3;
  private static StoreFixture azure;
  private static StoreFixture s3a;

  /** A directory under target/. */
  static synchronized StoreFixture local() {
    if (local == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "e2e-local");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      local = new StoreFixture("local", dir.toString(), Map.of(), List.of());
    }
    return local;
  }

  /** S3 (the CRT client of stores/s3) against S3Proxy. */
  static synchronized StoreFixture s3() {
    if (s3 == null) {
      s3 = s3On(S3ProxyServer.get(), "s3", Map.of());
    }
    return s3;
  }

  private static StoreFixture s3Https;

  /**
   * S3 over https: an https-only S3Proxy whose certificate a throwaway test CA issued for
   * 127.0.0.1, trusted through {@code tls_ca_file} (which the driver ships to the executors).
   */
  static synchronized StoreFixture s3Https() {
    if (s3Https == null) {
      s3Https =
          s3On(
              HttpsTestServers.s3Proxy(),
              "s3-https",
              Map.of("tls_ca_file", HttpsTestServers.authority().caPem().toString()));
    }
    return s3Https;
  }

  /**
   * A fresh bucket on {@code server}, reached by the S3 store with its settings plus {@code extra}.
   */
  private static StoreFixture s3On(S3ProxyServer server, String name, Map<String, String> extra) {
    String bucket = S3ProxyServer.uniqueBucketName("e2e-" + name);
    server.createBucket(bucket);
    Map<String, String> opts = new LinkedHashMap<>(server.settings(bucket));
    opts.remove("bucket");
    opts.putAll(extra);
    return new StoreFixture(name, "s3://" + bucket, opts, List.of(server.secretKey()));
  }

  /** Azure Blob against Azurite, by connection string. */
  static synchronized StoreFixture azure() {
    if (azure == null) {
      AzuriteServer server = AzuriteServer.get();
      String container = AzuriteServer.uniqueContainerName("e2e-az");
      server.createContainer(container);
      Map<String, String> opts = Map.of("connection_string", server.connectionString());
      azure =
          new StoreFixture(
              "azure",
              "az://" + container,
              opts,
              List.of(server.connectionString(), server.accountKey()));
    }
    return azure;
  }

  /** The Hadoop store with S3A (hadoop-aws) against S3Proxy. */
  static synchronized StoreFixture s3a() {
    if (s3a == null) {
      S3ProxyServer server = S3ProxyServer.get();
      String bucket = S3ProxyServer.uniqueBucketName("e2e-s3a");
      server.createBucket(bucket);
      Map<String, String> opts = s3aOptions(server, server.endpoint());
      s3a = new StoreFixture("s3a", "s3a://" + bucket, opts, List.of(server.secretKey()));
    }
    return s3a;
  }

  static Map<String, String> s3aOptions(S3ProxyServer server, String endpoint) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("fs.s3a.endpoint", endpoint);
    m.put("fs.s3a.endpoint.region", server.region());
    m.put("fs.s3a.path.style.access", "true");
    m.put("fs.s3a.connection.ssl.enabled", "false");
    m.put("fs.s3a.access.key", server.accessKey());
    m.put("fs.s3a.secret.key", server.secretKey());
    m.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    m.put("fs.s3a.attempts.maximum", "2");
    m.put("fs.s3a.retry.limit", "2");
    return m;
  }
}
