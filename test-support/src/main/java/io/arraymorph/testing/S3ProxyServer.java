package io.arraymorph.testing;

import io.arraymorph.store.TlsTrust;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * An S3-compatible server on loopback for tests. When {@code ARRAYMORPH_TEST_S3_ENDPOINT} (with
 * {@code ARRAYMORPH_TEST_S3_ACCESS_KEY} and {@code ARRAYMORPH_TEST_S3_SECRET_KEY}) is set, that
 * server is used (as started by {@code .ci/servers.sh start}); otherwise this JVM starts S3Proxy
 * with an in-memory backend as a child process on 127.0.0.1 and a free port, and stops it at exit.
 */
public final class S3ProxyServer {
  /** The S3Proxy release started (keep equal to the root pom's {@code s3proxy.version}). */
  public static final String VERSION = "4.1.0";

  private static final String JAR_NAME = "s3proxy-" + VERSION + "-jar-with-dependencies.jar";
  private static final Pattern PORT_LINE =
      Pattern.compile("Started .*\\{127\\.0\\.0\\.1:(\\d+)\\}");
  private static S3ProxyServer shared;

  private final String endpoint;
  private final String accessKey;
  private final String secretKey;
  private final boolean external;
  private final HttpClient http;

  private S3ProxyServer(String endpoint, String accessKey, String secretKey, boolean external) {
    this(endpoint, accessKey, secretKey, external, null);
  }

  private S3ProxyServer(
      String endpoint, String accessKey, String secretKey, boolean external, SSLContext tls) {
    this.endpoint = endpoint.replaceAll("/+$", "");
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.external = external;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1);
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
  }

  /** The server of this JVM: the one named by the environment, else one started on first use. */
  public static synchronized S3ProxyServer get() {
    if (shared == null) {
      shared = fromEnvironment().orElseGet(S3ProxyServer::startLocal);
    }
    return shared;
  }

  private static Optional<S3ProxyServer> fromEnvironment() {
    return ProjectFiles.env("ARRAYMORPH_TEST_S3_ENDPOINT")
        .map(
            endpoint ->
                new S3ProxyServer(
                    endpoint,
                    ProjectFiles.env("ARRAYMORPH_TEST_S3_ACCESS_KEY").orElse("arraymorph"),
                    ProjectFiles.env("ARRAYMORPH_TEST_S3_SECRET_KEY").orElse("arraymorph-secret"),
                    true));
  }

  private static S3ProxyServer startLocal() {
    return start(null);
  }

  /**
   * Starts a new S3Proxy (not the shared one) whose blobs are files under {@code baseDir}: the
   * filesystem backend, for benchmarks that need data larger than an in-memory server should hold.
   * Each bucket is a directory under {@code baseDir}. The process stops when this JVM exits.
   */
  public static S3ProxyServer startFilesystem(Path baseDir) {
    try {
      Files.createDirectories(baseDir);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create S3Proxy's directory " + baseDir, e);
    }
    return start(baseDir.toAbsolutePath());
  }

  /**
   * Starts a new in-memory S3Proxy (not the shared one) serving https only, on 127.0.0.1, with the
   * key and chain of a PKCS12 {@code keystore} (such as {@link
   * TestCertificates.Issued#keystore()}). Its own bucket requests trust {@code caPem}. The process
   * stops when this JVM exits.
   */
  public static S3ProxyServer startHttps(Path keystore, String password, Path caPem) {
    String tls =
        String.join(
            "\n",
            "s3proxy.secure-endpoint=https://127.0.0.1:0",
            "s3proxy.keystore-path=" + keystore.toAbsolutePath(),
            "s3proxy.keystore-password=" + password,
            "");
    return start(null, tls, TlsTrust.sslContext(caPem));
  }

  private static S3ProxyServer start(Path filesystemBaseDir) {
    return start(filesystemBaseDir, null, null);
  }

  private static S3ProxyServer start(Path filesystemBaseDir, String tlsProperties, SSLContext tls) {
    Path jar = findJar();
    String access = "arraymorph";
    String secret = "arraymorph-secret-" + Long.toHexString(System.nanoTime());
    try {
      Path dir = Files.createTempDirectory("arraymorph-s3proxy");
      Path properties = dir.resolve("s3proxy.properties");
      String config = properties(access, secret, filesystemBaseDir);
      if (tlsProperties != null) {
        // https only: the plain endpoint goes, so the port in the log is the TLS one.
        config = config.replace("s3proxy.endpoint=http://127.0.0.1:0\n", "") + tlsProperties;
      }
      Files.writeString(properties, config);
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add(filesystemBaseDir == null ? "-Xmx512m" : "-Xmx1g");
      command.add("-jar");
      command.add(jar.toString());
      command.add("--properties");
      command.add(properties.toString());
      ServerProcess process =
          ServerProcess.start("S3Proxy", command, dir, PORT_LINE, Duration.ofSeconds(60));
      String scheme = tls == null ? "http" : "https";
      return new S3ProxyServer(
          scheme + "://127.0.0.1:" + process.port(), access, secret, false, tls);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot prepare S3Proxy's configuration", e);
    }
  }

  /** The S3Proxy configuration: in-memory blobs, SigV2/SigV4 authentication, loopback only. */
  static String properties(String access, String secret) {
    return properties(access, secret, null);
  }

  /** The configuration, with blobs as files under {@code filesystemBaseDir} unless it is null. */
  static String properties(String access, String secret, Path filesystemBaseDir) {
    String backend =
        filesystemBaseDir == null
            ? "jclouds.provider=transient"
            : "jclouds.provider=filesystem\njclouds.filesystem.basedir=" + filesystemBaseDir;
    return String.join(
        "\n",
        "s3proxy.endpoint=http://127.0.0.1:0",
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + access,
        "s3proxy.credential=" + secret,
        backend,
        "jclouds.identity=" + access,
        "jclouds.credential=" + secret,
        "");
  }

  private static Path findJar() {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getProperty("arraymorph.s3proxy.jar"))
        .map(Path::of)
        .ifPresent(candidates::add);
    ProjectFiles.env("ARRAYMORPH_S3PROXY_JAR").map(Path::of).ifPresent(candidates::add);
    ProjectFiles.findUpwards(".ci/tools/" + JAR_NAME).ifPresent(candidates::add);
    ProjectFiles.findUpwards("test-support/target/servers/s3proxy.jar").ifPresent(candidates::add);
    String repo =
        System.getProperty(
            "maven.repo.local",
            Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
    candidates.add(Path.of(repo, "org", "gaul", "s3proxy", VERSION, JAR_NAME));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "S3Proxy "
            + VERSION
            + " jar not found (looked at "
            + candidates
            + "). Run .ci/setup-servers.sh (or .ci/servers.sh install), or build the"
            + " arraymorph-test-support module, or set ARRAYMORPH_TEST_S3_ENDPOINT to a running"
            + " server.");
  }

  /** The endpoint URL, {@code http://127.0.0.1:port}. */
  public String endpoint() {
    return endpoint;
  }

  /** {@code host:port} of the endpoint, without scheme. */
  public String hostAndPort() {
    return URI.create(endpoint).getAuthority();
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /** The signing region the server accepts. */
  public String region() {
    return "us-east-1";
  }

  /** Whether the server was given by the environment rather than started here. */
  public boolean external() {
    return external;
  }

  /**
   * ArrayMorph store settings that reach this server's {@code bucket}: endpoint, keys, region,
   * path-style addressing, plain HTTP.
   */
  public Map<String, String> settings(String bucket) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("endpoint", endpoint);
    m.put("region", region());
    m.put("access_key", accessKey);
    m.put("secret_key", secretKey);
    m.put("addressing_style", "path");
    m.put("use_tls", endpoint.startsWith("https:") ? "true" : "false");
    m.put("bucket", bucket);
    return m;
  }

  /**
   * Creates a bucket (succeeds when this account already owns it). Signed with AWS signature V2,
   * which S3Proxy accepts, so that this class needs no AWS SDK.
   */
  public void createBucket(String bucket) {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    String stringToSign = "PUT\n\n\n" + date + "\n/" + bucket;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + "/" + bucket))
            .timeout(Duration.ofSeconds(30))
            .header("Date", date)
            .header("Authorization", "AWS " + accessKey + ":" + hmacSha1(stringToSign))
            .PUT(HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      boolean ok =
          response.statusCode() / 100 == 2
              || (response.statusCode() == 409
                  && response.body().contains("BucketAlreadyOwnedByYou"));
      if (!ok) {
        throw new IllegalStateException(
            "Cannot create bucket '"
                + bucket
                + "' at "
                + endpoint
                + ": HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot reach S3 server " + endpoint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted creating bucket " + bucket, e);
    }
  }

  /** A bucket name unique to this call, valid for S3 (lower case, digits, dashes). */
  public static String uniqueBucketName(String hint) {
    String base = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    String suffix = Long.toString(System.nanoTime(), 36);
    String name = base.length() > 40 ? base.substring(0, 40) : base;
    return (name + "-" + suffix).replaceAll("-+", "-");
  }

  private String hmacSha1(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "S3ProxyServer[" + endpoint + (external ? ", external" : "") + "]";
  }
}
