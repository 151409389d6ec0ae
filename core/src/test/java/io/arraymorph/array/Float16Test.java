package io.arraymorph.array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Half-precision conversions against known IEEE 754 binary16 bit patterns. */
class Float16Test {

  private static void assertBits(int expectedBits, float value) {
    assertEquals(
        String.format("0x%04x", expectedBits),
        String.format("0x%04x", Float16.fromFloat(value) & 0xffff),
        "fromFloat(" + value + ")");
  }

  @Test
  void knownPatternsWidenExactly() {
    assertEquals(1.0f, Float16.toFloat((short) 0x3c00));
    assertEquals(-2.0f, Float16.toFloat((short) 0xc000));
    assertEquals(65504.0f, Float16.toFloat((short) 0x7bff));
    assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001));
    assertEquals(0x1p-14f, Float16.toFloat((short) 0x0400));
    assertEquals(0x3ffp-24f, Float16.toFloat((short) 0x03ff));
    assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat((short) 0x7c00));
    assertEquals(Float.NEGATIVE_INFINITY, Float16.toFloat((short) 0xfc00));
    assertTrue(Float.isNaN(Float16.toFloat((short) 0x7e00)));
    assertEquals(0x80000000, Float.floatToRawIntBits(Float16.toFloat((short) 0x8000)));
    assertEquals(0.33325195f, Float16.toFloat((short) 0x3555));
  }

  @Test
  void knownValuesNarrowToTheirPatterns() {
    assertBits(0x3c00, 1.0f);
    assertBits(0xc000, -2.0f);
    assertBits(0x7bff, 65504.0f);
    assertBits(0x0001, 0x1p-24f);
    assertBits(0x0400, 0x1p-14f);
    assertBits(0x0000, 0.0f);
    assertBits(0x8000, -0.0f);
    assertBits(0x7c00, Float.POSITIVE_INFINITY);
    assertBits(0xfc00, Float.NEGATIVE_INFINITY);
    assertBits(0x7c00, 1e6f);
    assertBits(0x3555, 1.0f / 3.0f);
  }

  @Test
  void nanStaysNan() {
    short bits = Float16.fromFloat(Float.NaN);
    assertEquals(0x7c00, bits & 0x7c00);
    assertTrue((bits & 0x03ff) != 0, "NaN keeps a non-zero mantissa");
    assertTrue(Float.isNaN(Float16.toFloat(bits)));
  }

  @Test
  void roundingIsToNearestTiesToEven() {
    // Between 1.0 (0x3c00) and 1+2^-10 (0x3c01): halfway ties to the even 0x3c00.
    assertBits(0x3c00, 1.0f + 0x1p-11f);
    // Just above halfway rounds up.
    assertBits(0x3c01, 1.0f + 0x1p-11f + 0x1p-20f);
    // Halfway between 0x3c01 and 0x3c02 ties to the even 0x3c02.
    assertBits(0x3c02, 1.0f + 0x1p-10f + 0x1p-11f);
    // 65520 is halfway between 65504 and the next (infinite) step: ties to even = infinity.
    assertBits(0x7c00, 65520.0f);
    assertBits(0x7bff, 65519.0f);
    // Subnormals: 2^-25 is halfway between 0 and 2^-24: ties to even = 0.
    assertBits(0x0000, 0x1p-25f);
    assertBits(0x0001, 0x1.8p-25f);
    // 1.5 * 2^-24 is halfway between 0x0001 and 0x0002: ties to even = 0x0002.
    assertBits(0x0002, 0x1.8p-24f);
    // 2.5 * 2^-24 ties to 0x0002.
    assertBits(0x0002, 0x1.4p-23f);
    // Rounding the largest subnormal up gives the smallest normal.
    assertBits(0x0400, 0x3ff.8p-24f);
    assertBits(0x0000, 0x1p-30f);
  }

  @Test
  void everyFiniteHalfRoundTrips() {
    for (int h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) == 0x7c00) {
        continue;
      }
      float f = Float16.toFloat((short) h);
      assertEquals(h, Float16.fromFloat(f) & 0xffff, "bits " + Integer.toHexString(h));
    }
  }
}
