package io.arraymorph.store.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobContainerAsyncClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.TlsTrust;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the container client. HTTP goes through the JDK's {@code java.net.http.HttpClient} ({@code
 * azure-core-http-jdk-httpclient}) instead of the default Netty client, which would clash with the
 * Netty that Spark puts on the classpath.
 */
final class AzureClients {
  private AzureClients() {}

  static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(20);

  /**
   * A client for the container, authenticated by {@code connection_string}, else {@code
   * account_key} (with the account from the location or {@code account_name}), else {@code
   * sas_token}.
   *
   * @throws IllegalArgumentException naming the options to set when no credential is given
   */
  static BlobContainerAsyncClient container(AzureStoreConfig config, StoreSettings settings) {
    // tls_ca_file: the JDK client trusts the JVM's CAs plus the file's; host names are verified.
    java.net.http.HttpClient.Builder jdk = java.net.http.HttpClient.newBuilder();
    config.tlsCaFile().ifPresent(file -> jdk.sslContext(TlsTrust.sslContext(file)));
    HttpClient http =
        new JdkHttpClientBuilder(jdk)
            .connectionTimeout(config.connectTimeout())
            .responseTimeout(config.requestTimeout())
            .readTimeout(config.requestTimeout())
            .writeTimeout(config.requestTimeout())
            .build();
    BlobServiceClientBuilder builder =
        new BlobServiceClientBuilder()
            .httpClient(http)
            .retryOptions(
                new RequestRetryOptions(
                    RetryPolicyType.EXPONENTIAL,
                    config.maxRetries() + 1,
                    config.requestTimeout(),
                    config.retryDelay(),
                    MAX_RETRY_DELAY,
                    null));
    Optional<String> connectionString = nonBlank(settings, "connection_string");
    Optional<String> accountKey = nonBlank(settings, "account_key");
    Optional<String> sas = nonBlank(settings, "sas_token");
    if (connectionString.isPresent()) {
      builder.connectionString(connectionString.get());
    } else if (accountKey.isPresent() || sas.isPresent()) {
      String endpoint =
          config
              .endpoint()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "No Azure account for container '"
                              + config.container()
                              + "': use abfss://<container>@<account>.dfs.core.windows.net/..., or"
                              + " set the account_name or endpoint option"));
      builder.endpoint(endpoint);
      if (accountKey.isPresent()) {
        String account =
            config
                .account()
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "Option 'account_key' needs the account name: set account_name"));
        builder.credential(new StorageSharedKeyCredential(account, accountKey.get()));
      } else {
        builder.sasToken(sas.get());
      }
    } else {
      throw new IllegalArgumentException(
          "No Azure credentials for container '"
              + config.container()
              + "': set connection_string (AZURE_STORAGE_CONNECTION_STRING), or account_key with"
              + " account_name, or sas_token");
    }
    return builder.buildAsyncClient().getBlobContainerAsyncClient(config.container());
  }

  private static Optional<String> nonBlank(StoreSettings settings, String option) {
    return settings.get(option).filter(v -> !v.isBlank()).map(String::trim);
  }
}
