package io.arraymorph.cli;

import io.arraymorph.array.Hyperslab;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A NumPy-style selection such as {@code 5:15,0:10:2}: per dimension an index ({@code 3}, {@code
 * -1}), or {@code start:stop[:step]} with any part left out ({@code :}, {@code ::2}, {@code 5:}).
 * Negative start and stop count from the end. Dimensions not mentioned are selected whole. Unlike
 * NumPy, bounds past the array's edge are errors rather than silently clipped, and steps must be
 * positive.
 */
public final class Slice {
  /** One dimension's selection as written; null parts were left out. */
  record Part(Long start, Long stop, Long step, boolean index) {}

  private final List<Part> parts;
  private final String text;

  private Slice(List<Part> parts, String text) {
    this.parts = List.copyOf(parts);
    this.text = text;
  }

  /** Everything: {@code :} in every dimension. */
  public static Slice all() {
    return new Slice(List.of(), "");
  }

  /**
   * Parses the syntax; the array's shape is not needed yet.
   *
   * @throws IllegalArgumentException describing the first malformed part
   */
  public static Slice parse(String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
      trimmed = trimmed.substring(1, trimmed.length() - 1);
    }
    if (trimmed.isEmpty()) {
      return all();
    }
    List<Part> parts = new ArrayList<>();
    String[] dims = trimmed.split(",", -1);
    for (int d = 0; d < dims.length; d++) {
      parts.add(parsePart(dims[d].trim(), d, text));
    }
    return new Slice(parts, text);
  }

  private static Part parsePart(String s, int d, String text) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid slice '" + text + "': dimension " + d + " is empty (use ':' for all of it)");
    }
    String[] fields = s.split(":", -1);
    if (fields.length > 3) {
      throw new IllegalArgumentException(
          "Invalid slice '"
              + text
              + "': dimension "
              + d
              + " is '"
              + s
              + "'; expected index or start:stop[:step]");
    }
    if (fields.length == 1) {
      return new Part(number(fields[0], d, text, s), null, null, true);
    }
    Long start = optionalNumber(fields[0], d, text, s);
    Long stop = optionalNumber(fields[1], d, text, s);
    Long step = fields.length == 3 ? optionalNumber(fields[2], d, text, s) : null;
    if (step != null && step <= 0) {
      throw new IllegalArgumentException(
          "Invalid slice '"
              + text
              + "': the step in dimension "
              + d
              + " is "
              + step
              + "; steps must be positive");
    }
    return new Part(start, stop, step, false);
  }

  private static Long optionalNumber(String field, int d, String text, String part) {
    return field.trim().isEmpty() ? null : number(field, d, text, part);
  }

  private static long number(String field, int d, String text, String part) {
    try {
      return Long.parseLong(field.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid slice '"
              + text
              + "': '"
              + field.trim()
              + "' in dimension "
              + d
              + " ('"
              + part
              + "') is not an integer; expected index or start:stop[:step]");
    }
  }

  /** The number of dimensions written. */
  public int rank() {
    return parts.size();
  }

  /**
   * The hyperslab this slice selects in an array of the given shape.
   *
   * @throws SelectionException naming the dimension when the slice has more dimensions than the
   *     array or reaches outside it
   */
  public Hyperslab resolve(long[] shape) {
    return resolve(shape, List.of());
  }

  /** As {@link #resolve(long[])}, naming dimensions by {@code names} in messages. */
  public Hyperslab resolve(long[] shape, List<String> names) {
    if (parts.size() > shape.length) {
      throw new SelectionException(
          "Slice '"
              + text
              + "' has "
              + parts.size()
              + " dimensions but the array has "
              + shape.length
              + " (shape "
              + Arrays.toString(shape)
              + ")");
    }
    int rank = shape.length;
    long[] start = new long[rank];
    long[] stride = new long[rank];
    long[] count = new long[rank];
    long[] block = new long[rank];
    Arrays.fill(block, 1);
    for (int d = 0; d < rank; d++) {
      long n = shape[d];
      Part p = d < parts.size() ? parts.get(d) : new Part(null, null, null, false);
      if (p.index()) {
        long i = p.start() < 0 ? p.start() + n : p.start();
        if (i < 0 || i >= n) {
          throw outOfBounds(d, names, "index " + p.start(), n);
        }
        start[d] = i;
        stride[d] = 1;
        count[d] = 1;
        continue;
      }
      long from = p.start() == null ? 0 : p.start() < 0 ? p.start() + n : p.start();
      long to = p.stop() == null ? n : p.stop() < 0 ? p.stop() + n : p.stop();
      long step = p.step() == null ? 1 : p.step();
      if (from < 0 || from > n) {
        throw outOfBounds(d, names, "start " + p.start(), n);
      }
      if (to < 0 || to > n) {
        throw outOfBounds(d, names, "stop " + p.stop(), n);
      }
      start[d] = from;
      stride[d] = step;
      count[d] = to <= from ? 0 : (to - from + step - 1) / step;
    }
    return new Hyperslab(start, stride, count, block);
  }

  private SelectionException outOfBounds(int d, List<String> names, String what, long extent) {
    String name = d < names.size() ? " (" + names.get(d) + ")" : "";
    return new SelectionException(
        "Slice '"
            + text
            + "' is out of bounds in dimension "
            + d
            + name
            + ": "
            + what
            + " is outside [0, "
            + extent
            + ")"
            + (extent == 0 ? " (the dimension is empty)" : ""));
  }

  @Override
  public String toString() {
    return text.isEmpty() ? ":" : text;
  }
}
