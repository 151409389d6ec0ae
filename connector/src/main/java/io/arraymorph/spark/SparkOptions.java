package io.arraymorph.spark;

import io.arraymorph.options.ArrayMorphOption;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.store.StoreSettings;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.internal.SQLConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  private static final Logger LOG = LoggerFactory.getLogger(SparkOptions.class);

  private final TreeMap<String, String> values;
  private final StoreSettings settings;

  private SparkOptions(Map<String, String> values, StoreSettings settings) {
    this.values = new TreeMap<>(values);
    this.settings = settings;
  }

  /**
   * Resolves options against the active session's configuration and this process's environment;
   * logs a warning naming the options nothing reads (with the closest known name, never a value).
   */
  public static SparkOptions resolve(Map<String, String> options) {
    ArrayMorphOptions.unknownWarning(options.keySet(), o -> true).ifPresent(LOG::warn);
    return resolve(options, sessionConf(), System.getenv());
  }

  /**
   * Resolves options by precedence: options, then session configuration, then environment.
   *
   * @throws IllegalArgumentException naming the first option whose value is not accepted
   */
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
    in.forEach((k, v) -> out.put(ArrayMorphOptions.normalize(k), v));
    return out;
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public String get(String name, String defaultValue) {
    return get(name).orElse(defaultValue);
  }

  /**
   * A declared option's parsed value, else its default (null when the caller decides).
   *
   * @throws IllegalArgumentException naming the option when its value is not accepted
   */
  public <T> T get(ArrayMorphOption<T> option) {
    return option.get(values);
  }

  /**
   * A declared option's parsed value, if set.
   *
   * @throws IllegalArgumentException naming the option when its value is not accepted
   */
  public <T> Optional<T> find(ArrayMorphOption<T> option) {
    return option.from(values);
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
    for (String s : raw.split(",", -1)) {
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
    return get(ArrayMorphOptions.LAYOUT).equals("rows") ? Layout.ROWS : Layout.CELLS;
  }

  /** The metadata view asked for by {@code list}, if any: {@code datasets} or {@code chunks}. */
  public Optional<String> listView() {
    return find(ArrayMorphOptions.LIST);
  }

  /**
   * Whether values decode by the NetCDF CF conventions ({@code decode_cf}, default true): missing
   * values become null, packed values are unpacked, times become timestamps.
   */
  public boolean decodeCf() {
    return get(ArrayMorphOptions.DECODE_CF);
  }

  /**
   * Whether dimensions with a numeric coordinate variable show its values ({@code
   * coordinate_values}, default false; cells layout with CF decoding only).
   */
  public boolean coordinateValues() {
    return get(ArrayMorphOptions.COORDINATE_VALUES) && decodeCf() && layout() == Layout.CELLS;
  }

  /** Whether aggregates are computed by the tasks ({@code push_aggregates}, default true). */
  public boolean pushAggregates() {
    return get(ArrayMorphOptions.PUSH_AGGREGATES);
  }

  /** Target decoded bytes per input partition ({@code partition_bytes}). */
  public long partitionBytes() {
    return get(ArrayMorphOptions.PARTITION_BYTES);
  }

  /** Chunk requests in flight per task ({@code max_concurrency}). */
  public int maxConcurrency() {
    return get(ArrayMorphOptions.MAX_CONCURRENCY);
  }

  /**
   * How long a write's dataset locks stay valid ({@code lock_timeout}, default 1 hour).
   *
   * @throws IllegalArgumentException naming the option when the value is not a duration
   */
  public java.time.Duration lockTimeout() {
    return get(ArrayMorphOptions.LOCK_TIMEOUT);
  }

  /**
   * How long a write's commit or abort waits for its job's running task attempts ({@code
   * task_end_timeout}, default 30 s).
   *
   * @throws IllegalArgumentException naming the option when the value is not a duration
   */
  public java.time.Duration taskEndTimeout() {
    return get(ArrayMorphOptions.TASK_END_TIMEOUT);
  }

  /** Bytes of chunk buffers a write task holds at once ({@code write_buffer_bytes}). */
  public long writeBufferBytes() {
    return get(ArrayMorphOptions.WRITE_BUFFER_BYTES);
  }

  /** Fragment bytes a write's commit merges on the driver ({@code driver_merge_bytes}). */
  public long driverMergeBytes() {
    return get(ArrayMorphOptions.DRIVER_MERGE_BYTES);
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

  /**
   * The chunk or shard extents option {@code option} gave, as ints.
   *
   * @throws IllegalArgumentException naming the option when an extent is below 1 or above {@link
   *     Integer#MAX_VALUE}
   */
  public static int[] extents(String option, long[] given) {
    int[] out = new int[given.length];
    for (int d = 0; d < given.length; d++) {
      if (given[d] < 1 || given[d] > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "Option '"
                + option
                + "' extents must be between 1 and "
                + Integer.MAX_VALUE
                + ", not "
                + given[d]);
      }
      out[d] = (int) given[d];
    }
    return out;
  }

  /** ArrayMorph's secret options and Hadoop properties that look like secrets. */
  static boolean isSecretKey(String key) {
    return ArrayMorphOptions.isSecret(key);
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
