package io.arraymorph.options;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an option's text becomes a value: a parser and the words saying what it accepts, which error
 * messages quote. A parser returns null or throws on text it does not accept.
 *
 * @param <T> the parsed value
 * @param expected what the option accepts, e.g. {@code "a positive integer"}
 * @param parser the text (trimmed, never blank) to its value
 */
public record OptionType<T>(String expected, Function<String, T> parser) {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  /** Any text. */
  public static OptionType<String> string() {
    return new OptionType<>("text", s -> s);
  }

  /** {@code true}/{@code false}, {@code 1}/{@code 0}, {@code yes}/{@code no}. */
  public static OptionType<Boolean> bool() {
    return new OptionType<>(
        "true or false",
        s ->
            switch (s.toLowerCase(Locale.ROOT)) {
              case "true", "1", "yes" -> Boolean.TRUE;
              case "false", "0", "no" -> Boolean.FALSE;
              default -> null;
            });
  }

  /** An integer above zero that fits an {@code int}. */
  public static OptionType<Integer> positiveInt() {
    return new OptionType<>("a positive integer", s -> atLeast(Integer.parseInt(s), 1));
  }

  /** An integer of zero or more that fits an {@code int}. */
  public static OptionType<Integer> nonNegativeInt() {
    return new OptionType<>("an integer of 0 or more", s -> atLeast(Integer.parseInt(s), 0));
  }

  /** An integer above zero. */
  public static OptionType<Long> positiveLong() {
    return new OptionType<>(
        "a positive integer", s -> Long.parseLong(s) > 0 ? Long.parseLong(s) : null);
  }

  /** A number above zero (decimals allowed). */
  public static OptionType<Double> positiveNumber() {
    return new OptionType<>(
        "a positive number",
        s -> {
          double d = Double.parseDouble(s);
          return d > 0 && Double.isFinite(d) ? d : null;
        });
  }

  /**
   * A positive duration: seconds, or a number with unit {@code ms}, {@code s}, {@code m} or {@code
   * h} ({@code 90m}).
   */
  public static OptionType<Duration> duration() {
    return new OptionType<>(
        "a positive duration such as 3600, 90s, 30m or 2h",
        s -> {
          Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
          if (!m.matches()) {
            return null;
          }
          long n = Long.parseLong(m.group(1));
          String unit = m.group(2) == null ? "s" : m.group(2);
          Duration d =
              switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
              };
          return d.isZero() ? null : d;
        });
  }

  /** A comma-separated list of non-negative integers, e.g. a shape. */
  public static OptionType<long[]> longList() {
    return new OptionType<>(
        "a comma-separated list of non-negative integers",
        s -> {
          long[] out =
              Arrays.stream(s.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
          return Arrays.stream(out).allMatch(x -> x >= 0) ? out : null;
        });
  }

  /** A comma-separated list of names; empty items are dropped. */
  public static OptionType<List<String>> nameList() {
    return new OptionType<>(
        "a comma-separated list of names",
        s -> Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList());
  }

  /** One of {@code values} (case-insensitive), returned lower-cased. */
  public static OptionType<String> choice(String... values) {
    List<String> allowed = Arrays.stream(values).map(v -> v.toLowerCase(Locale.ROOT)).toList();
    String expected =
        allowed.size() == 2
            ? "'" + allowed.get(0) + "' or '" + allowed.get(1) + "'"
            : "one of " + String.join(", ", allowed.stream().map(v -> "'" + v + "'").toList());
    return new OptionType<>(
        expected,
        s -> {
          String v = s.toLowerCase(Locale.ROOT);
          return allowed.contains(v) ? v : null;
        });
  }

  private static Integer atLeast(int n, int min) {
    return n >= min ? n : null;
  }
}
