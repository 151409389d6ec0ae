package io.arraymorph.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Markdown report: sections of prose and tables, written to docs/benchmarks.md. */
public final class Report {
  private final StringBuilder md = new StringBuilder();
  private final StringBuilder preamble = new StringBuilder();
  private final List<String[]> summary = new ArrayList<>();

  /** Text placed before the summary table (title, command, machine). */
  public Report preamble(String s) {
    preamble.append(s).append("\n\n");
    return this;
  }

  /** A row of the summary table at the top: a ratio or figure against its target. */
  public Report summary(String workload, String measured, String targetText, Boolean met) {
    summary.add(
        new String[] {
          workload, measured, targetText, met == null ? "info" : met ? "met" : "**missed**"
        });
    return this;
  }

  public Report text(String s) {
    md.append(s).append("\n\n");
    return this;
  }

  public Report heading(String s) {
    md.append("## ").append(s).append("\n\n");
    return this;
  }

  public Table table(String... header) {
    return new Table(header);
  }

  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, toString());
  }

  @Override
  public String toString() {
    StringBuilder all = new StringBuilder(preamble);
    all.append("## Summary\n\n| workload | measured | target | result |\n|---|---|---|---|\n");
    for (String[] r : summary) {
      all.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    all.append("\n").append(md);
    return all.toString();
  }

  /** A Markdown table appended to the report when done. */
  public final class Table {
    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    Table(String[] header) {
      this.header = header;
    }

    public Table row(Object... cells) {
      String[] r = new String[cells.length];
      for (int i = 0; i < cells.length; i++) {
        r[i] = String.valueOf(cells[i]);
      }
      rows.add(r);
      return this;
    }

    public Report done() {
      int from = md.length();
      md.append("| ").append(String.join(" | ", header)).append(" |\n|");
      for (int i = 0; i < header.length; i++) {
        md.append("---|");
      }
      md.append("\n");
      for (String[] r : rows) {
        md.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
      md.append("\n");
      System.out.println(md.substring(from));
      return Report.this;
    }
  }

  static String f(double v, int decimals) {
    return Double.isNaN(v) ? "n/a" : String.format("%." + decimals + "f", v);
  }

  static String target(boolean met) {
    return met ? "met" : "**missed**";
  }
}
