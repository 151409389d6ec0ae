package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.scan.DimPredicate.Op;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Conditions on coordinate values become exactly the indices a linear scan selects, for increasing
 * and decreasing coordinates with repeats, values present and absent, and bounds past both ends.
 */
class CoordinateIndexTest {

  /** The indices a linear scan finds, as [lo, hi); fails when they are not contiguous. */
  private static long[] scan(Number[] values, Op op, Number x) {
    long lo = -1;
    long hi = -1;
    for (int i = 0; i < values.length; i++) {
      int c = CoordinateIndex.compare(values[i], x);
      boolean holds =
          switch (op) {
            case EQ -> c == 0;
            case LT -> c < 0;
            case LE -> c <= 0;
            case GT -> c > 0;
            case GE -> c >= 0;
          };
      if (holds) {
        assertTrue(lo < 0 || hi == i, "matches of " + op + " " + x + " are contiguous");
        lo = lo < 0 ? i : lo;
        hi = i + 1L;
      }
    }
    return lo < 0 ? null : new long[] {lo, hi};
  }

  private static void assertExact(CoordinateIndex index, Number[] values, Number[] probes) {
    for (Op op : Op.values()) {
      for (Number x : probes) {
        long[] expected = scan(values, op, x);
        long[] got = index.range(op, x);
        if (expected == null) {
          assertEquals(
              got[0], got[1], op + " " + x + " selects nothing in " + Arrays.toString(values));
        } else {
          assertArrayEquals(expected, got, op + " " + x + " in " + Arrays.toString(values));
        }
      }
    }
  }

  @Test
  void timestampsIncreasingAndDecreasingWithRepeatsSelectExactlyTheMatchingIndices() {
    Random rnd = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      int n = rnd.nextInt(12);
      long[] v = new long[n];
      long t = rnd.nextInt(100) - 50L;
      for (int i = 0; i < n; i++) {
        t += rnd.nextInt(3); // repeats allowed
        v[i] = t;
      }
      if (trial % 2 == 1) {
        for (int i = 0; i < n / 2; i++) {
          long s = v[i];
          v[i] = v[n - 1 - i];
          v[n - 1 - i] = s;
        }
      }
      Number[] boxed = Arrays.stream(v).boxed().toArray(Number[]::new);
      Number[] probes = new Number[30];
      for (int k = 0; k < probes.length; k++) {
        probes[k] = (long) (rnd.nextInt(140) - 70);
      }
      assertExact(CoordinateIndex.sorted(v).orElseThrow(), boxed, probes);
    }
  }

  @Test
  void descendingFloatLatitudesMatchStoredValuesExactly() {
    float[] lat = {89.5f, 45.5f, 45.5f, 0.1f, 0f, -45.5f, -89.5f};
    double[] widened = new double[lat.length];
    for (int i = 0; i < lat.length; i++) {
      widened[i] = lat[i]; // Spark compares a float column with a double literal after widening
    }
    CoordinateIndex index = CoordinateIndex.sorted(widened).orElseThrow();
    Number[] boxed = Arrays.stream(widened).boxed().toArray(Number[]::new);
    assertExact(
        index, boxed, new Number[] {45.5, 0.1, (double) 0.1f, -0.0, 0.0, 90.0, -90.0, 1e300});
    assertArrayEquals(new long[] {1, 3}, index.range(Op.EQ, 45.5));
    long[] absent = index.range(Op.EQ, 0.1); // 0.1 is not the stored float 0.1f
    assertEquals(absent[0], absent[1]);
    assertArrayEquals(new long[] {3, 4}, index.range(Op.EQ, (double) 0.1f));
    assertArrayEquals(new long[] {4, 5}, index.range(Op.EQ, -0.0));
  }

  @Test
  void nonMonotonicOrNaNCoordinatesGiveNoIndex() {
    assertTrue(CoordinateIndex.sorted(new long[] {1, 3, 2}).isEmpty());
    assertTrue(CoordinateIndex.sorted(new double[] {1, Double.NaN, 2}).isEmpty());
    assertTrue(CoordinateIndex.sorted(new double[] {3, 1, 2}).isEmpty());
    assertTrue(CoordinateIndex.sorted(new double[] {}).isPresent());
  }

  @Test
  void aNaNValueKeepsEveryIndex() {
    CoordinateIndex index = CoordinateIndex.sorted(new double[] {1, 2, 3}).orElseThrow();
    for (Op op : Op.values()) {
      assertArrayEquals(new long[] {0, 3}, index.range(op, Double.NaN));
    }
  }

  @Test
  void boundsSelectAllOrNothing() {
    CoordinateIndex b = CoordinateIndex.bounds(8, 100L, 200L);
    assertArrayEquals(new long[] {0, 8}, b.range(Op.EQ, 100L));
    assertArrayEquals(new long[] {0, 8}, b.range(Op.EQ, 200L));
    assertArrayEquals(new long[] {0, 0}, b.range(Op.EQ, 201L));
    assertArrayEquals(new long[] {0, 0}, b.range(Op.LT, 100L));
    assertArrayEquals(new long[] {0, 8}, b.range(Op.LE, 100L));
    assertArrayEquals(new long[] {0, 0}, b.range(Op.GT, 200L));
    assertArrayEquals(new long[] {0, 8}, b.range(Op.GE, 200L));
    assertArrayEquals(new long[] {0, 8}, b.range(Op.GT, 150L));
  }

  @Test
  void longsAndDoublesCompareExactly() {
    assertEquals(0, CoordinateIndex.compare(1L << 60, (double) (1L << 60)));
    assertTrue(CoordinateIndex.compare((1L << 60) + 1, (double) (1L << 60)) > 0);
    assertEquals(0, CoordinateIndex.compare(-0.0, 0.0));
  }
}
