package io.arraymorph.cf;

import java.io.Serializable;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CF time units {@code "<unit> since <reference date>"} in a {@link CfCalendar}, the reference date
 * read in that calendar as cftime does. Values convert to microseconds, rounded to the nearest
 * microsecond: since 1970-01-01T00:00:00Z for real-world calendars (an instant), or since the
 * calendar's year 0 for model calendars, whose dates are then {@linkplain #format formatted}.
 *
 * @param microsPerUnit microseconds in one unit
 * @param referenceMicros the reference date in microseconds of the calendar's count
 * @param calendar the calendar
 */
public record CfTimeUnits(long microsPerUnit, long referenceMicros, CfCalendar calendar)
    implements Serializable {
  private static final long MICROS_PER_DAY = 86_400_000_000L;

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
   * not a time, or the unit is not one of days/hours/minutes/seconds/milliseconds/microseconds
   * (months and years are ambiguous in CF).
   *
   * @throws IllegalArgumentException when the units are a time in an unknown calendar, or the
   *     reference date does not exist in the calendar
   */
  public static Optional<CfTimeUnits> parse(String units, String calendar) {
    if (units == null) {
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
    CfCalendar cal = CfCalendar.of(calendar);
    try {
      long day =
          cal.dayNumber(
              Long.parseLong(m.group(2)),
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
      long micros =
          Math.addExact(
              Math.multiplyExact(day, MICROS_PER_DAY),
              time.toNanoOfDay() / 1000 - zone.getTotalSeconds() * 1_000_000L);
      return Optional.of(new CfTimeUnits(perUnit, micros, cal));
    } catch (java.time.DateTimeException | ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "Time units '" + units + "' have an invalid reference date: " + e.getMessage(), e);
    }
  }

  /**
   * A value of {@link #toMicros} as the calendar's date and time, {@code YYYY-MM-DD hh:mm:ss} with
   * {@code .ffffff} when there are microseconds (as cftime prints it; sorts in time order for years
   * 0-9999).
   */
  public String format(long micros) {
    long day = Math.floorDiv(micros, MICROS_PER_DAY);
    long inDay = Math.floorMod(micros, MICROS_PER_DAY);
    long[] date = calendar.date(day);
    long seconds = inDay / 1_000_000L;
    long fraction = inDay % 1_000_000L;
    String s =
        String.format(
            Locale.ROOT,
            "%04d-%02d-%02d %02d:%02d:%02d",
            date[0],
            date[1],
            date[2],
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60);
    return fraction == 0 ? s : s + String.format(Locale.ROOT, ".%06d", fraction);
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
