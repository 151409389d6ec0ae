package io.arraymorph.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of this test JVM: {@code local[2]} or the multi-JVM {@code
 * local-cluster[2,1,1024]}. Only one SparkContext can live in a JVM, so asking for the other kind
 * stops the current one; test classes are ordered so that the cluster starts once.
 */
final class Sessions {
  private static SparkSession current;
  private static boolean currentIsCluster;
  private static boolean hooked;

  private Sessions() {}

  static synchronized SparkSession local() {
    return get(false);
  }

  static synchronized SparkSession cluster() {
    return get(true);
  }

  private static SparkSession get(boolean cluster) {
    if (current != null && currentIsCluster == cluster && !current.sparkContext().isStopped()) {
      current.conf().unset("spark.datasource.arraymorph.endpoint");
      return current;
    }
    stop();
    if (!hooked) {
      Runtime.getRuntime().addShutdownHook(new Thread(Sessions::stop));
      hooked = true;
    }
    SparkSession.Builder b =
        SparkSession.builder()
            .appName("arraymorph-e2e")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4");
    if (cluster) {
      try {
        Files.createDirectories(Path.of(System.getProperty("spark.home.dir"), "jars"));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      String jar = new File(System.getProperty("connector.jar")).getAbsolutePath();
      if (!new File(jar).isFile()) {
        throw new IllegalStateException("connector jar missing: " + jar);
      }
      b.master("local-cluster[2,1,1024]")
          .config("spark.executor.memory", "512m")
          .config("spark.jars", jar);
    } else {
      b.master("local[2]");
    }
    current = b.getOrCreate();
    currentIsCluster = cluster;
    return current;
  }

  static synchronized void stop() {
    if (current != null) {
      current.stop();
      SparkSession.clearActiveSession();
      SparkSession.clearDefaultSession();
      current = null;
    }
  }
}
