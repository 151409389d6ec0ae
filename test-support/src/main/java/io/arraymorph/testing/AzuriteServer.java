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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * An Azure Blob server on loopback for tests. When {@code ARRAYMORPH_TEST_AZURE_CONNECTION_STRING}
 * is set, that server is used (as started by {@code .ci/servers.sh start}); otherwise this JVM
 * starts Azurite from {@code .ci/tools/node_modules/.bin/azurite-blob} on 127.0.0.1 and a free
 * port, in memory and without telemetry, and stops it at exit. Without Azurite installed, {@link
 * #get()} fails saying how to install it: Azure tests never skip silently.
 */
public final class AzuriteServer {
  /** Azurite's well-known development account. */
  public static final String DEV_ACCOUNT = "devstoreaccount1";

  /** Azurite's well-known, public development account key (not a secret). */
  public static final String DEV_ACCOUNT_KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  private static final String BIN = ".ci/tools/node_modules/.bin/azurite-blob";
  private static final String API_VERSION = "2021-08-06";
  private static final Pattern PORT_LINE =
      Pattern.compile("successfully listens on http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern HTTPS_PORT_LINE =
      Pattern.compile("successfully listens on https://127\\.0\\.0\\.1:(\\d+)");
  private static AzuriteServer shared;

  private final String connectionString;
  private final String accountName;
  private final String accountKey;
  private final String blobEndpoint;
  private final HttpClient http;

  private AzuriteServer(String connectionString) {
    this(connectionString, null);
  }

  private AzuriteServer(String connectionString, SSLContext tls) {
    this.connectionString = connectionString;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1);
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
    Map<String, String> parts = parseConnectionString(connectionString);
    this.accountName = parts.getOrDefault("accountname", DEV_ACCOUNT);
    this.accountKey = parts.getOrDefault("accountkey", DEV_ACCOUNT_KEY);
    this.blobEndpoint =
        parts
            .getOrDefault("blobendpoint", "http://127.0.0.1:10000/" + accountName)
            .replaceAll("/+$", "");
  }

  /** The server of this JVM: the one named by the environment, else one started on first use. */
  public static synchronized AzuriteServer get() {
    if (shared == null) {
      shared =
          ProjectFiles.env("ARRAYMORPH_TEST_AZURE_CONNECTION_STRING")
              .map(AzuriteServer::new)
              .orElseGet(AzuriteServer::startLocal);
    }
    return shared;
  }

  private static AzuriteServer startLocal() {
    return start(List.of(), false, null);
  }

  /**
   * Starts a new in-memory Azurite (not the shared one) serving https on 127.0.0.1 with a PEM
   * certificate chain and key (such as {@link TestCertificates.Issued}). Its own container requests
   * trust {@code caPem}. The process stops when this JVM exits.
   */
  public static AzuriteServer startHttps(Path chainPem, Path keyPem, Path caPem) {
    return start(
        List.of(
            "--cert",
            chainPem.toAbsolutePath().toString(),
            "--key",
            keyPem.toAbsolutePath().toString()),
        true,
        TlsTrust.sslContext(caPem));
  }

  private static AzuriteServer start(List<String> extraArguments, boolean https, SSLContext tls) {
    Path bin =
        ProjectFiles.findUpwards(BIN)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Azurite is not installed (no "
                            + BIN
                            + " above "
                            + Path.of("").toAbsolutePath()
                            + "). Run .ci/setup-servers.sh (or .ci/servers.sh install) once, or set"
                            + " ARRAYMORPH_TEST_AZURE_CONNECTION_STRING to a running Azurite."));
    try {
      Path dir = Files.createTempDirectory("arraymorph-azurite");
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  bin.toString(),
                  "--blobHost",
                  "127.0.0.1",
                  "--blobPort",
                  "0",
                  "--loose",
                  "--skipApiVersionCheck",
                  "--disableTelemetry",
                  "--inMemoryPersistence",
                  "--extentMemoryLimit",
                  "1024"));
      command.addAll(extraArguments);
      ServerProcess process =
          ServerProcess.start(
              "Azurite", command, dir, https ? HTTPS_PORT_LINE : PORT_LINE, Duration.ofSeconds(60));
      return https
          ? new AzuriteServer(httpsConnectionString(process.port()), tls)
          : new AzuriteServer(connectionString(process.port()));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot prepare a folder for Azurite", e);
    }
  }

  /** The connection string of the development account on a local Azurite port. */
  public static String connectionString(int port) {
    return "DefaultEndpointsProtocol=http;AccountName="
        + DEV_ACCOUNT
        + ";AccountKey="
        + DEV_ACCOUNT_KEY
        + ";BlobEndpoint=http://127.0.0.1:"
        + port
        + "/"
        + DEV_ACCOUNT
        + ";";
  }

  /** The connection string of the development account on a local Azurite https port. */
  public static String httpsConnectionString(int port) {
    return connectionString(port)
        .replace("DefaultEndpointsProtocol=http;", "DefaultEndpointsProtocol=https;")
        .replace("BlobEndpoint=http://", "BlobEndpoint=https://");
  }

  public String connectionString() {
    return connectionString;
  }

  public String accountName() {
    return accountName;
  }

  public String accountKey() {
    return accountKey;
  }

  /** The blob service URL, {@code http://127.0.0.1:port/devstoreaccount1}. */
  public String blobEndpoint() {
    return blobEndpoint;
  }

  /** ArrayMorph store settings that reach {@code container} with the connection string. */
  public Map<String, String> settings(String container) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("connection_string", connectionString);
    m.put("bucket", container);
    return m;
  }

  /**
   * Creates a container (succeeds when it exists). Signed with the account's shared key, so that
   * this class needs no Azure SDK.
   */
  public void createContainer(String container) {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    URI uri = URI.create(blobEndpoint + "/" + container + "?restype=container");
    String stringToSign =
        "PUT\n\n\n\n\n\n\n\n\n\n\n\n"
            + "x-ms-date:"
            + date
            + "\nx-ms-version:"
            + API_VERSION
            + "\n/"
            + accountName
            + uri.getRawPath()
            + "\nrestype:container";
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(30))
            .header("x-ms-date", date)
            .header("x-ms-version", API_VERSION)
            .header("Authorization", "SharedKey " + accountName + ":" + sign(stringToSign))
            .PUT(HttpRequest.BodyPublishers.noBody())
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2 && response.statusCode() != 409) {
        throw new IllegalStateException(
            "Cannot create container '"
                + container
                + "' at "
                + blobEndpoint
                + ": HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot reach Azurite at " + blobEndpoint, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted creating container " + container, e);
    }
  }

  /** A container name unique to this call, valid for Azure (lower case, digits, dashes). */
  public static String uniqueContainerName(String hint) {
    return S3ProxyServer.uniqueBucketName(hint);
  }

  private String sign(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(Base64.getDecoder().decode(accountKey), "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> parseConnectionString(String cs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : cs.split(";", -1)) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "AzuriteServer[" + blobEndpoint + "]";
  }
}
