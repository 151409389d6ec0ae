package io.arraymorph.store.azure;

import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.store.Keys;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.StoreUri;
import io.arraymorph.store.TlsTrust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how to reach Azure Blob Storage, read from ArrayMorph's settings and checked once.
 * Holds no secret: credentials stay in the {@link StoreSettings} and go straight to the client
 * builder.
 *
 * @param container the blob container
 * @param prefix the blob name prefix that acts as the store's root
 * @param account the storage account, when known from the location or the account_name option
 * @param endpoint the blob service URL when not given by a connection string
 * @param maxConnections the most requests in flight
 * @param connectTimeout the limit for opening a connection
 * @param requestTimeout the limit for one try of one request
 * @param maxRetries how many times a failed request is retried
 * @param retryDelay the base delay of the exponential backoff between tries
 * @param singleUploadLimit blobs larger than this are uploaded as blocks
 * @param blockSize the size of each uploaded block
 * @param listPageSize blob names asked for per listing request
 * @param tlsCaFile a PEM file of extra CAs to trust ({@code tls_ca_file}), or empty
 */
public record AzureStoreConfig(
    String container,
    String prefix,
    Optional<String> account,
    Optional<String> endpoint,
    int maxConnections,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration retryDelay,
    long singleUploadLimit,
    long blockSize,
    int listPageSize,
    Optional<Path> tlsCaFile) {

  /** URI schemes of Azure Blob locations. */
  public static final Set<String> SCHEMES = Set.of("az", "abfs", "abfss", "wasb", "wasbs");

  /**
   * Reads the configuration for a location.
   *
   * @throws IllegalArgumentException naming the option at fault
   */
  public static AzureStoreConfig from(StoreUri location, StoreSettings settings) {
    String container;
    Optional<String> account = settings.get("account_name").filter(a -> !a.isBlank());
    String authority = SCHEMES.contains(location.scheme()) ? location.authority() : "";
    int at = authority.indexOf('@');
    if (at >= 0) {
      // abfs[s]://container@account.dfs.core.windows.net, wasb[s]://container@account.blob...
      container = authority.substring(0, at);
      String host = authority.substring(at + 1);
      int dot = host.indexOf('.');
      account = Optional.of(dot < 0 ? host : host.substring(0, dot));
    } else {
      container = authority;
    }
    if (container.isEmpty()) {
      container =
          settings
              .get("bucket")
              .map(String::trim)
              .filter(b -> !b.isEmpty())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "No Azure container for '"
                              + location
                              + "': use az://<container>/<path>, or set the 'bucket' option"
                              + " (environment variable BUCKET_NAME)"));
    }
    return new AzureStoreConfig(
        container,
        Keys.join(location.path()),
        account,
        endpointOf(settings, account),
        settings.get(ArrayMorphOptions.MAX_CONNECTIONS),
        Duration.ofMillis(settings.get(ArrayMorphOptions.CONNECT_TIMEOUT_MS)),
        Duration.ofMillis(settings.get(ArrayMorphOptions.REQUEST_TIMEOUT_MS)),
        settings.get(ArrayMorphOptions.MAX_RETRIES),
        Duration.ofMillis(settings.get(ArrayMorphOptions.RETRY_DELAY_MS)),
        settings.get(ArrayMorphOptions.MULTIPART_THRESHOLD),
        settings.get(ArrayMorphOptions.MULTIPART_PART_SIZE),
        settings.find(ArrayMorphOptions.LIST_PAGE_SIZE).orElse(5000),
        TlsTrust.caFileOf(settings));
  }

  /**
   * The blob service URL: the endpoint option (its scheme from use_tls when absent), else the
   * account's public endpoint; empty when a connection string will say.
   */
  private static Optional<String> endpointOf(StoreSettings settings, Optional<String> account) {
    boolean tls = settings.get(ArrayMorphOptions.USE_TLS);
    Optional<String> raw = settings.get("endpoint").map(String::trim).filter(e -> !e.isEmpty());
    if (raw.isPresent()) {
      String e = raw.get();
      String lower = e.toLowerCase(Locale.ROOT);
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        if (settings.get("use_tls").isPresent() && lower.startsWith("https://") != tls) {
          throw new IllegalArgumentException(
              "Option 'endpoint' ("
                  + e
                  + ") disagrees with use_tls="
                  + tls
                  + ": drop the scheme from the endpoint or change use_tls");
        }
        return Optional.of(e.replaceAll("/+$", ""));
      }
      return Optional.of((tls ? "https://" : "http://") + e.replaceAll("/+$", ""));
    }
    return account.map(a -> (tls ? "https://" : "http://") + a + ".blob.core.windows.net");
  }

  /** The longest a call may take, all tries included. */
  public Duration callTimeout() {
    return requestTimeout.multipliedBy(maxRetries + 1L).plusSeconds(maxRetries * 20L);
  }
}
