package io.arraymorph.cf;

import java.time.LocalDate;
import java.util.Locale;

/**
 * The CF calendars, as cftime implements them: how a (year, month, day) label maps to a day count.
 * The real-world calendars ({@link #STANDARD}, {@link #PROLEPTIC_GREGORIAN}, {@link #JULIAN}) count
 * days since 1970-01-01 (proleptic Gregorian), so their dates are instants; the model calendars
 * ({@link #NOLEAP}, {@link #ALL_LEAP}, {@link #DAY_360}) count days in their own years, and their
 * dates (e.g. 360_day's February 30) have no instant.
 */
public enum CfCalendar {
  /** {@code standard}/{@code gregorian}: Julian before 1582-10-15, Gregorian from then on. */
  STANDARD(true),
  /** {@code proleptic_gregorian}: Gregorian rules for every year. */
  PROLEPTIC_GREGORIAN(true),
  /** {@code julian}: a leap year every 4 years. */
  JULIAN(true),
  /** {@code noleap}/{@code 365_day}: every year has 365 days. */
  NOLEAP(false),
  /** {@code all_leap}/{@code 366_day}: every year has 366 days. */
  ALL_LEAP(false),
  /** {@code 360_day}: twelve 30-day months. */
  DAY_360(false);

  private static final int[] MONTH_DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  private static final long GREGORIAN_START = LocalDate.of(1582, 10, 15).toEpochDay();
  private static final long JDN_OF_EPOCH = 2_440_588L;

  private final boolean realTime;

  CfCalendar(boolean realTime) {
    this.realTime = realTime;
  }

  /**
   * The calendar a {@code calendar} attribute names (case-insensitive; null means {@code
   * standard}).
   *
   * @throws IllegalArgumentException naming the calendar when it is not a CF calendar
   */
  public static CfCalendar of(String name) {
    String n = name == null ? "standard" : name.trim().toLowerCase(Locale.ROOT);
    return switch (n) {
      case "standard", "gregorian", "" -> STANDARD;
      case "proleptic_gregorian" -> PROLEPTIC_GREGORIAN;
      case "julian" -> JULIAN;
      case "noleap", "365_day" -> NOLEAP;
      case "all_leap", "366_day" -> ALL_LEAP;
      case "360_day" -> DAY_360;
      default ->
          throw new IllegalArgumentException(
              "Unknown CF calendar '"
                  + name
                  + "' (known: standard, gregorian, proleptic_gregorian, julian, noleap, 365_day,"
                  + " all_leap, 366_day, 360_day); read the raw numbers with option"
                  + " decode_cf=false");
    };
  }

  /** Whether dates are real instants (and so map to timestamps). */
  public boolean realTime() {
    return realTime;
  }

  /**
   * The day number of a date: days since 1970-01-01 for real-world calendars, days since year 0 day
   * 1 for model calendars.
   *
   * @throws IllegalArgumentException when the date does not exist in this calendar
   */
  public long dayNumber(long year, int month, int day) {
    if (month < 1 || month > 12 || day < 1 || day > monthLength(year, month)) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%d-%02d-%02d is not a date of the %s calendar",
              year,
              month,
              day,
              this));
    }
    return switch (this) {
      case PROLEPTIC_GREGORIAN -> LocalDate.of(Math.toIntExact(year), month, day).toEpochDay();
      case JULIAN -> julianToEpochDay(year, month, day);
      case STANDARD -> {
        boolean julian = year < 1582 || (year == 1582 && (month < 10 || (month == 10 && day < 15)));
        yield julian
            ? julianToEpochDay(year, month, day)
            : LocalDate.of(Math.toIntExact(year), month, day).toEpochDay();
      }
      case NOLEAP -> year * 365 + daysBeforeMonth(month, false) + day - 1;
      case ALL_LEAP -> year * 366 + daysBeforeMonth(month, true) + day - 1;
      case DAY_360 -> year * 360 + (month - 1) * 30L + day - 1;
    };
  }

  /** The {year, month, day} of a day number (the inverse of {@link #dayNumber}). */
  public long[] date(long dayNumber) {
    switch (this) {
      case PROLEPTIC_GREGORIAN:
        return gregorian(dayNumber);
      case JULIAN:
        return julianFromEpochDay(dayNumber);
      case STANDARD:
        return dayNumber < GREGORIAN_START ? julianFromEpochDay(dayNumber) : gregorian(dayNumber);
      case DAY_360:
        {
          long year = Math.floorDiv(dayNumber, 360);
          long rest = Math.floorMod(dayNumber, 360);
          return new long[] {year, rest / 30 + 1, rest % 30 + 1};
        }
      default:
        {
          boolean leap = this == ALL_LEAP;
          int length = leap ? 366 : 365;
          long year = Math.floorDiv(dayNumber, length);
          long rest = Math.floorMod(dayNumber, length);
          int month = 1;
          while (rest >= monthLength(leap, month)) {
            rest -= monthLength(leap, month);
            month++;
          }
          return new long[] {year, month, rest + 1};
        }
    }
  }

  private int monthLength(long year, int month) {
    return switch (this) {
      case DAY_360 -> 30;
      case NOLEAP -> MONTH_DAYS[month - 1];
      case ALL_LEAP -> monthLength(true, month);
      case JULIAN -> monthLength(Math.floorMod(year, 4) == 0, month);
      case PROLEPTIC_GREGORIAN -> monthLength(gregorianLeap(year), month);
      case STANDARD ->
          monthLength(year < 1582 ? Math.floorMod(year, 4) == 0 : gregorianLeap(year), month);
    };
  }

  private static int monthLength(boolean leap, int month) {
    return month == 2 && leap ? 29 : MONTH_DAYS[month - 1];
  }

  private static boolean gregorianLeap(long y) {
    return Math.floorMod(y, 4) == 0 && (Math.floorMod(y, 100) != 0 || Math.floorMod(y, 400) == 0);
  }

  private static long daysBeforeMonth(int month, boolean leap) {
    long n = 0;
    for (int m = 1; m < month; m++) {
      n += monthLength(leap, m);
    }
    return n;
  }

  private static long[] gregorian(long epochDay) {
    LocalDate d = LocalDate.ofEpochDay(epochDay);
    return new long[] {d.getYear(), d.getMonthValue(), d.getDayOfMonth()};
  }

  /** Julian calendar date to days since 1970-01-01 through the Julian Day Number. */
  private static long julianToEpochDay(long year, int month, int day) {
    long a = (14L - month) / 12;
    long y = year + 4800 - a;
    long m = month + 12 * a - 3;
    long jdn = day + (153 * m + 2) / 5 + 365 * y + Math.floorDiv(y, 4) - 32083;
    return jdn - JDN_OF_EPOCH;
  }

  private static long[] julianFromEpochDay(long epochDay) {
    long c = epochDay + JDN_OF_EPOCH + 32082;
    long d = Math.floorDiv(4 * c + 3, 1461);
    long e = c - Math.floorDiv(1461 * d, 4);
    long m = (5 * e + 2) / 153;
    long day = e - (153 * m + 2) / 5 + 1;
    long month = m + 3 - 12 * (m / 10);
    long year = d - 4800 + m / 10;
    return new long[] {year, month, day};
  }
}
