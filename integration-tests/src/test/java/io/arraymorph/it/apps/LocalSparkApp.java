package io.arraymorph.it.apps;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark application run in a JVM whose classpath is a plain Spark installation plus the
 * ArrayMorph runtime jar: {@code local[2]}, loopback only. Arguments: {@code key=value}, see {@link
 * ArrayRoundTrip}; {@code conf.<key>=<value>} become session configuration.
 */
public final class LocalSparkApp {
  private LocalSparkApp() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = ArrayRoundTrip.parse(argv);
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("arraymorph-runtime-jar")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4");
    ArrayRoundTrip.withPrefix(args, "conf.").forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    try {
      Class<?> source = Class.forName("io.arraymorph.spark.SparkArrayMorphSource");
      System.out.println(
          "RESULT source=" + source.getProtectionDomain().getCodeSource().getLocation());
      if (args.containsKey("location")) {
        ArrayRoundTrip.run(spark, args);
      }
      if (args.containsKey("hdf5.file")) {
        Hdf5OnStore.run(spark, args);
      }
    } finally {
      spark.stop();
    }
    System.exit(0);
  }
}
