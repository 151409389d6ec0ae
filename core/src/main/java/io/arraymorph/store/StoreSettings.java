package io.arraymorph.store;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Settings for reaching a store, under ArrayMorph's option names. Resolved once (on the Spark
 * driver) from options, then session configuration, then ArrayMorph's environment variables, and
 * then shipped as a value: executors never consult their own environment. {@link #toString()} never
 * shows secrets.
 */
public final class StoreSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Option name to the environment variable ArrayMorph reads it from. */
  public static final Map<String, String> ENVIRONMENT_VARIABLES = environmentVariables();

  /** Options whose values are secrets: never logged, printed or put in messages. */
  public static final Set<String> SECRET_OPTIONS =
      Set.of(
          "access_key",
          "secret_key",
          "session_token",
          "connection_string",
          "sas_token",
          "account_key");

  /**
   * Every store and engine option name ArrayMorph reads (docs/configuration.md), so front ends can
   * warn about names nothing reads, which are most likely typos.
   */
  public static final Set<String> KNOWN_OPTIONS =
      Set.of(
          "storage",
          "bucket",
          "access_key",
          "secret_key",
          "session_token",
          "region",
          "endpoint",
          "use_tls",
          "tls_ca_file",
          "addressing_style",
          "signed_payloads",
          "connection_string",
          "sas_token",
          "account_key",
          "account_name",
          "anonymous",
          "max_concurrency",
          "local_io_threads",
          "hadoop_io_threads",
          "max_connections",
          "connect_timeout_ms",
          "request_timeout_ms",
          "max_retries",
          "retry_delay_ms",
          "multipart_threshold",
          "multipart_part_size",
          "list_page_size",
          "request_latency_ms",
          "request_bandwidth_mbps",
          "dtype");

  private final TreeMap<String, String> values;

  private StoreSettings(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  /** No settings: every store uses its defaults. */
  public static StoreSettings empty() {
    return new StoreSettings(Map.of());
  }

  /** Settings taken as given, with option names lower-cased. */
  public static StoreSettings of(Map<String, String> options) {
    return new StoreSettings(lowerCaseKeys(options));
  }

  /**
   * Resolves settings by precedence: {@code options} over {@code sessionConf} (keys already
   * stripped of their {@code spark.datasource.arraymorph.} prefix) over the environment variables
   * in {@link #ENVIRONMENT_VARIABLES}.
   */
  public static StoreSettings resolve(
      Map<String, String> options, Map<String, String> sessionConf, Map<String, String> env) {
    Map<String, String> merged = new TreeMap<>();
    ENVIRONMENT_VARIABLES.forEach(
        (option, variable) -> {
          String v = env.get(variable);
          if (v != null && !v.isEmpty()) {
            merged.put(option, v);
          }
        });
    merged.putAll(lowerCaseKeys(sessionConf));
    merged.putAll(lowerCaseKeys(options));
    return new StoreSettings(merged);
  }

  /** Resolves against this process's environment. */
  public static StoreSettings resolve(
      Map<String, String> options, Map<String, String> sessionConf) {
    return resolve(options, sessionConf, System.getenv());
  }

  public Optional<String> get(String option) {
    return Optional.ofNullable(values.get(normalize(option)));
  }

  public String get(String option, String defaultValue) {
    return get(option).orElse(defaultValue);
  }

  /**
   * A boolean option.
   *
   * @throws IllegalArgumentException naming the option when the value is not true or false
   */
  public boolean getBoolean(String option, boolean defaultValue) {
    Optional<String> v = get(option);
    if (v.isEmpty()) {
      return defaultValue;
    }
    String s = v.get().trim().toLowerCase(Locale.ROOT);
    return switch (s) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw new IllegalArgumentException(
              "Option '" + option + "' must be true or false, not '" + v.get() + "'");
    };
  }

  /**
   * A positive integer option.
   *
   * @throws IllegalArgumentException naming the option when the value is not a positive integer
   */
  public int getPositiveInt(String option, int defaultValue) {
    Optional<String> v = get(option);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.get().trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Option '" + option + "' must be a positive integer, not '" + v.get() + "'");
  }

  /** A copy with one more setting. */
  public StoreSettings with(String option, String value) {
    Map<String, String> copy = new TreeMap<>(values);
    copy.put(normalize(option), value);
    return new StoreSettings(copy);
  }

  /** Every setting; callers must not print secret values. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(values);
  }

  /** Whether an option holds a secret. */
  public static boolean isSecret(String option) {
    return SECRET_OPTIONS.contains(option.toLowerCase(Locale.ROOT));
  }

  /** Replaces every secret value occurring in {@code text} with {@code ***}. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String option : SECRET_OPTIONS) {
      String v = values.get(option);
      if (v != null && v.length() >= 4) {
        out = out.replace(v, "***");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    values.forEach((k, v) -> shown.put(k, isSecret(k) ? "***" : v));
    return "StoreSettings" + shown;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreSettings s && s.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  private static Map<String, String> lowerCaseKeys(Map<String, String> in) {
    Map<String, String> out = new TreeMap<>();
    in.forEach((k, v) -> out.put(normalize(k), v));
    return out;
  }

  /** Prefixes of pass-through Hadoop properties, whose names are case-sensitive. */
  private static final String[] CASE_SENSITIVE_PREFIXES = {"hadoop.", "fs.", "spark.hadoop."};

  /**
   * Option names are case-insensitive (lower-cased), except Hadoop properties passed through
   * ({@code hadoop.conf.*}, {@code fs.*}, {@code spark.hadoop.*}): Hadoop's own names are
   * case-sensitive ({@code fs.AbstractFileSystem.s3a.impl}).
   */
  private static String normalize(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    for (String prefix : CASE_SENSITIVE_PREFIXES) {
      if (lower.startsWith(prefix)) {
        return key;
      }
    }
    return lower;
  }

  private static Map<String, String> environmentVariables() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("storage", "STORAGE_PLATFORM");
    m.put("bucket", "BUCKET_NAME");
    m.put("access_key", "AWS_ACCESS_KEY_ID");
    m.put("secret_key", "AWS_SECRET_ACCESS_KEY");
    m.put("session_token", "AWS_SESSION_TOKEN");
    m.put("region", "AWS_REGION");
    m.put("endpoint", "AWS_ENDPOINT_URL_S3");
    m.put("use_tls", "AWS_USE_TLS");
    m.put("tls_ca_file", "ARRAYMORPH_TLS_CA_FILE");
    m.put("addressing_style", "AWS_S3_ADDRESSING_STYLE");
    m.put("signed_payloads", "AWS_SIGNED_PAYLOADS");
    m.put("connection_string", "AZURE_STORAGE_CONNECTION_STRING");
    return Collections.unmodifiableMap(m);
  }
}
