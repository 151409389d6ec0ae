package io.arraymorph.examples;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** What the examples share: a loopback-only local Spark session and option arguments. */
final class Examples {
  private Examples() {}

  /** A {@code local[2]} session bound to 127.0.0.1, without the UI. */
  static SparkSession localSession(String name) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName(name)
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }

  /** {@code key=value} arguments from index {@code from} on, as ArrayMorph options. */
  static Map<String, String> options(String[] args, int from) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = from; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected option=value, got: " + args[i]);
      }
      options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    return options;
  }
}
