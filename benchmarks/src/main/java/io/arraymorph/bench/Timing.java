package io.arraymorph.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs workloads a bounded number of times: warm-ups, then up to {@code reps} timed repetitions,
 * stopping early once a workload's time budget is spent (at least one timed repetition always
 * runs). Workloads compared by a ratio run interleaved (A, B, A, B, ...) so drift hits both alike.
 */
public final class Timing {
  /** Measured wall times of one workload, in seconds. */
  public record Sample(String name, double[] seconds) {
    public double median() {
      double[] s = seconds.clone();
      Arrays.sort(s);
      int n = s.length;
      return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public double min() {
      return Arrays.stream(seconds).min().orElse(Double.NaN);
    }

    public double max() {
      return Arrays.stream(seconds).max().orElse(Double.NaN);
    }

    public int count() {
      return seconds.length;
    }
  }

  /** A timed operation. */
  @FunctionalInterface
  public interface Op {
    void run() throws Exception;
  }

  private final int warmups;
  private final int reps;

  public Timing(int warmups, int reps) {
    this.warmups = warmups;
    this.reps = reps;
  }

  public int reps() {
    return reps;
  }

  public Sample measure(String name, double budgetSeconds, Op op) throws Exception {
    return measureInterleaved(budgetSeconds, new String[] {name}, new Op[] {op}).get(0);
  }

  /** Runs the operations interleaved; the budget covers all of them, warm-ups included. */
  public List<Sample> measureInterleaved(double budgetSeconds, String[] names, Op[] ops)
      throws Exception {
    long deadline = System.nanoTime() + (long) (budgetSeconds * 1e9);
    for (int w = 0; w < warmups; w++) {
      for (Op op : ops) {
        op.run();
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    List<List<Double>> times = new ArrayList<>();
    for (int k = 0; k < ops.length; k++) {
      times.add(new ArrayList<>());
    }
    for (int r = 0; r < reps; r++) {
      if (r > 0 && System.nanoTime() > deadline) {
        break;
      }
      for (int k = 0; k < ops.length; k++) {
        long t0 = System.nanoTime();
        ops[k].run();
        times.get(k).add((System.nanoTime() - t0) / 1e9);
      }
    }
    List<Sample> out = new ArrayList<>();
    for (int k = 0; k < ops.length; k++) {
      double[] s = times.get(k).stream().mapToDouble(Double::doubleValue).toArray();
      out.add(new Sample(names[k], s));
      System.out.printf(
          "  %-45s median %8.3f s  (n=%d, min %.3f, max %.3f)%n",
          names[k], out.get(k).median(), s.length, out.get(k).min(), out.get(k).max());
    }
    return out;
  }
}
