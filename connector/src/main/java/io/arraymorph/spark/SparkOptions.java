package io.arraymorph.spark;

import io.arraymorph.store.StoreSettings;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The options of one read or write, resolved on the driver: per-call options over the session's
 * {@code spark.datasource.arraymorph.*} configuration over ArrayMorph's environment variables. It
 * travels to executors inside partitions; {@link #toString()} never shows secrets.
 */
public final class SparkOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The prefix of session configuration keys that set options. */
  public static final String SESSION_PREFIX = "spark.datasource.arraymorph.";

  /** Default target decoded bytes per input partition. */
  public static final long DEFAULT_PARTITION_BYTES = 128L << 20;

  /** Default chunk fetches in flight per task. */
  public static final int DEFAULT_MAX_CONCURRENCY = 16;

  private final TreeMap<String, String> values;
  private final StoreSettings settings;

  private SparkOptions(Map<String, String> values, StoreSettings settings) {
    this.values = new TreeMap<>(values);
    this.settings = settings;
  }

  /** Resolves options against the active session's configuration and this process's environment. */
  public static SparkOptions resolve(Map<String, String> options) {
    SparkOptionNames.warnAboutUnknown(options);
    return resolve(options, sessionConf(), System.getenv());
  }

  /** Resolves options by precedence: options, then session configuration, then environment. */
  public static SparkOptions resolve(
      Map<String, String> options, Map<String, String> sessionConf, Map<String, String> env) {
    Map<String, String> opts = normalize(options);
    Map<String, String> conf = normalize(sessionConf);
    Map<String, String> merged = new TreeMap<>(conf);
    merged.putAll(opts);
    return new SparkOptions(merged, StoreSettings.resolve(opts, conf, env));
  }

  /**
   * These options with {@code overrides} taking precedence (e.g. a read's or a write's options).
   */
  public SparkOptions withOverrides(Map<String, String> overrides) {
    if (overrides.isEmpty()) {
      return this;
    }
    Map<String, String> merged = new TreeMap<>(values);
    merged.putAll(normalize(overrides));
    return new SparkOptions(merged, StoreSettings.resolve(merged, Map.of(), System.getenv()));
  }

  /** The active session's {@code spark.datasource.arraymorph.*} settings, prefix stripped. */
  static Map<String, String> sessionConf() {
    Map<String, String> out = new TreeMap<>();
    scala.Option<SparkSession> session = SparkSession.getActiveSession();
    scala.collection.immutable.Map<String, String> all =
        session.isDefined() ? session.get().conf().getAll() : SQLConf.get().getAllConfs();
    CollectionConverters.asJava(all)
        .forEach(
            (k, v) -> {
              if (k.startsWith(SESSION_PREFIX)) {
                out.put(k.substring(SESSION_PREFIX.length()), v);
              }
            });
    return out;
  }

  /** Lower-cases keys and strips the {@code option.} prefix catalog tables add. */
  private static Map<String, String> normalize(Map<String, String> in) {
    Map<String, String> out = new TreeMap<>();
    in.forEach(
        (k, v) -> {
          String key = k.toLowerCase(Locale.ROOT);
          if (key.startsWith("option.")) {
            key = key.substring("option.".length());
          }
          out.put(key, v);
        });
    return out;
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public String get(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  /** Every option, secrets included: callers must never print it. */
  public Map<String, String> asMap() {
    return java.util.Collections.unmodifiableMap(values);
  }

  /** Settings for opening the store. */
  public StoreSettings storeSettings() {
    return settings;
  }

  /**
   * The store location: the {@code path} option.
   *
   * @throws IllegalArgumentException when no location was given
   */
  public String location() {
    return get("path")
        .filter(p -> !p.isBlank())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "arraymorph needs a location: load(uri)/save(uri) or option 'path'"));
  }

  /** The datasets named by {@code datasets} (comma-separated) or {@code dataset}; may be empty. */
  public List<String> datasetPaths() {
    Optional<String> many = get("datasets");
    String raw = many.isPresent() ? many.get() : get("dataset", "");
    List<String> out = new ArrayList<>();
    for (String s : raw.split(",")) {
      String t = s.trim().replaceAll("^/+|/+$", "");
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * The datasets to read or write, at least one.
   *
   * @throws IllegalArgumentException naming the option when none is given
   */
  public List<String> requireDatasets() {
    List<String> out = datasetPaths();
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "Option 'dataset' is required (or 'datasets' = \"a,b\"): which array in the store to use;"
              + " use option(\"list\", \"datasets\") to see what the store holds");
    }
    return out;
  }

  /** The row layout: {@code cells} (default) or {@code rows}. */
  public Layout layout() {
    String v = get("layout", "cells").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "cells" -> Layout.CELLS;
      case "rows" -> Layout.ROWS;
      default ->
          throw new IllegalArgumentException(
              "Option 'layout' must be 'cells' or 'rows', not '" + get("layout", "") + "'");
    };
  }

  /** The metadata view asked for by {@code list}, if any. */
  public Optional<String> listView() {
    return get("list")
        .map(v -> v.trim().toLowerCase(Locale.ROOT))
        .map(
            v -> {
              if (!v.equals("datasets") && !v.equals("chunks")) {
                throw new IllegalArgumentException(
                    "Option 'list' must be 'datasets' or 'chunks', not '" + v + "'");
              }
              return v;
            });
  }

  /**
   * Whether values decode by the NetCDF CF conventions ({@code decode_cf}, default true): missing
   * values become null, packed values are unpacked, times become timestamps.
   */
  public boolean decodeCf() {
    String v = get("decode_cf", "true").trim().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(
          "Option 'decode_cf' must be 'true' or 'false', not '" + get("decode_cf", "") + "'");
    }
    return v.equals("true");
  }

  public long partitionBytes() {
    return positiveLong("partition_bytes", DEFAULT_PARTITION_BYTES);
  }

  public int maxConcurrency() {
    return (int)
        Math.min(Integer.MAX_VALUE, positiveLong("max_concurrency", DEFAULT_MAX_CONCURRENCY));
  }

  /** Default lease of a write's dataset locks: longer than most jobs, short enough to recover. */
  public static final java.time.Duration DEFAULT_LOCK_TIMEOUT = java.time.Duration.ofHours(1);

  /**
   * How long a write's dataset locks stay valid: option {@code lock_timeout}, seconds or a number
   * with unit {@code ms}, {@code s}, {@code m} or {@code h} (e.g. {@code 90m}); default 1 hour.
   *
   * @throws IllegalArgumentException naming the option when the value is not such a duration
   */
  public java.time.Duration lockTimeout() {
    Optional<String> v = get("lock_timeout");
    if (v.isEmpty()) {
      return DEFAULT_LOCK_TIMEOUT;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m|h)?")
            .matcher(v.get().trim().toLowerCase(java.util.Locale.ROOT));
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        java.time.Duration d =
            switch (unit) {
              case "ms" -> java.time.Duration.ofMillis(n);
              case "m" -> java.time.Duration.ofMinutes(n);
              case "h" -> java.time.Duration.ofHours(n);
              default -> java.time.Duration.ofSeconds(n);
            };
        if (!d.isZero()) {
          return d;
        }
      } catch (NumberFormatException | ArithmeticException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(
        "Option 'lock_timeout' must be a positive duration such as 3600, 90s, 30m or 2h, not '"
            + v.get()
            + "'");
  }

  /**
   * A positive integer option.
   *
   * @throws IllegalArgumentException naming the option when the value is not a positive integer
   */
  public long positiveLong(String name, long defaultValue) {
    Optional<String> v = get(name);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      long n = Long.parseLong(v.get().trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Option '" + name + "' must be a positive integer, not '" + v.get() + "'");
  }

  /**
   * A comma-separated list of non-negative integers, e.g. {@code chunks} or {@code shape}.
   *
   * @throws IllegalArgumentException naming the option when an item is not such an integer
   */
  public Optional<long[]> longList(String name) {
    Optional<String> v = get(name);
    if (v.isEmpty() || v.get().isBlank()) {
      return Optional.empty();
    }
    try {
      long[] out =
          Arrays.stream(v.get().split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
      for (long x : out) {
        if (x < 0) {
          throw new NumberFormatException();
        }
      }
      return Optional.of(out);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Option '"
              + name
              + "' must be a comma-separated list of non-negative integers, not '"
              + v.get()
              + "'");
    }
  }

  /** A comma-separated list of names, e.g. {@code dims}. */
  public Optional<List<String>> nameList(String name) {
    return get(name)
        .filter(s -> !s.isBlank())
        .map(s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList());
  }

  /** Replaces secret values in {@code text}. */
  public String redact(String text) {
    return settings.redact(text);
  }

  /** The non-secret options, for descriptions. */
  public String describe() {
    Map<String, String> shown = new TreeMap<>();
    values.forEach((k, v) -> shown.put(k, isSecretKey(k) ? "***" : v));
    return shown.toString();
  }

  /** ArrayMorph's secret options and Hadoop properties that look like secrets. */
  static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return StoreSettings.isSecret(k)
        || k.matches(".*(secret|password|token|credential|\\.key|sas|connection_string).*");
  }

  @Override
  public String toString() {
    return "SparkOptions" + describe();
  }

  /** How array elements map to rows. */
  public enum Layout {
    /** One row per element. */
    CELLS,
    /** One row per index of the first axis, the other axes nested. */
    ROWS
  }
}
