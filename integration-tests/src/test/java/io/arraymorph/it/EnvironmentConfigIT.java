package io.arraymorph.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.testing.S3ProxyServer;
import io.arraymorph.testing.StartsServers;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ArrayMorph's way of configuring a store, end to end through Spark: a driver process whose only
 * store settings are the environment variables {@code STORAGE_PLATFORM}, {@code BUCKET_NAME} and
 * {@code AWS_*} writes and reads an array on S3 (S3Proxy); and options override the session
 * configuration, which overrides the environment.
 */
@StartsServers
class EnvironmentConfigIT {
  static final S3ProxyServer SERVER = S3ProxyServer.get();

  /** Rows with i >= 3 of the 6x4 array v = i * 10 + j, and their sum. */
  static final String EXPECTED = "rows=12 sum=" + ((30 + 40 + 50) * 4 + (0 + 1 + 2 + 3) * 3);

  @Test
  void environmentVariablesAloneReachS3AndOptionsOverrideSessionConfOverrideEnvironment()
      throws Exception {
    String bucket = S3ProxyServer.uniqueBucketName("e2e-env");
    SERVER.createBucket(bucket);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STORAGE_PLATFORM", "S3");
    env.put("BUCKET_NAME", bucket);
    env.put("AWS_ACCESS_KEY_ID", SERVER.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", SERVER.secretKey());
    env.put("AWS_REGION", SERVER.region());
    env.put("AWS_ENDPOINT_URL_S3", SERVER.hostAndPort());
    env.put("AWS_USE_TLS", "false");
    env.put("AWS_S3_ADDRESSING_STYLE", "path");

    // 1. The environment alone: a bare key, in the bucket BUCKET_NAME names, on the S3 it names.
    List<String> out = runDriver(env, "env", "from-env/demo.zarr");
    assertEquals(List.of("write ok", "read " + EXPECTED), out);
    try (ArrayStore store =
        ArrayStore.open("s3://" + bucket + "/from-env/demo.zarr", StoreFixture.s3().settings())) {
      assertTrue(store.exists("v"), "the array is in the bucket BUCKET_NAME named");
    }

    // 2. Precedence: a wrong endpoint (a closed loopback port) in the environment.
    String bad = "http://127.0.0.1:" + closedPort();
    env.put("AWS_ENDPOINT_URL_S3", bad);
    env.remove("AWS_USE_TLS");
    List<String> steps =
        runDriver(
            env, "precedence", "s3://" + bucket + "/from-env/demo.zarr", SERVER.endpoint(), bad);
    assertEquals(4, steps.size(), steps.toString());
    assertTrue(
        steps.get(0).startsWith("envOnly failed") && steps.get(0).contains("endpoint"),
        steps.get(0));
    assertEquals("confOverEnv ok " + EXPECTED, steps.get(1));
    assertEquals("optionOverConf ok " + EXPECTED, steps.get(2));
    assertTrue(
        steps.get(3).startsWith("confOnly failed") && steps.get(3).contains("endpoint"),
        steps.get(3));
    for (String step : steps) {
      Scenarios.assertNoSecret(step, List.of(SERVER.secretKey()), step);
    }
  }

  /** A loopback port nothing listens on (bound, then released). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Runs {@link EnvDriverMain} in a child JVM with only {@code storeEnv} plus basics. */
  static List<String> runDriver(Map<String, String> storeEnv, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")
          || a.startsWith("-XX:+IgnoreUnrecognized")
          || a.startsWith("-Djdk.")
          || a.startsWith("-Dio.netty")
          || a.startsWith("-Daws.")
          || a.startsWith("-Dhadoop.")) {
        command.add(a);
      }
    }
    command.add("-Xmx768m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(EnvDriverMain.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    Map<String, String> keep = new LinkedHashMap<>();
    for (String k :
        List.of(
            "PATH",
            "HOME",
            "JAVA_HOME",
            "SPARK_LOCAL_IP",
            "SPARK_LOCAL_HOSTNAME",
            "AWS_EC2_METADATA_DISABLED",
            "TMPDIR")) {
      if (env.containsKey(k)) {
        keep.put(k, env.get(k));
      }
    }
    env.clear();
    env.putAll(keep);
    env.putAll(storeEnv);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    byte[] output;
    Thread reader;
    java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
    reader =
        new Thread(
            () -> {
              try {
                p.getInputStream().transferTo(buffer);
              } catch (IOException e) {
                // the process ended
              }
            });
    reader.start();
    boolean done = p.waitFor(180, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    reader.join(10_000);
    output = buffer.toByteArray();
    String text = new String(output, StandardCharsets.UTF_8);
    assertTrue(done, "driver did not finish in 180 s: " + text);
    assertEquals(0, p.exitValue(), "driver failed: " + text);
    List<String> results = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("RESULT ")) {
        results.add(line.substring("RESULT ".length()).trim());
      }
    }
    return results;
  }
}
