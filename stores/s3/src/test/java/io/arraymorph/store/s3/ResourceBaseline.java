package io.arraymorph.store.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntSupplier;

/**
 * The process's threads and open file descriptors at one moment, to check later that a workload
 * left none behind. Thread names are compared with their numbers masked ({@code pool-#-thread-#}),
 * so a replaced thread is not a new one but an added kind of thread is.
 */
final class ResourceBaseline {
  private final int fds;
  private final int threads;
  private final Set<String> names;

  private ResourceBaseline() {
    this.fds = openFds();
    this.threads = threadCount();
    this.names = threadNames();
  }

  /** Takes the baseline now. */
  static ResourceBaseline take() {
    return new ResourceBaseline();
  }

  /** File descriptors open at the baseline. */
  int fds() {
    return fds;
  }

  static int openFds() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /** Live threads, JUnit's own timeout thread excepted. */
  static int threadCount() {
    return (int) liveThreads().count();
  }

  /** Live threads whose name contains {@code part}. */
  static int threadsNamed(String part) {
    return (int) liveThreads().filter(t -> t.getName().contains(part)).count();
  }

  private static java.util.stream.Stream<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        // JUnit's own thread for assertTimeoutPreemptively is not ours.
        .filter(t -> !t.getName().startsWith("junit-timeout-thread"));
  }

  static Set<String> threadNames() {
    Set<String> out = new TreeSet<>();
    liveThreads().forEach(t -> out.add(t.getName().replaceAll("\\d+", "#")));
    return out;
  }

  private Set<String> newThreadNames() {
    Set<String> now = threadNames();
    now.removeAll(names);
    return now;
  }

  /** The live threads of these (masked) names, with where each one is, for a failure message. */
  private static String described(Set<String> masked) {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces()
        .forEach(
            (t, stack) -> {
              if (masked.contains(t.getName().replaceAll("\\d+", "#"))) {
                out.append('\n').append(t.getName()).append(' ').append(t.getState());
                for (int i = 0; i < Math.min(8, stack.length); i++) {
                  out.append("\n  at ").append(stack[i]);
                }
              }
            });
    return out.toString();
  }

  /**
   * Established TCP connections from this host to {@code port} on 127.0.0.1 (IPv4 or mapped IPv6):
   * for a server only this JVM talks to, the connections this JVM holds open to it.
   */
  static int connectionsTo(int port) throws IOException {
    String hexPort = String.format(":%04X ", port);
    int count = 0;
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+", -1);
        // columns: sl local_address rem_address st ...; st 01 = ESTABLISHED
        if (f.length > 3 && (f[2] + " ").endsWith(hexPort) && f[3].equals("01")) {
          count++;
        }
      }
    }
    return count;
  }

  private boolean back(int threadSlack, IntSupplier fdSlack) {
    return newThreadNames().isEmpty()
        && threadCount() <= threads + threadSlack
        && openFds() <= fds + fdSlack.getAsInt();
  }

  /**
   * Waits up to {@code waitMillis} (closed pools end their threads asynchronously) for the process
   * to be back at this baseline within the slack, then asserts it.
   */
  void assertBackWithin(long waitMillis, int threadSlack, int fdSlack) throws InterruptedException {
    assertBackWithin(waitMillis, threadSlack, () -> fdSlack);
  }

  /** As above, with a file descriptor slack worked out anew at each look. */
  void assertBackWithin(long waitMillis, int threadSlack, IntSupplier fdSlack)
      throws InterruptedException {
    long deadline = System.nanoTime() + waitMillis * 1_000_000L;
    while (System.nanoTime() < deadline && !back(threadSlack, fdSlack)) {
      Thread.sleep(100);
    }
    assertTrue(newThreadNames().isEmpty(), "threads left behind: " + described(newThreadNames()));
    assertTrue(
        threadCount() <= threads + threadSlack,
        "threads " + threads + " -> " + threadCount() + ": " + threadNames());
    int slack = fdSlack.getAsInt();
    assertTrue(
        openFds() <= fds + slack,
        "file descriptors " + fds + " -> " + openFds() + " (slack " + slack + ")");
  }
}
