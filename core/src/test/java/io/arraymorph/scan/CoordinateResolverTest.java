package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.scan.DimPredicate.And;
import io.arraymorph.scan.DimPredicate.CoordCompare;
import io.arraymorph.scan.DimPredicate.CoordIn;
import io.arraymorph.scan.DimPredicate.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Coordinate conditions become index boxes per file; files no value can match are pruned. */
class CoordinateResolverTest {
  private static final long[] SHAPE = {8, 4};

  private static CoordinateIndex days(long firstDay) {
    long[] t = new long[8];
    for (int i = 0; i < 8; i++) {
      t[i] = (firstDay + i) * 86_400_000_000L;
    }
    return CoordinateIndex.sorted(t).orElseThrow();
  }

  private static final CoordinateIndex LAT =
      CoordinateIndex.sorted(new double[] {30, 10, -10, -30}).orElseThrow();

  private static Region region(DimPredicate p, CoordinateIndex time) {
    return new RegionTranslator(SHAPE)
        .translate(new CoordinateResolver(new CoordinateIndex[] {time, LAT}).resolve(p));
  }

  @Test
  void timeBetweenAndLatitudeEqualsSelectOneBox() {
    DimPredicate p =
        new And(
            new And(
                new CoordCompare(0, Op.GE, 2 * 86_400_000_000L),
                new CoordCompare(0, Op.LE, 4 * 86_400_000_000L)),
            new CoordCompare(1, Op.EQ, -10.0));
    Region r = region(p, days(0));
    assertEquals(1, r.boxes().size());
    assertEquals("[2, 2]", java.util.Arrays.toString(r.boxes().get(0).lo()));
    assertEquals("[5, 3]", java.util.Arrays.toString(r.boxes().get(0).hi()));
  }

  @Test
  void inListUnitesTheValuesPresentAndSkipsAbsentOnes() {
    Region r = region(new CoordIn(1, new Number[] {30.0, -30.0, 5.0}), days(0));
    assertEquals(2 * 8, r.size());
  }

  @Test
  void aDimensionWithoutIndexKeepsEveryIndexAsInexact() {
    Region r =
        new RegionTranslator(SHAPE)
            .translate(
                new CoordinateResolver(new CoordinateIndex[] {null, LAT})
                    .resolve(new CoordCompare(0, Op.EQ, 0L)));
    assertEquals(32, r.size());
    assertFalse(r.isExact());
    assertTrue(CoordinateResolver.hasCoordinates(new CoordCompare(0, Op.EQ, 0L)));
  }

  @Test
  void filesWhoseTimesCannotMatchArePruned() {
    // Three files of 8 days each; "time >= day 10 and time < day 12" lives in the second only.
    DimPredicate p =
        new And(
            new CoordCompare(0, Op.GE, 10 * 86_400_000_000L),
            new CoordCompare(0, Op.LT, 12 * 86_400_000_000L));
    List<Region> byFile =
        CoordinateResolver.regions(
            p, List.of(SHAPE, SHAPE, SHAPE), (f, d) -> d == 0 ? days(8L * f) : null);
    assertEquals(0, byFile.get(0).size());
    assertEquals(2 * 4, byFile.get(1).size());
    assertEquals(0, byFile.get(2).size());
    // The same pruning from recorded min/max alone (what a manifest gives).
    List<Region> fromBounds =
        CoordinateResolver.regions(
            p,
            List.of(SHAPE, SHAPE, SHAPE),
            (f, d) ->
                d == 0
                    ? CoordinateIndex.bounds(
                        8, 8L * f * 86_400_000_000L, (8L * f + 7) * 86_400_000_000L)
                    : null);
    assertEquals(0, fromBounds.get(0).size());
    assertEquals(32, fromBounds.get(1).size());
    assertEquals(0, fromBounds.get(2).size());
  }
}
