package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime jar alone makes {@code format("arraymorph")} work: a Spark application runs in a JVM
 * whose classpath is a plain Spark installation plus {@code arraymorph-spark-runtime}, writes an
 * array and reads a slice back, on the local filesystem and on S3 (S3Proxy on 127.0.0.1).
 */
@StartsServers
class SparkRuntimeJarIT {
  @TempDir Path dir;

  @Test
  void sparkWithOnlyTheRuntimeJarWritesAndReadsALocalArray() throws Exception {
    String location = dir.resolve("runtime-jar.zarr").toString();
    Map<String, String> results = runApp(QuickStartScript.load().roundTripArgs(location));
    assertQuickStartResults(results);
    assertTrue(
        results.get("source").endsWith(".jar") && results.get("source").contains("runtime"),
        "connector loaded from " + results.get("source"));
  }

  @Test
  void sparkWithOnlyTheRuntimeJarWritesAndReadsAnArrayOnS3() throws Exception {
    S3ProxyServer s3 = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("runtime-jar");
    s3.createBucket(bucket);
    List<String> args =
        new ArrayList<>(QuickStartScript.load().roundTripArgs("s3://" + bucket + "/rt.zarr"));
    s3.settings(bucket)
        .forEach((k, v) -> args.add("conf.spark.datasource.arraymorph." + k + "=" + v));
    assertQuickStartResults(runApp(args));
  }

  @Test
  void sparkWithOnlyTheRuntimeJarReadsAnHdf5FileOnS3InPlace() throws Exception {
    Path file = dir.resolve("sample.h5");
    Process make =
        new ProcessBuilder(
                "/usr/bin/python3",
                Path.of(System.getProperty("quickstart.py"))
                    .resolveSibling("make_sample_h5.py")
                    .toString(),
                file.toString())
            .redirectErrorStream(true)
            .start();
    String made = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, make.waitFor(), made);
    S3ProxyServer s3 = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("runtime-h5");
    s3.createBucket(bucket);
    List<String> args = new ArrayList<>();
    args.add("hdf5.file=" + file);
    args.add("hdf5.store=s3://" + bucket);
    args.add("hdf5.key=data/sample.h5");
    args.add("hdf5.dataset=temperature");
    s3.settings(bucket)
        .forEach((k, v) -> args.add("conf.spark.datasource.arraymorph." + k + "=" + v));
    Map<String, String> results = runApp(args);
    // Dimension names from the file's dimension scales; value = 100 * time + lat + lon / 1000.
    assertEquals("time,lat,lon,temperature", results.get("hdf5.columns"));
    assertEquals(Long.toString(24 * 90 * 180), results.get("hdf5.count"));
    assertEquals("[[1,2,0,102.0], [1,2,1,102.001], [1,2,2,102.002]]", results.get("hdf5.cells"));
  }

  /** The values quickstart.py's grid and slice must give. */
  static void assertQuickStartResults(Map<String, String> results) {
    assertEquals("i,j,temperature", results.get("columns"));
    assertEquals("10000", results.get("total"));
    assertEquals("100", results.get("rows"));
    // sum over i, j in [5, 14] of (100 i + j)
    assertEquals(95950.0, Double.parseDouble(results.get("sum")));
    assertEquals("5,5,505.0", results.get("first"));
    assertEquals("14,14,1414.0", results.get("last"));
    assertEquals("temperature", results.get("listed"));
  }

  private static Map<String, String> runApp(List<String> args) throws Exception {
    List<String> classpath = new ArrayList<>(ChildJvm.sparkOnlyClasspath());
    classpath.add(ChildJvm.runtimeJar());
    classpath.add(ChildJvm.testClasses());
    try (ChildJvm app =
        ChildJvm.start(
            classpath, List.of(), "io.arraymorph.it.apps.LocalSparkApp", args, line -> {})) {
      int exit = app.await(Duration.ofMinutes(4));
      assertEquals(0, exit, "application failed:\n" + app.output());
      return Results.of(app);
    }
  }
}
