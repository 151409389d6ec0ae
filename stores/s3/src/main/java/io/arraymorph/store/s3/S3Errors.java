package io.arraymorph.store.s3;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.RedactedException;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.TlsTrust;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK failures into {@link StoreException}s whose message says what went wrong and which
 * option fixes it. Messages and causes never carry a secret.
 */
final class S3Errors {
  private static final Set<String> BAD_CREDENTIALS =
      Set.of(
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "InvalidToken",
          "ExpiredToken",
          "TokenRefreshRequired",
          "InvalidSecurity");

  private final S3StoreConfig config;
  private final StoreSettings settings;

  S3Errors(S3StoreConfig config, StoreSettings settings) {
    this.config = config;
    this.settings = settings;
  }

  /** Whether a failure is S3's answer that the object (not the bucket) does not exist. */
  static boolean isMissingObject(Throwable t) {
    Throwable c = Futures.unwrap(t);
    if (c instanceof S3Exception s) {
      String code = errorCode(s);
      return "NoSuchKey".equals(code) || (s.statusCode() == 404 && code.isEmpty());
    }
    return false;
  }

  /** Whether one key's error code in a DeleteObjects answer may pass if asked again. */
  static boolean isRetryableCode(String code) {
    if (code == null) {
      return false;
    }
    return switch (code) {
      case "InternalError", "SlowDown", "ServiceUnavailable", "RequestTimeout", "Throttling" ->
          true;
      default -> false;
    };
  }

  /** Whether S3 answered 416: the requested range starts at or past the object's end. */
  static boolean isRangeNotSatisfiable(Throwable t) {
    return Futures.unwrap(t) instanceof S3Exception s
        && (s.statusCode() == 416 || "InvalidRange".equals(errorCode(s)));
  }

  /**
   * Whether a conditional write lost: 412 (the key exists) or 409 ConditionalRequestConflict (a
   * concurrent conditional write on the key is in flight, and that one wins).
   */
  static boolean isConditionFailed(Throwable t) {
    return Futures.unwrap(t) instanceof S3Exception s
        && (s.statusCode() == 412
            || "PreconditionFailed".equals(errorCode(s))
            || "ConditionalRequestConflict".equals(errorCode(s)));
  }

  /** Whether S3 answered 404 to a request without a body (HEAD). */
  static boolean isNotFound(Throwable t) {
    return Futures.unwrap(t) instanceof S3Exception s && s.statusCode() == 404;
  }

  /**
   * The store failure for an SDK failure of {@code operation} on {@code key} (null for bucket-level
   * operations).
   */
  StoreException translate(Throwable failure, String operation, String key) {
    Throwable c = Futures.unwrap(failure);
    if (c instanceof StoreException s) {
      return s;
    }
    String what = operation + " of " + where(key);
    Throwable cause = RedactedException.redact(c, settings);
    if (c instanceof S3Exception s) {
      String code = errorCode(s);
      int status = s.statusCode();
      if (key != null && ("NoSuchKey".equals(code) || (status == 404 && code.isEmpty()))) {
        return new ObjectNotFoundException(key);
      }
      if ("NoSuchBucket".equals(code)) {
        return noSuchBucket(cause);
      }
      if (BAD_CREDENTIALS.contains(code)) {
        return new StoreException(
            "S3 rejected the credentials ("
                + code
                + ") for "
                + what
                + " at "
                + config.endpointName()
                + ": check the access_key and secret_key options (AWS_ACCESS_KEY_ID,"
                + " AWS_SECRET_ACCESS_KEY) and session_token for temporary credentials",
            cause);
      }
      if (status == 403) {
        return new StoreException(
            "S3 denied "
                + what
                + " at "
                + config.endpointName()
                + " (HTTP 403"
                + (code.isEmpty() ? "" : " " + code)
                + "): the credentials from access_key/secret_key (AWS_ACCESS_KEY_ID,"
                + " AWS_SECRET_ACCESS_KEY, or the default chain) are wrong or lack permission",
            cause);
      }
      if (status == 301
          || "PermanentRedirect".equals(code)
          || "AuthorizationHeaderMalformed".equals(code)
          || "IllegalLocationConstraintException".equals(code)) {
        return new StoreException(
            "S3 says bucket '"
                + config.bucket()
                + "' is in another region than '"
                + config.region()
                + "' ("
                + (code.isEmpty() ? "HTTP " + status : code)
                + "): set the region option (AWS_REGION) to the bucket's region",
            cause);
      }
      return new StoreException(
          "S3 "
              + what
              + " at "
              + config.endpointName()
              + " failed: HTTP "
              + status
              + (code.isEmpty() ? "" : " " + code)
              + " "
              + settings.redact(messageOf(s)),
          cause);
    }
    if (hasCause(c, ApiCallAttemptTimeoutException.class)
        || hasCause(c, ApiCallTimeoutException.class)
        || hasCause(c, TimeoutException.class)) {
      return new StoreException(
          "S3 "
              + what
              + " at "
              + config.endpointName()
              + " timed out after "
              + config.callTimeout().toMillis()
              + " ms (request_timeout_ms="
              + config.requestTimeout().toMillis()
              + ", max_retries="
              + config.maxRetries()
              + "): check that the endpoint answers, or raise request_timeout_ms"
              + (config.usesTls() ? TLS_TRUST_HINT : ""),
          cause);
    }
    String chain = chainText(c);
    if (chain.contains("throughput minimum")) {
      return new StoreException(
          "S3 "
              + what
              + " at "
              + config.endpointName()
              + " stalled: the server sent no data for request_timeout_ms="
              + config.requestTimeout().toMillis()
              + " on every try (max_retries="
              + config.maxRetries()
              + "): check that the endpoint answers, or raise request_timeout_ms",
          cause);
    }
    if (chain.contains("throttl")) {
      return new StoreException(
          "S3 endpoint "
              + config.endpointName()
              + " kept throttling "
              + what
              + " (503 SlowDown) after max_retries="
              + config.maxRetries()
              + " retries: lower max_connections or raise max_retries",
          cause);
    }
    // The CRT reports a TLS handshake with a plain-HTTP server as a closed socket.
    if (looksLikeTls(c, chain)
        || (config.usesTls()
            && config.endpoint().isPresent()
            && chain.contains("socket is closed"))) {
      return new StoreException(
          "TLS connection to S3 endpoint "
              + config.endpointName()
              + " failed for "
              + what
              + " ("
              + settings.redact(innermostMessage(c))
              + "): "
              + TlsTrust.certificateProblem(c)
                  .orElse(
                      "if the server speaks plain HTTP set use_tls=false (AWS_USE_TLS) or use an"
                          + " http:// endpoint; else check the endpoint and its certificate, and"
                          + " set tls_ca_file (ARRAYMORPH_TLS_CA_FILE) to the CA that signed it"),
          cause);
    }
    if (looksLikeConnectionFailure(c, chain)) {
      return new StoreException(
          "Cannot connect to S3 endpoint "
              + config.endpointName()
              + " for "
              + what
              + " ("
              + settings.redact(innermostMessage(c))
              + ", after "
              + config.maxRetries()
              + " retries): check the endpoint option (AWS_ENDPOINT_URL_S3), that the server is"
              + " running, and use_tls",
          cause);
    }
    if (chain.contains("unable to load credentials")) {
      return new StoreException(
          "No AWS credentials found for "
              + what
              + ": set the access_key and secret_key options (AWS_ACCESS_KEY_ID,"
              + " AWS_SECRET_ACCESS_KEY), or configure the AWS default credential chain",
          cause);
    }
    return new StoreException(
        "S3 " + what + " at " + config.endpointName() + " failed: " + settings.redact(c.toString()),
        cause);
  }

  /** The failure for a bucket that does not exist. */
  StoreException noSuchBucket(Throwable cause) {
    return new StoreException(
        "S3 bucket '"
            + config.bucket()
            + "' does not exist at "
            + config.endpointName()
            + ": check the bucket in the location (s3://<bucket>/...) or the bucket option"
            + " (BUCKET_NAME)",
        cause);
  }

  private String where(String key) {
    String prefix = "s3://" + config.bucket();
    return key == null ? prefix : prefix + "/" + key;
  }

  private static String errorCode(S3Exception s) {
    return s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null
        ? ""
        : s.awsErrorDetails().errorCode();
  }

  private static String messageOf(S3Exception s) {
    return s.awsErrorDetails() == null || s.awsErrorDetails().errorMessage() == null
        ? ""
        : s.awsErrorDetails().errorMessage();
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (int i = 0; t != null && i < 20; t = t.getCause(), i++) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** The messages of a cause chain, lower case, for recognising transport errors. */
  private static String chainText(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; t != null && i < 20; t = t.getCause(), i++) {
      sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  private static String innermostMessage(Throwable t) {
    String message = String.valueOf(t.getMessage());
    for (int i = 0; t != null && i < 20; t = t.getCause(), i++) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }

  /**
   * The CRT client does not report a certificate it distrusts: the handshake fails and the call
   * runs into its deadline, so a timeout over TLS says where else to look.
   */
  private static final String TLS_TRUST_HINT =
      "; with use_tls=true also check that the endpoint's TLS certificate is trusted (without"
          + " tls_ca_file the S3 client trusts the operating system's CAs only): for a private or"
          + " test CA set tls_ca_file (ARRAYMORPH_TLS_CA_FILE) to a PEM file of it, or use an"
          + " http:// endpoint";

  private static boolean looksLikeTls(Throwable t, String chain) {
    return hasCause(t, SSLException.class)
        || chain.contains("tls_")
        || chain.contains("tls negotiation")
        || chain.contains("ssl")
        || chain.contains("plaintext connection");
  }

  private static boolean looksLikeConnectionFailure(Throwable t, String chain) {
    return hasCause(t, ConnectException.class)
        || hasCause(t, UnknownHostException.class)
        || hasCause(t, NoRouteToHostException.class)
        || chain.contains("connection refused")
        || chain.contains("connection_refused")
        || chain.contains("socket_timeout")
        || chain.contains("dns")
        || chain.contains("unable to execute http request")
        || chain.contains("connect");
  }
}
