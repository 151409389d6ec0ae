package io.arraymorph.store.s3;

import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.store.StoreSettings;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.DelegatingS3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3CrtAsyncClientBuilder;
import software.amazon.awssdk.services.s3.crt.S3CrtConnectionHealthConfiguration;
import software.amazon.awssdk.services.s3.crt.S3CrtHttpConfiguration;
import software.amazon.awssdk.services.s3.crt.S3CrtRetryConfiguration;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * Builds the SDK's asynchronous S3 client from ArrayMorph settings.
 *
 * <p>The client is the AWS CRT-based {@code S3AsyncClient} ({@code crtBuilder()}), not the one over
 * Netty: the SDK's Netty client is built for Netty 4.1 while Spark 4.1 puts Netty 4.2 on the
 * classpath (aws-sdk-java-v2 issues 6030 and 6757), the SDK's CRT HTTP client for the standard
 * builder ({@code aws-crt-client}) is missing from Maven Central at 2.56.0, and the CRT client was
 * the faster one measured here. The CRT does its own retries (exponential backoff with full jitter
 * on 5xx, 503 SlowDown and connection errors, {@code max_retries} times) and connection pooling up
 * to {@code max_connections}.
 *
 * <p>With {@code tls_ca_file} set, the client is instead the SDK's standard asynchronous client
 * over the JDK's HTTP client ({@link JdkAsyncHttpClient}): the CRT client trusts only the operating
 * system's CAs and its builder cannot take others. That client retries with the SDK's standard
 * strategy ({@code max_retries}) and bounds each attempt by {@code request_timeout_ms}.
 *
 * <p>Known limit: the CRT client signs with its own payload policy, so {@code signed_payloads} is
 * read and validated but cannot change what is signed.
 */
final class S3Clients {
  private S3Clients() {}

  /** Throughput below which a connection counts as stalled (and is dropped and retried). */
  static final long STALLED_BYTES_PER_SECOND = 1;

  /**
   * The SDK client and, for the {@code tls_ca_file} path, the lease on the shared JDK HTTP client
   * under it (the SDK does not close an HTTP client it was given); close both, the SDK client
   * first.
   *
   * @param handsOverBodies whether the client hands each piece of a response body over in an array
   *     of its own, which may then be kept without a copy ({@link ByteArrayTransformer}): the CRT
   *     client's adapter does; the JDK HTTP client reuses its buffers
   */
  record Client(S3AsyncClient sdk, SdkAutoCloseable http, boolean handsOverBodies)
      implements SdkAutoCloseable {
    @Override
    public void close() {
      try {
        sdk.close();
      } finally {
        http.close();
      }
    }
  }

  /**
   * The client to send CopyObject through as one request. The CRT client's {@code copyObject} first
   * HEADs the source to choose between one copy and a multipart copy (for sources above its
   * multipart threshold): one more request per copied object, that is per chunk a publication
   * copies. The client it delegates to sends the CopyObject alone; it shares the CRT client's
   * connections, credentials and retries, and closes with it. The standard client ({@code
   * tls_ca_file}) already sends one request.
   */
  static S3AsyncClient singleRequestCopies(S3AsyncClient sdk) {
    if (sdk instanceof DelegatingS3AsyncClient crt
        && crt.delegate() instanceof S3AsyncClient inner) {
      return inner;
    }
    return sdk;
  }

  /** A client for the configuration; the caller closes it. */
  static Client build(S3StoreConfig config, AwsCredentialsProvider credentials) {
    if (config.tlsCaFile().isPresent()) {
      return withCaFile(config, credentials, config.tlsCaFile().get());
    }
    S3CrtAsyncClientBuilder builder =
        S3AsyncClient.crtBuilder()
            .region(Region.of(config.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(config.pathStyle())
            // Since SDK 2.30 checksums are computed and checked on every request by default, which
            // S3-compatible servers (S3Proxy, older MinIO, Ceph) reject; only send them when
            // needed.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .maxConcurrency(config.maxConnections())
            // Multipart uploads are done by MultipartUpload, through the SDK's own XML parsing: the
            // CRT's automatic multipart cannot read S3Proxy's CreateMultipartUpload answer.
            .thresholdInBytes(Long.MAX_VALUE)
            .minimumPartSizeInBytes(config.partSize())
            .httpConfiguration(
                S3CrtHttpConfiguration.builder()
                    .connectionTimeout(config.connectTimeout())
                    .connectionHealthConfiguration(
                        S3CrtConnectionHealthConfiguration.builder()
                            .minimumThroughputInBps(STALLED_BYTES_PER_SECOND)
                            .minimumThroughputTimeout(config.requestTimeout())
                            .build())
                    .build())
            .retryConfiguration(
                S3CrtRetryConfiguration.builder().numRetries(config.maxRetries()).build());
    config.endpoint().ifPresent(builder::endpointOverride);
    return new Client(builder.build(), () -> {}, true);
  }

  /**
   * The standard client over the JDK's HTTP client, trusting the JVM's CAs and {@code caFile}; the
   * JDK client is shared with other stores of the same trust and timeouts ({@link
   * SharedJdkHttpClients}).
   */
  private static Client withCaFile(
      S3StoreConfig config, AwsCredentialsProvider credentials, Path caFile) {
    SharedJdkHttpClients.Lease shared =
        SharedJdkHttpClients.acquire(caFile, config.connectTimeout(), config.requestTimeout());
    try {
      return new Client(withHttpClient(config, credentials, shared), shared, false);
    } catch (RuntimeException e) {
      shared.close();
      throw e;
    }
  }

  private static S3AsyncClient withHttpClient(
      S3StoreConfig config, AwsCredentialsProvider credentials, SharedJdkHttpClients.Lease shared) {
    S3AsyncClientBuilder builder =
        S3AsyncClient.builder()
            .region(Region.of(config.region()))
            .credentialsProvider(credentials)
            .forcePathStyle(config.pathStyle())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClient(shared.http())
            .overrideConfiguration(
                o ->
                    o.apiCallAttemptTimeout(config.requestTimeout())
                        .scheduledExecutorService(shared.scheduler())
                        .retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(config.maxRetries() + 1)
                                .build()));
    config.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /**
   * The credentials: {@code anonymous=true}; else {@code access_key} with {@code secret_key} (and
   * {@code session_token}); else the AWS default chain (environment, profile, container or instance
   * role).
   *
   * @throws IllegalArgumentException when only one of access_key and secret_key is set
   */
  static AwsCredentialsProvider credentials(StoreSettings settings) {
    if (settings.get(ArrayMorphOptions.ANONYMOUS)) {
      return AnonymousCredentialsProvider.create();
    }
    Optional<String> access = nonBlank(settings, "access_key");
    Optional<String> secret = nonBlank(settings, "secret_key");
    Optional<String> token = nonBlank(settings, "session_token");
    if (access.isPresent() != secret.isPresent()) {
      throw new IllegalArgumentException(
          "Option '"
              + (access.isPresent() ? "access_key" : "secret_key")
              + "' is set but '"
              + (access.isPresent() ? "secret_key" : "access_key")
              + "' is not: give both (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or neither to"
              + " use the AWS default credential chain");
    }
    if (access.isEmpty()) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(
        token.isPresent()
            ? AwsSessionCredentials.create(access.get(), secret.get(), token.get())
            : AwsBasicCredentials.create(access.get(), secret.get()));
  }

  private static Optional<String> nonBlank(StoreSettings settings, String option) {
    return settings.get(option).filter(v -> !v.isBlank());
  }
}
