package io.arraymorph.spark;

import io.arraymorph.store.StoreSettings;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The option names the {@code arraymorph} source, the core and the stores read. Any other name is
 * most likely a typo ({@code chunk} for {@code chunks}) that would otherwise be silently ignored,
 * so it gets a warning naming it (never its value, which may be a secret).
 */
final class SparkOptionNames {
  private static final Logger LOG = LoggerFactory.getLogger(SparkOptionNames.class);

  /** Spark read/write options of the source. */
  static final Set<String> SOURCE =
      Set.of(
          "path",
          "paths",
          "dataset",
          "datasets",
          "layout",
          "list",
          "partition_bytes",
          "dims",
          "shape",
          "chunks",
          "dtype",
          "codec",
          "fill_value",
          "lock_timeout");

  private SparkOptionNames() {}

  /** The names in {@code options} that no part of ArrayMorph reads (lower-cased, sorted). */
  static Set<String> unknown(Map<String, String> options) {
    Set<String> out = new TreeSet<>();
    for (String key : options.keySet()) {
      String k = key.toLowerCase(Locale.ROOT);
      if (k.startsWith("option.")) {
        k = k.substring("option.".length());
      }
      if (!SOURCE.contains(k)
          && !StoreSettings.KNOWN_OPTIONS.contains(k)
          && !k.startsWith("__")
          && !isHadoopProperty(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /** Hadoop properties pass through to the Hadoop store (e.g. {@code fs.s3a.endpoint}). */
  private static boolean isHadoopProperty(String key) {
    return key.startsWith("fs.") || key.startsWith("hadoop.") || key.startsWith("spark.hadoop.");
  }

  /** Logs a warning naming the unknown options of a read or write, if any. */
  static void warnAboutUnknown(Map<String, String> options) {
    Set<String> unknown = unknown(options);
    if (!unknown.isEmpty()) {
      LOG.warn(
          "arraymorph: ignoring unknown option(s) {} (a typo?); see docs/configuration.md",
          unknown);
    }
  }
}
