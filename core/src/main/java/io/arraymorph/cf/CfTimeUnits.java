package io.arraymorph.cf;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CF time units {@code "<unit> since <reference date>"} in the {@code standard}, {@code gregorian}
 * or {@code proleptic_gregorian} calendar (the calendars that map onto timestamps; dates before
 * 1582-10-15 are taken as proleptic Gregorian). Values convert to microseconds since the Unix
 * epoch, rounded to the nearest microsecond.
 *
 * @param microsPerUnit microseconds in one unit
 * @param referenceMicros the reference date in microseconds since 1970-01-01T00:00:00Z
 */
public record CfTimeUnits(long microsPerUnit, long referenceMicros) implements Serializable {
  private static final Pattern UNITS =
      Pattern.compile(
          "\\s*(\\w+)\\s+since\\s+(-?\\d{1,4})-(\\d{1,2})-(\\d{1,2})"
              + "(?:[T\\s]+(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,9}))?)?)?"
              + "\\s*(Z|UTC|[+-]\\d{1,2}(?::?\\d{2})?)?\\s*",
          Pattern.CASE_INSENSITIVE);

  private static final Map<String, Long> UNIT_MICROS =
      Map.ofEntries(
          Map.entry("days", 86_400_000_000L),
          Map.entry("day", 86_400_000_000L),
          Map.entry("d", 86_400_000_000L),
          Map.entry("hours", 3_600_000_000L),
          Map.entry("hour", 3_600_000_000L),
          Map.entry("hr", 3_600_000_000L),
          Map.entry("hrs", 3_600_000_000L),
          Map.entry("h", 3_600_000_000L),
          Map.entry("minutes", 60_000_000L),
          Map.entry("minute", 60_000_000L),
          Map.entry("min", 60_000_000L),
          Map.entry("mins", 60_000_000L),
          Map.entry("seconds", 1_000_000L),
          Map.entry("second", 1_000_000L),
          Map.entry("sec", 1_000_000L),
          Map.entry("secs", 1_000_000L),
          Map.entry("s", 1_000_000L),
          Map.entry("milliseconds", 1_000L),
          Map.entry("millisecond", 1_000L),
          Map.entry("ms", 1_000L),
          Map.entry("microseconds", 1L),
          Map.entry("microsecond", 1L),
          Map.entry("us", 1L));

  /**
   * Parses time units in a calendar ({@code null} means {@code standard}); empty when the units are
   * not a time, the unit is not one of days/hours/minutes/seconds/milliseconds/microseconds (months
   * and years are ambiguous in CF), or the calendar is not Gregorian.
   */
  public static Optional<CfTimeUnits> parse(String units, String calendar) {
    if (units == null) {
      return Optional.empty();
    }
    String cal = calendar == null ? "standard" : calendar.trim().toLowerCase(Locale.ROOT);
    if (!cal.equals("standard") && !cal.equals("gregorian") && !cal.equals("proleptic_gregorian")) {
      return Optional.empty();
    }
    Matcher m = UNITS.matcher(units);
    if (!m.matches()) {
      return Optional.empty();
    }
    Long perUnit = UNIT_MICROS.get(m.group(1).toLowerCase(Locale.ROOT));
    if (perUnit == null) {
      return Optional.empty();
    }
    try {
      LocalDate date =
          LocalDate.of(
              Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3)),
              Integer.parseInt(m.group(4)));
      int nanos = 0;
      if (m.group(8) != null) {
        nanos = Integer.parseInt((m.group(8) + "00000000").substring(0, 9));
      }
      LocalTime time =
          LocalTime.of(
              m.group(5) == null ? 0 : Integer.parseInt(m.group(5)),
              m.group(6) == null ? 0 : Integer.parseInt(m.group(6)),
              m.group(7) == null ? 0 : Integer.parseInt(m.group(7)),
              nanos);
      ZoneOffset zone = zone(m.group(9));
      long epochSecond = LocalDateTime.of(date, time).toEpochSecond(zone);
      return Optional.of(
          new CfTimeUnits(perUnit, Math.addExact(epochSecond * 1_000_000L, nanos / 1000)));
    } catch (java.time.DateTimeException | ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static ZoneOffset zone(String z) {
    if (z == null || z.equalsIgnoreCase("Z") || z.equalsIgnoreCase("UTC")) {
      return ZoneOffset.UTC;
    }
    String digits = z.substring(1).replace(":", "");
    int hours =
        Integer.parseInt(digits.length() <= 2 ? digits : digits.substring(0, digits.length() - 2));
    int minutes =
        digits.length() <= 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
    int sign = z.charAt(0) == '-' ? -1 : 1;
    return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
  }

  /** A value in these units as microseconds since the epoch. */
  public long toMicros(double value) {
    return referenceMicros + Math.round(value * microsPerUnit);
  }

  /** An integral value in these units as microseconds since the epoch (exact). */
  public long toMicros(long value) {
    return referenceMicros + value * microsPerUnit;
  }
}
