package io.arraymorph.store.s3;

import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.store.Keys;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;
import io.arraymorph.store.TlsTrust;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how to reach S3, read from ArrayMorph's settings and checked once: a wrong value fails
 * here with a message naming the option, not later inside the SDK. Holds no secret.
 *
 * @param bucket the bucket
 * @param prefix the key prefix inside the bucket that acts as the store's root
 * @param endpoint the endpoint override, or empty for AWS itself
 * @param region the SigV4 signing region
 * @param pathStyle whether buckets go in the path ({@code addressing_style=path}) rather than the
 *     host
 * @param signedPayloads explicit payload signing choice, or empty for the SDK's default
 * @param maxConnections the most concurrent connections (and so requests in flight)
 * @param connectTimeout the limit for opening a connection
 * @param requestTimeout the limit for one attempt of one request
 * @param maxRetries how many times a failed request is retried
 * @param multipartThreshold objects larger than this are uploaded in parts
 * @param partSize the size of each uploaded part
 * @param listPageSize keys asked for per LIST request
 * @param tlsCaFile a PEM file of extra CAs to trust ({@code tls_ca_file}), or empty
 */
public record S3StoreConfig(
    String bucket,
    String prefix,
    Optional<URI> endpoint,
    String region,
    boolean pathStyle,
    Optional<Boolean> signedPayloads,
    int maxConnections,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    long multipartThreshold,
    long partSize,
    int listPageSize,
    Optional<Path> tlsCaFile) {

  /** ArrayMorph's default region. */
  public static final String DEFAULT_REGION = "us-east-2";

  /** S3's smallest allowed part (every part but the last). */
  public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

  /** The shortest request_timeout_ms the CRT client accepts (its stall check counts seconds). */
  public static final int MIN_REQUEST_TIMEOUT_MS = 2000;

  private static final Set<String> S3_SCHEMES = Set.of("s3", "s3a", "s3n");

  /**
   * Reads the configuration for a location.
   *
   * @throws IllegalArgumentException naming the option at fault
   */
  public static S3StoreConfig from(StoreUri location, StoreSettings settings) {
    String bucket = bucketOf(location, settings);
    String prefix = Keys.join(location.path());
    Optional<URI> endpoint = endpointOf(settings);
    String region = settings.get("region").filter(r -> !r.isBlank()).orElse(DEFAULT_REGION).trim();
    boolean pathStyle = pathStyleOf(settings, endpoint.isPresent());
    Optional<Boolean> signed = settings.find(ArrayMorphOptions.SIGNED_PAYLOADS);
    long threshold = settings.get(ArrayMorphOptions.MULTIPART_THRESHOLD);
    long partSize = settings.get(ArrayMorphOptions.MULTIPART_PART_SIZE);
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "Option 'multipart_part_size' must be at least "
              + MIN_PART_SIZE
              + " bytes (S3's minimum)");
    }
    int requestTimeoutMs = settings.get(ArrayMorphOptions.REQUEST_TIMEOUT_MS);
    if (requestTimeoutMs < MIN_REQUEST_TIMEOUT_MS) {
      throw new IllegalArgumentException(
          "Option 'request_timeout_ms' must be at least "
              + MIN_REQUEST_TIMEOUT_MS
              + " for S3, not "
              + requestTimeoutMs
              + " (the CRT client checks for stalled connections in whole seconds, at least 2)");
    }
    return new S3StoreConfig(
        bucket,
        prefix,
        endpoint,
        region,
        pathStyle,
        signed,
        settings.get(ArrayMorphOptions.MAX_CONNECTIONS),
        Duration.ofMillis(settings.get(ArrayMorphOptions.CONNECT_TIMEOUT_MS)),
        Duration.ofMillis(requestTimeoutMs),
        settings.get(ArrayMorphOptions.MAX_RETRIES),
        threshold,
        partSize,
        Math.min(1000, settings.find(ArrayMorphOptions.LIST_PAGE_SIZE).orElse(1000)),
        TlsTrust.caFileOf(settings));
  }

  private static String bucketOf(StoreUri location, StoreSettings settings) {
    if (S3_SCHEMES.contains(location.scheme()) && !location.authority().isEmpty()) {
      return location.authority();
    }
    return settings
        .get("bucket")
        .filter(b -> !b.isBlank())
        .map(String::trim)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "No S3 bucket for '"
                        + location
                        + "': use s3://<bucket>/<path>, or set the 'bucket' option"
                        + " (environment variable BUCKET_NAME)"));
  }

  /**
   * The endpoint with its scheme. A scheme in the endpoint wins; without one, {@code use_tls}
   * decides (default true). Both given and disagreeing is an error rather than a silent choice.
   */
  static Optional<URI> endpointOf(StoreSettings settings) {
    Optional<String> raw = settings.get("endpoint").map(String::trim).filter(e -> !e.isEmpty());
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    String e = raw.get();
    Optional<Boolean> useTls = settings.find(ArrayMorphOptions.USE_TLS);
    String lower = e.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      boolean tls = lower.startsWith("https://");
      if (useTls.isPresent() && useTls.get() != tls) {
        throw new IllegalArgumentException(
            "Option 'endpoint' ("
                + e
                + ") says "
                + (tls ? "https" : "http")
                + " but use_tls="
                + useTls.get()
                + ": drop the scheme from the endpoint or change use_tls (AWS_USE_TLS)");
      }
    } else if (e.contains("://")) {
      throw new IllegalArgumentException(
          "Option 'endpoint' (" + e + ") must be host[:port] or an http:// or https:// URL");
    } else {
      e = (useTls.orElse(true) ? "https://" : "http://") + e;
    }
    try {
      URI uri = URI.create(e);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("no host");
      }
      return Optional.of(uri);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(
          "Option 'endpoint' (" + raw.get() + ") is not a valid host[:port] or URL", ex);
    }
  }

  /** Path style by default for custom endpoints (S3-compatible servers), virtual for AWS. */
  private static boolean pathStyleOf(StoreSettings settings, boolean customEndpoint) {
    return settings
        .find(ArrayMorphOptions.ADDRESSING_STYLE)
        .map(style -> style.equals("path"))
        .orElse(customEndpoint);
  }

  /** The longest a call may take, all retries included. */
  public Duration callTimeout() {
    return requestTimeout.multipliedBy(maxRetries + 1L).plusSeconds(maxRetries * 20L);
  }

  /** The endpoint as shown in messages: the override, or AWS's regional endpoint. */
  public String endpointName() {
    return endpoint.map(URI::toString).orElse("AWS S3 (" + region + ")");
  }

  /** Whether requests go over TLS. */
  public boolean usesTls() {
    return endpoint.map(u -> "https".equalsIgnoreCase(u.getScheme())).orElse(true);
  }

  /** A description for logs and messages. */
  public String describe() {
    return "S3 bucket '"
        + bucket
        + "' at "
        + endpointName()
        + " (region "
        + region
        + ", "
        + (pathStyle ? "path" : "virtual")
        + "-style)";
  }
}
