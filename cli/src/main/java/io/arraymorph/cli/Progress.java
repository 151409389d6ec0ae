package io.arraymorph.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar redrawn on stderr with carriage returns. */
final class Progress {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final String label;
  private final long total;
  private final boolean enabled;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  Progress(PrintWriter err, String label, long total, boolean enabled) {
    this.err = err;
    this.label = label;
    this.total = total;
    this.enabled = enabled;
  }

  /** Reports {@code done} of the total steps and the bytes moved so far. */
  void update(long done, long bytes) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (done < total && drawn && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    double fraction = total == 0 ? 1 : (double) done / total;
    int filled = (int) Math.round(fraction * WIDTH);
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    err.print(
        String.format(
            Locale.ROOT,
            "\r%s [%s%s] %3d%% %d/%d blocks, %s, %s/s ",
            label,
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            (int) Math.floor(fraction * 100),
            done,
            total,
            human(bytes),
            human((long) (bytes / seconds))));
    err.flush();
  }

  /** Ends the bar's line. */
  void finish() {
    if (enabled && drawn) {
      err.println();
      err.flush();
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
