package io.arraymorph.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures everything a test's code prints or logs (System.out, System.err, where slf4j-simple
 * writes, and java.util.logging at every level) so that it can be searched for secrets, and renders
 * throwables with their whole cause and suppressed chains.
 */
public final class LeakCheck implements AutoCloseable {
  /**
   * The JDK HttpClient's own debug logger (FINE): it prints request URLs, SAS query included, and
   * is outside ArrayMorph's control; docs/reliability.md says not to enable it with SAS tokens.
   */
  public static final String IGNORED_JUL_LOGGER = "jdk.internal.httpclient.debug";

  private final PrintStream oldOut = System.out;
  private final PrintStream oldErr = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final Logger root = Logger.getLogger("");
  private final Level oldLevel = root.getLevel();
  private final StringBuilder jul = new StringBuilder();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (IGNORED_JUL_LOGGER.equals(r.getLoggerName())) {
            return;
          }
          synchronized (jul) {
            jul.append(r.getLevel())
                .append(' ')
                .append(r.getLoggerName())
                .append(' ')
                .append(r.getMessage());
            if (r.getParameters() != null) {
              for (Object p : r.getParameters()) {
                jul.append(' ').append(p);
              }
            }
            if (r.getThrown() != null) {
              jul.append(' ').append(printed(r.getThrown()));
            }
            jul.append('\n');
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  public LeakCheck() {
    PrintStream tee =
        new PrintStream(
            new java.io.OutputStream() {
              @Override
              public void write(int b) {
                synchronized (captured) {
                  captured.write(b);
                }
                oldErr.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                  captured.write(b, off, len);
                }
                oldErr.write(b, off, len);
              }
            },
            true,
            StandardCharsets.UTF_8);
    System.setOut(tee);
    System.setErr(tee);
    root.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  /** Everything printed or logged so far. */
  public String output() {
    String printed;
    synchronized (captured) {
      printed = captured.toString(StandardCharsets.UTF_8);
    }
    synchronized (jul) {
      return printed + jul;
    }
  }

  /** A throwable as printed by printStackTrace: message, causes and suppressed, all of them. */
  public static String printed(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** Fails naming where a secret showed up. */
  public static void assertAbsent(String where, String text, String... secrets) {
    for (String s : secrets) {
      if (text.contains(s)) {
        throw new AssertionError("secret leaked in " + where + ":\n" + text);
      }
    }
  }

  @Override
  public void close() {
    System.setOut(oldOut);
    System.setErr(oldErr);
    root.removeHandler(handler);
    root.setLevel(oldLevel);
  }
}
