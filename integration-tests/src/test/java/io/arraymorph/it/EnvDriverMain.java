package io.arraymorph.it;

import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark driver run as a child process by {@link EnvironmentConfigIT} with a chosen environment.
 * Prints one {@code RESULT ...} line per step on stdout; exits 0 when every step ran.
 *
 * <ul>
 *   <li>{@code env <location>}: writes then reads an array with no option and no session setting:
 *       only ArrayMorph's environment variables say where and how.
 *   <li>{@code precedence <location> <goodEndpoint> <badEndpoint>}: the environment names a wrong
 *       endpoint; reads with it alone, with the right one in the session configuration, with a
 *       wrong one in the session configuration and the right one as an option, and with the wrong
 *       one in the session configuration alone.
 * </ul>
 */
public final class EnvDriverMain {
  private EnvDriverMain() {}

  public static void main(String[] args) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("arraymorph-env")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    try {
      String location = args[1];
      if (args[0].equals("env")) {
        spark
            .sql(
                "SELECT i, j, CAST(i * 10 + j AS INT) AS v FROM range(6) a(i) CROSS JOIN range(4) b(j)")
            .write()
            .format("arraymorph")
            .option("dataset", "v")
            .option("dims", "i,j")
            .option("chunks", "3,2")
            .save(location);
        System.out.println("RESULT write ok");
        System.out.println("RESULT read " + summary(spark, location, null));
      } else {
        String good = args[2];
        String bad = args[3];
        System.out.println("RESULT envOnly " + attempt(spark, location, null));
        spark.conf().set("spark.datasource.arraymorph.endpoint", good);
        System.out.println("RESULT confOverEnv " + attempt(spark, location, null));
        spark.conf().set("spark.datasource.arraymorph.endpoint", bad);
        System.out.println("RESULT optionOverConf " + attempt(spark, location, good));
        System.out.println("RESULT confOnly " + attempt(spark, location, null));
      }
    } finally {
      spark.stop();
    }
  }

  private static String attempt(SparkSession spark, String location, String endpointOption) {
    try {
      return "ok " + summary(spark, location, endpointOption);
    } catch (RuntimeException e) {
      String m = String.valueOf(e.getMessage()).replace('\n', ' ');
      return "failed " + m.substring(0, Math.min(400, m.length()));
    }
  }

  /** Rows and the sum of v where i >= 3. */
  private static String summary(SparkSession spark, String location, String endpointOption) {
    var reader = spark.read().format("arraymorph").option("dataset", "v");
    if (endpointOption != null) {
      reader = reader.option("endpoint", endpointOption);
    }
    List<Row> rows =
        reader.load(location).where("i >= 3").selectExpr("count(*)", "sum(v)").collectAsList();
    return "rows=" + rows.get(0).getLong(0) + " sum=" + rows.get(0).getLong(1);
  }
}
