package io.arraymorph.it.apps;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark Connect client (as a notebook would be): connects to {@code remote=sc://...} and runs the
 * quick start's operations ({@link ArrayRoundTrip}) on the server, which has the ArrayMorph runtime
 * jar; this JVM has only the Spark Connect client.
 */
public final class ConnectClientApp {
  private ConnectClientApp() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = ArrayRoundTrip.parse(argv);
    SparkSession spark = SparkSession.builder().remote(args.get("remote")).getOrCreate();
    try {
      ArrayRoundTrip.withPrefix(args, "conf.").forEach((k, v) -> spark.conf().set(k, v));
      System.out.println("RESULT session=" + spark.getClass().getName());
      ArrayRoundTrip.run(spark, args);
    } finally {
      spark.close();
    }
    System.exit(0);
  }
}
