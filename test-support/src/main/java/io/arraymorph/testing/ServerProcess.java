package io.arraymorph.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test server run as a child process: started, watched until its log names the port it listens
 * on, and destroyed when the JVM exits. Running servers as processes keeps their libraries (Jetty,
 * Jackson, Node) off the test classpath.
 */
final class ServerProcess {
  private static final int LOG_LINES_KEPT = 60;

  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code command} and waits until a line of its output matches {@code portPattern} (group
   * 1 is the port).
   *
   * @throws IllegalStateException with the server's last output lines when it exits or stays silent
   */
  static ServerProcess start(
      String name, List<String> command, Path workDir, Pattern portPattern, Duration timeout) {
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start " + name + ": " + command, e);
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(process), "stop-" + name.replace(' ', '-')));
    List<String> recent = new ArrayList<>();
    CompletableFuture<Integer> portFound = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  // Keep draining the output so the server never blocks on a full pipe.
                  if (!portFound.isDone()) {
                    synchronized (recent) {
                      recent.add(line);
                      if (recent.size() > LOG_LINES_KEPT) {
                        recent.remove(0);
                      }
                    }
                    Matcher m = portPattern.matcher(line);
                    if (m.find()) {
                      portFound.complete(Integer.parseInt(m.group(1)));
                    }
                  }
                }
              } catch (IOException ignored) {
                // The process ended; the wait below reports it.
              }
              portFound.completeExceptionally(new IllegalStateException(name + " exited"));
            },
            "log-" + name.replace(' ', '-'));
    reader.setDaemon(true);
    reader.start();
    try {
      return new ServerProcess(process, portFound.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      stop(process);
      String log;
      synchronized (recent) {
        log = String.join("\n", recent);
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException(
          name + " did not report a listening port within " + timeout + "; its output:\n" + log, e);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  void stop() {
    stop(process);
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
