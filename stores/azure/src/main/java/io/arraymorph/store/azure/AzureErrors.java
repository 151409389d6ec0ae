package io.arraymorph.store.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.RedactedException;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.TlsTrust;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns Azure SDK failures into {@link StoreException}s whose message says what went wrong and
 * which option fixes it. Messages and causes never carry a secret: besides the configured secrets,
 * any {@code sig=}, {@code AccountKey=} or {@code SharedAccessSignature=} value is masked.
 */
final class AzureErrors {
  private static final Pattern SECRET_PARAMETERS =
      Pattern.compile("(?i)(sig|accountkey|sharedaccesssignature)=[^&;\\s\"']+");

  private final AzureStoreConfig config;
  private final StoreSettings settings;
  private final String where;

  AzureErrors(AzureStoreConfig config, StoreSettings settings, String containerUrl) {
    this.config = config;
    this.settings = withConnectionStringSecrets(settings);
    this.where = redact(containerUrl);
  }

  /** The container URL as shown in messages. */
  String containerUrl() {
    return where;
  }

  static boolean isStatus(Throwable t, int status) {
    return Futures.unwrap(t) instanceof BlobStorageException e && e.getStatusCode() == status;
  }

  /**
   * Whether asking again may succeed: the service answered 408, 429 or 5xx, or nothing usable came
   * back (a connection reset, a response cut while its body was read, a timeout).
   */
  static boolean isRetryable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof HttpResponseException e && e.getResponse() != null) {
        return isRetryableStatus(e.getResponse().getStatusCode());
      }
    }
    return true;
  }

  /** Whether a status says the service may succeed when asked again. */
  static boolean isRetryableStatus(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  static boolean isMissingBlob(Throwable t) {
    return Futures.unwrap(t) instanceof BlobStorageException e
        && (BlobErrorCode.BLOB_NOT_FOUND.equals(e.getErrorCode())
            || (e.getStatusCode() == 404 && e.getErrorCode() == null));
  }

  String redact(String text) {
    return text == null
        ? null
        : SECRET_PARAMETERS.matcher(settings.redact(text)).replaceAll("$1=***");
  }

  StoreException translate(Throwable failure, String operation, String key) {
    Throwable c = Futures.unwrap(failure);
    if (c instanceof StoreException s) {
      return s;
    }
    String what = operation + " of " + (key == null ? "container" : "'" + key + "'");
    Throwable cause = RedactedException.redact(c, settings);
    if (c instanceof BlobStorageException e) {
      BlobErrorCode code = e.getErrorCode();
      int status = e.getStatusCode();
      if (key != null && isMissingBlob(e)) {
        return new ObjectNotFoundException(key);
      }
      if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
        return containerNotFound(cause);
      }
      if (status == 403) {
        return new StoreException(
            "Azure denied "
                + what
                + " in "
                + where
                + " (HTTP 403"
                + (code == null ? "" : " " + code)
                + "): check the credentials in connection_string"
                + " (AZURE_STORAGE_CONNECTION_STRING), account_key or sas_token",
            cause);
      }
      boolean retried = status >= 500 || status == 408 || status == 429;
      return new StoreException(
          "Azure "
              + what
              + " in "
              + where
              + " failed: HTTP "
              + status
              + (code == null ? "" : " " + code)
              + (retried
                  ? " after max_retries="
                      + config.maxRetries()
                      + " retries: the service is busy or failing; retry later, lower"
                      + " max_connections or raise max_retries"
                  : ""),
          cause);
    }
    String chain = chainText(c);
    if (hasCause(c, TimeoutException.class) && !hasCause(c, HttpConnectTimeoutException.class)) {
      return new StoreException(
          "Azure "
              + what
              + " in "
              + where
              + " timed out after "
              + config.callTimeout().toMillis()
              + " ms (request_timeout_ms="
              + config.requestTimeout().toMillis()
              + ", max_retries="
              + config.maxRetries()
              + "): check that the endpoint answers, or raise request_timeout_ms",
          cause);
    }
    if (hasCause(c, SSLException.class) || chain.contains("ssl") || chain.contains("tls")) {
      return new StoreException(
          "TLS connection to Azure endpoint "
              + where
              + " failed for "
              + what
              + ": "
              + TlsTrust.certificateProblem(c)
                  .orElse(
                      "if the server speaks plain HTTP set use_tls=false, an http:// endpoint, or"
                          + " DefaultEndpointsProtocol=http in connection_string; else check its"
                          + " certificate, and set tls_ca_file (ARRAYMORPH_TLS_CA_FILE) to the CA"
                          + " that signed it"),
          cause);
    }
    if (hasCause(c, ConnectException.class)
        || hasCause(c, UnknownHostException.class)
        || hasCause(c, HttpConnectTimeoutException.class)
        || chain.contains("connection refused")) {
      return new StoreException(
          "Cannot connect to Azure endpoint "
              + where
              + " for "
              + what
              + " (after max_retries="
              + config.maxRetries()
              + " retries): check the endpoint option or the BlobEndpoint in connection_string"
              + " (AZURE_STORAGE_CONNECTION_STRING), and that the server is running",
          cause);
    }
    return new StoreException(
        "Azure " + what + " in " + where + " failed: " + redact(c.toString()), cause);
  }

  /**
   * The settings plus the key and SAS found inside the connection string, so that redaction masks
   * them wherever they show up on their own (a signed URL, a key in a message).
   */
  private static StoreSettings withConnectionStringSecrets(StoreSettings settings) {
    StoreSettings out = settings;
    String cs = settings.get("connection_string").orElse("");
    for (String part : cs.split(";", -1)) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String name = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String value = part.substring(eq + 1).trim();
      if (name.equals("accountkey") && settings.get("account_key").isEmpty()) {
        out = out.with("account_key", value);
      } else if (name.equals("sharedaccesssignature") && settings.get("sas_token").isEmpty()) {
        out = out.with("sas_token", value);
      }
    }
    return out;
  }

  StoreException containerNotFound(Throwable cause) {
    return new StoreException(
        "Azure container '"
            + config.container()
            + "' does not exist ("
            + where
            + "): check the container in the location (az://<container>/...) or the bucket option"
            + " (BUCKET_NAME)",
        cause);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (int i = 0; t != null && i < 20; t = t.getCause(), i++) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String chainText(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; t != null && i < 20; t = t.getCause(), i++) {
      sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }
}
