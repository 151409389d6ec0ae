package io.arraymorph.store;

import io.arraymorph.options.ArrayMorphOption;
import io.arraymorph.options.ArrayMorphOptions;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Settings for reaching a store, under ArrayMorph's option names. Resolved once (on the Spark
 * driver) from options, then session configuration, then ArrayMorph's environment variables, and
 * then shipped as a value: executors never consult their own environment. {@link #toString()} never
 * shows secrets.
 */
public final class StoreSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Option name to the environment variable ArrayMorph reads it from (from {@link
   * ArrayMorphOptions}).
   */
  public static final Map<String, String> ENVIRONMENT_VARIABLES =
      ArrayMorphOptions.environmentVariables();

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
   *
   * @throws IllegalArgumentException naming the first option whose value it does not accept
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
    ArrayMorphOptions.validate(merged);
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
   * A declared option's parsed value, else its default (which may be null: the store decides).
   *
   * @throws IllegalArgumentException naming the option when the value is not accepted
   */
  public <T> T get(ArrayMorphOption<T> option) {
    return option.get(values);
  }

  /**
   * A declared option's parsed value, if set.
   *
   * @throws IllegalArgumentException naming the option when the value is not accepted
   */
  public <T> Optional<T> find(ArrayMorphOption<T> option) {
    return option.from(values);
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

  /**
   * Whether an option holds a secret (the registry's secret flag, or a passed-through property
   * named like a secret).
   */
  public static boolean isSecret(String option) {
    return ArrayMorphOptions.isSecret(option);
  }

  /** Replaces every secret value occurring in {@code text} with {@code ***}. */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (Map.Entry<String, String> e : values.entrySet()) {
      String v = e.getValue();
      if (v != null && v.length() >= 4 && isSecret(e.getKey())) {
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
}
