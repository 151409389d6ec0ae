package io.arraymorph.it.apps;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The operations of the quick start ({@code examples/python/quickstart.py}) written against Spark's
 * API module only, so that the same code runs on a classic session and on a Spark Connect client:
 * write an array from a SQL-generated DataFrame, read a filtered slice back, list the datasets.
 * Results are printed as {@code RESULT key=value} lines for the test to check.
 */
public final class ArrayRoundTrip {
  private final Map<String, String> args;

  private ArrayRoundTrip(Map<String, String> args) {
    this.args = args;
  }

  /** Parses {@code key=value} arguments (split at the first {@code =}). */
  public static Map<String, String> parse(String[] argv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected key=value, got " + a);
      }
      m.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return m;
  }

  /** Values of arguments named {@code prefix + name}, by name. */
  public static Map<String, String> withPrefix(Map<String, String> args, String prefix) {
    Map<String, String> m = new LinkedHashMap<>();
    args.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            m.put(k.substring(prefix.length()), v);
          }
        });
    return m;
  }

  /** Runs the write, the filtered read and the listing on {@code spark}. */
  public static void run(SparkSession spark, Map<String, String> args) {
    new ArrayRoundTrip(args).run(spark);
  }

  private void run(SparkSession spark) {
    String location = required("location");
    String dataset = required("dataset");
    Dataset<Row> grid = spark.sql(required("sql"));
    grid.write()
        .format("arraymorph")
        .mode("overwrite")
        .option("dataset", dataset)
        .options(withPrefix(args, "write."))
        .save(location);
    result("written", location);

    Dataset<Row> array =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", dataset)
            .options(withPrefix(args, "read."))
            .load(location);
    result("columns", String.join(",", array.columns()));
    result("total", Long.toString(array.count()));
    List<Row> slice = array.where(required("filter")).collectAsList();
    slice.sort(
        Comparator.comparingLong((Row r) -> r.getLong(0)).thenComparingLong(r -> r.getLong(1)));
    result("rows", Integer.toString(slice.size()));
    double sum = 0;
    for (Row r : slice) {
      sum += ((Number) r.get(2)).doubleValue();
    }
    result("sum", Double.toString(sum));
    if (!slice.isEmpty()) {
      result("first", slice.get(0).mkString(","));
      result("last", slice.get(slice.size() - 1).mkString(","));
    }
    for (Row r :
        spark
            .read()
            .format("arraymorph")
            .option("list", "datasets")
            .options(withPrefix(args, "read."))
            .load(location)
            .collectAsList()) {
      result("listed", r.getAs("path").toString());
    }
  }

  private String required(String key) {
    String v = args.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing argument " + key + "=...");
    }
    return v;
  }

  private static void result(String key, String value) {
    System.out.println("RESULT " + key + "=" + value);
    System.out.flush();
  }
}
