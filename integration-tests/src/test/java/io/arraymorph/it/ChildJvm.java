package io.arraymorph.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A Java program run in a child JVM with a classpath of its own (a plain Spark installation plus
 * one jar, or the Spark Connect client alone), as a cluster or a notebook would run it. Output is
 * collected line by line; the process is destroyed when the test JVM exits.
 */
final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new ArrayList<>();

  private ChildJvm(Process process, Consumer<String> onLine) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                  onLine.accept(line);
                }
              } catch (IOException e) {
                // The process ended.
              }
            },
            "child-jvm-output");
    reader.setDaemon(true);
    reader.start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
  }

  /**
   * Starts {@code mainClass} with {@code classpath} (entries joined with the path separator), the
   * Spark JVM options of the build, {@code jvmArgs}, loopback-only Spark settings and {@code args};
   * {@code onLine} sees every line it prints.
   */
  static ChildJvm start(
      List<String> classpath,
      List<String> jvmArgs,
      String mainClass,
      List<String> args,
      Consumer<String> onLine) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        Arrays.stream(System.getProperty("spark.child.jvm.options", "").split("\\s+"))
            .filter(s -> !s.isBlank())
            .collect(Collectors.toList()));
    command.add("-Xmx1g");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_HOSTNAME", "localhost");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    // The child must not find Spark or ArrayMorph anywhere but on its classpath.
    env.remove("SPARK_DIST_CLASSPATH");
    env.remove("SPARK_HOME");
    try {
      return new ChildJvm(builder.start(), onLine);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + mainClass, e);
    }
  }

  /** Waits for the program to end and returns its exit code. */
  int await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child JVM still running after " + timeout + ":\n" + output());
    }
    // Let the reader drain the last lines.
    for (int i = 0; i < 50 && readerBehind(); i++) {
      Thread.sleep(20);
    }
    return process.exitValue();
  }

  private boolean readerBehind() {
    try {
      return process.getInputStream().available() > 0;
    } catch (IOException e) {
      return false;
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Everything the program printed so far. */
  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** The lines printed so far that start with {@code prefix}, without it. */
  List<String> linesStartingWith(String prefix) {
    synchronized (lines) {
      return lines.stream()
          .filter(l -> l.startsWith(prefix))
          .map(l -> l.substring(prefix.length()))
          .collect(Collectors.toList());
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The classpath of a plain Spark installation: Spark's jars only (from the build). */
  static List<String> sparkOnlyClasspath() {
    List<String> cp = split(System.getProperty("spark.only.classpath"));
    for (String entry : cp) {
      String name = new File(entry).getName();
      if (name.startsWith("arraymorph-")
          || entry.contains("/software/amazon/")
          || entry.contains("/com/azure/")
          || name.startsWith("jhdf")) {
        throw new IllegalStateException("not a plain Spark classpath, it holds " + entry);
      }
    }
    return cp;
  }

  /** The Spark Connect JVM client's classpath (from the build). */
  static List<String> connectClientClasspath() {
    return split(System.getProperty("connect.client.classpath"));
  }

  /** This module's compiled test programs (package {@code io.arraymorph.it.apps}). */
  static String testClasses() {
    try {
      return Path.of(ChildJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The runtime jar built by the {@code spark-runtime} module. */
  static String runtimeJar() {
    File jar = new File(System.getProperty("runtime.jar", ""));
    if (!jar.isFile()) {
      throw new IllegalStateException(
          "runtime jar missing: " + jar + " (mvn -pl integration-tests -am verify builds it)");
    }
    return jar.getAbsolutePath();
  }

  private static List<String> split(String classpath) {
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalStateException("classpath property not set: run through failsafe");
    }
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(s -> !s.isBlank())
        .collect(Collectors.toList());
  }
}
