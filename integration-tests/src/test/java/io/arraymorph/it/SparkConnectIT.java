package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notebooks that speak Spark Connect can use the connector: a Spark Connect server (a plain Spark
 * installation plus the runtime jar, in a child JVM on 127.0.0.1) serves a JVM Spark Connect client
 * (another child JVM with only the client jars) that runs the operations of {@code
 * examples/python/quickstart.py}: write from a DataFrame, filtered read, listing.
 */
@StartsServers
class SparkConnectIT {
  private static final Pattern STARTED =
      Pattern.compile("Spark Connect server started at: .*:(\\d+)");

  static ChildJvm server;
  static int port;
  @TempDir static Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    List<String> classpath = new ArrayList<>(ChildJvm.sparkOnlyClasspath());
    classpath.add(ChildJvm.runtimeJar());
    CompletableFuture<Integer> started = new CompletableFuture<>();
    server =
        ChildJvm.start(
            classpath,
            List.of(
                "-Dspark.master=local[2]",
                "-Dspark.app.name=arraymorph-connect-it",
                "-Dspark.ui.enabled=false",
                "-Dspark.driver.host=127.0.0.1",
                "-Dspark.driver.bindAddress=127.0.0.1",
                "-Dspark.sql.shuffle.partitions=4",
                "-Dspark.connect.grpc.binding.address=127.0.0.1",
                "-Dspark.connect.grpc.binding.port=0"),
            "org.apache.spark.sql.connect.service.SparkConnectServer",
            List.of(),
            line -> {
              Matcher m = STARTED.matcher(line);
              if (m.find()) {
                started.complete(Integer.parseInt(m.group(1)));
              }
            });
    try {
      port = started.get(3, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new AssertionError("Spark Connect server did not start:\n" + server.output(), e);
    }
    assertTrue(port > 0, "port " + port);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void connectClientWritesAndReadsAnArrayThroughTheServer() throws Exception {
    String location = dir.resolve("connect.zarr").toString();
    Map<String, String> results = runClient(QuickStartScript.load().roundTripArgs(location));
    assertTrue(results.get("session").contains("connect"), results.get("session"));
    SparkRuntimeJarIT.assertQuickStartResults(results);
  }

  @Test
  void connectClientSetsS3CredentialsInTheSessionAsConfigureS3Does() throws Exception {
    S3ProxyServer s3 = S3ProxyServer.get();
    String bucket = S3ProxyServer.uniqueBucketName("connect");
    s3.createBucket(bucket);
    List<String> args =
        new ArrayList<>(QuickStartScript.load().roundTripArgs("s3://" + bucket + "/q.zarr"));
    s3.settings(bucket)
        .forEach((k, v) -> args.add("conf.spark.datasource.arraymorph." + k + "=" + v));
    SparkRuntimeJarIT.assertQuickStartResults(runClient(args));
  }

  private static Map<String, String> runClient(List<String> roundTrip) throws Exception {
    List<String> args = new ArrayList<>();
    args.add("remote=sc://127.0.0.1:" + port);
    args.addAll(roundTrip);
    List<String> classpath = new ArrayList<>(ChildJvm.connectClientClasspath());
    classpath.add(ChildJvm.testClasses());
    try (ChildJvm client =
        ChildJvm.start(
            classpath, List.of(), "io.arraymorph.it.apps.ConnectClientApp", args, line -> {})) {
      int exit = client.await(Duration.ofMinutes(4));
      assertEquals(
          0, exit, "client failed:\n" + client.output() + "\n--- server:\n" + server.output());
      return Results.of(client);
    }
  }
}
