package io.arraymorph.cf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.DataType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CfEncodingTest {

  private static long micros(String instant) {
    Instant i = Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  @Test
  void timeUnitsParseCommonFormsAndZones() {
    assertEquals(
        micros("2024-01-01T06:30:00Z"),
        CfTimeUnits.parse("hours since 2024-01-01 00:00:00", null).get().toMicros(6.5));
    assertEquals(
        micros("2000-01-02T12:00:00Z"),
        CfTimeUnits.parse("days since 1999-12-31T12:00:00Z", "gregorian").get().toMicros(2L));
    assertEquals(
        micros("1970-01-01T00:00:01Z"),
        CfTimeUnits.parse("seconds since 1970-1-1 2:0:0 +02:00", "standard").get().toMicros(1L));
    assertEquals(
        micros("2000-01-01T00:00:00.250Z"),
        CfTimeUnits.parse("milliseconds since 2000-01-01", "proleptic_gregorian")
            .get()
            .toMicros(250L));
  }

  @Test
  void nonGregorianCalendarsAndNonTimeUnitsAreNotTimes() {
    assertEquals(
        "2001-03-01 00:00:00",
        CfTimeUnits.parse("days since 2000-01-01", "noleap")
            .get()
            .format(CfTimeUnits.parse("days since 2000-01-01", "noleap").get().toMicros(424L)));
    assertTrue(CfTimeUnits.parse("months since 2000-01-01", null).isEmpty());
    assertTrue(CfTimeUnits.parse("K", null).isEmpty());
  }

  @Test
  void packedTypesFollowXarraysFloatChoice() {
    assertEquals(
        CfEncoding.Decoded.FLOAT32,
        CfEncoding.of(
                Map.of("scale_factor", List.of(0.01f), "add_offset", List.of(273.15f)),
                DataType.INT16)
            .decoded());
    assertEquals(
        CfEncoding.Decoded.FLOAT64,
        CfEncoding.of(Map.of("scale_factor", List.of(0.01)), DataType.INT16).decoded());
    assertEquals(
        CfEncoding.Decoded.FLOAT64,
        CfEncoding.of(Map.of("scale_factor", 0.5f), DataType.INT32).decoded());
  }

  @Test
  void missingValuesCompareInTheStoredPrecision() {
    CfEncoding f32 = CfEncoding.of(Map.of("_FillValue", List.of(0.1f)), DataType.FLOAT32);
    assertTrue(f32.isMissing((double) 0.1f));
    CfEncoding nan = CfEncoding.of(Map.of("_FillValue", Double.NaN), DataType.FLOAT64);
    assertTrue(nan.isMissing(Double.NaN));
    CfEncoding ints =
        CfEncoding.of(Map.of("_FillValue", -9, "missing_value", List.of(-1, -2)), DataType.INT32);
    assertTrue(ints.isMissing(-2L));
    assertFalse(ints.isMissing(0L));
    assertEquals(CfEncoding.Decoded.AS_STORED, ints.decoded());
  }
}
