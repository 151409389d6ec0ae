package io.arraymorph.store.hadoop;

import io.arraymorph.store.StoreSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Builds a Hadoop {@link Configuration} from ArrayMorph settings. Hadoop properties are passed as
 * {@code hadoop.conf.<property>} (e.g. {@code hadoop.conf.fs.s3a.endpoint}), as {@code
 * spark.hadoop.<property>} (as the connector forwards Spark's), or directly when they start with
 * {@code fs.} or {@code hadoop.}. Later forms do not override {@code hadoop.conf.}, the most
 * explicit.
 */
public final class HadoopConfigurations {
  /** The settings prefix for Hadoop properties. */
  public static final String PREFIX = "hadoop.conf.";

  private static final String SPARK_PREFIX = "spark.hadoop.";

  private HadoopConfigurations() {}

  /** The Hadoop properties found in the settings, by Hadoop name. */
  public static Map<String, String> properties(StoreSettings settings) {
    Map<String, String> direct = new LinkedHashMap<>();
    Map<String, String> spark = new LinkedHashMap<>();
    Map<String, String> explicit = new LinkedHashMap<>();
    settings
        .asMap()
        .forEach(
            (key, value) -> {
              String lower = key.toLowerCase(Locale.ROOT);
              if (lower.startsWith(PREFIX)) {
                explicit.put(key.substring(PREFIX.length()), value);
              } else if (lower.startsWith(SPARK_PREFIX)) {
                spark.put(key.substring(SPARK_PREFIX.length()), value);
              } else if (lower.startsWith("fs.") || lower.startsWith("hadoop.")) {
                direct.put(key, value);
              }
            });
    Map<String, String> out = new LinkedHashMap<>(direct);
    out.putAll(spark);
    out.putAll(explicit);
    return out;
  }

  /** Hadoop's defaults (core-site.xml on the classpath) plus the properties in the settings. */
  public static Configuration from(StoreSettings settings) {
    Configuration conf = new Configuration();
    properties(settings).forEach(conf::set);
    return conf;
  }

  /** Whether a Hadoop property holds a secret (keys, passwords, tokens). */
  static boolean isSecret(String property) {
    String p = property.toLowerCase(Locale.ROOT);
    return p.contains("secret")
        || p.contains("password")
        || p.contains("token")
        || p.contains("credential")
        || p.contains(".key")
        || p.contains("sas");
  }
}
