package io.arraymorph.it;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import scala.Tuple2;

/**
 * Runs in executor JVMs and reports, for each partition, the JVM's pid and every place a store
 * setting could be found outside the plan: ArrayMorph's environment variables, any environment
 * variable holding one of the given values, {@code spark.datasource.arraymorph.*} keys in the
 * executor's Spark configuration or the task's local properties, and the values anywhere there.
 * Variables named {@code ARRAYMORPH_TEST_*} (the test harness's own server addresses, exported by
 * {@code .ci/servers.sh}) are left out.
 */
final class ExecutorProbe implements MapPartitionsFunction<Long, String> {
  private static final long serialVersionUID = 1L;
  static final List<String> VARIABLES =
      List.of(
          "STORAGE_PLATFORM",
          "BUCKET_NAME",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
          "AWS_SESSION_TOKEN",
          "AWS_ENDPOINT_URL_S3",
          "AWS_ENDPOINT_URL",
          "AZURE_STORAGE_CONNECTION_STRING");

  private final List<String> values;

  ExecutorProbe(List<String> values) {
    this.values = values;
  }

  @Override
  public Iterator<String> call(Iterator<Long> input) {
    List<String> found = new ArrayList<>();
    for (Map.Entry<String, String> e : System.getenv().entrySet()) {
      if (e.getKey().startsWith("ARRAYMORPH_TEST_")) {
        continue;
      }
      if (VARIABLES.contains(e.getKey())) {
        found.add("env " + e.getKey());
      }
      for (String v : values) {
        if (e.getValue().contains(v)) {
          found.add("env value of " + e.getKey());
        }
      }
    }
    for (Tuple2<String, String> kv : SparkEnv.get().conf().getAll()) {
      check("conf", kv._1(), kv._2(), found);
    }
    Properties props = TaskContext.get().getLocalProperties();
    for (String k : props.stringPropertyNames()) {
      check("task property", k, props.getProperty(k), found);
    }
    return List.of(ProcessHandle.current().pid() + " " + found).iterator();
  }

  private void check(String where, String key, String value, List<String> found) {
    if (key.startsWith("spark.datasource.arraymorph.")
        || (key.startsWith("spark.hadoop.fs.s3a.")
            && (key.contains("key") || key.contains("endpoint") || key.contains("credentials")))) {
      found.add(where + " " + key);
    }
    for (String v : values) {
      if (value != null && value.contains(v)) {
        found.add(where + " value of " + key);
      }
    }
  }
}
