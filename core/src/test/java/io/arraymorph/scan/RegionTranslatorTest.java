package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.scan.DimPredicate.And;
import io.arraymorph.scan.DimPredicate.Compare;
import io.arraymorph.scan.DimPredicate.In;
import io.arraymorph.scan.DimPredicate.Op;
import io.arraymorph.scan.DimPredicate.Or;
import io.arraymorph.scan.DimPredicate.Unknown;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Filters on dimension indices become exactly the indices they select, checked index by index. */
class RegionTranslatorTest {
  private static final long[] SHAPE = {20, 30};
  private final RegionTranslator translator = new RegionTranslator(SHAPE);

  /** Every index of the shape in the region exactly once, and only those {@code keep} accepts. */
  private static void assertSelects(Region r, Predicate<long[]> keep) {
    long expected = 0;
    for (long i = 0; i < SHAPE[0]; i++) {
      for (long j = 0; j < SHAPE[1]; j++) {
        long[] idx = {i, j};
        long hits = r.boxes().stream().filter(b -> contains(b, idx)).count();
        assertEquals(keep.test(idx) ? 1 : 0, hits, "index " + i + "," + j);
        expected += keep.test(idx) ? 1 : 0;
      }
    }
    assertEquals(expected, r.size());
  }

  private static boolean contains(Region.Box b, long[] idx) {
    for (int d = 0; d < idx.length; d++) {
      if (idx[d] < b.lo()[d] || idx[d] >= b.hi()[d]) {
        return false;
      }
    }
    return true;
  }

  @Test
  void comparisonsSelectHalfOpenRanges() {
    assertSelects(translator.translate(new Compare(0, Op.LT, 5)), i -> i[0] < 5);
    assertSelects(translator.translate(new Compare(0, Op.LE, 5)), i -> i[0] <= 5);
    assertSelects(translator.translate(new Compare(1, Op.GT, 27)), i -> i[1] > 27);
    assertSelects(translator.translate(new Compare(1, Op.GE, 27)), i -> i[1] >= 27);
    assertSelects(translator.translate(new Compare(1, Op.EQ, 3)), i -> i[1] == 3);
  }

  @Test
  void outOfRangeValuesSelectNothingOrEverything() {
    assertEquals(0, translator.translate(new Compare(0, Op.GT, Long.MAX_VALUE)).size());
    assertEquals(0, translator.translate(new Compare(0, Op.LT, -4)).size());
    assertEquals(600, translator.translate(new Compare(0, Op.GE, -4)).size());
  }

  @Test
  void andIntersectsOrUnitesWithoutDuplicates() {
    DimPredicate box =
        new And(
            new Compare(0, Op.GE, 2), new And(new Compare(0, Op.LT, 9), new Compare(1, Op.LE, 4)));
    assertSelects(translator.translate(box), i -> i[0] >= 2 && i[0] < 9 && i[1] <= 4);
    DimPredicate cross = new Or(new Compare(0, Op.EQ, 7), new Compare(1, Op.EQ, 11));
    Region r = translator.translate(cross);
    assertSelects(r, i -> i[0] == 7 || i[1] == 11);
    assertTrue(r.isExact());
  }

  @Test
  void inListsMergeAdjacentValues() {
    Region r = translator.translate(new In(1, new long[] {9, 3, 4, 5, 29, 40}));
    assertSelects(r, i -> List.of(3L, 4L, 5L, 9L, 29L).contains(i[1]));
    assertEquals(3, r.boxes().size(), "3..5, 9, 29");
  }

  @Test
  void unknownConditionsWidenToASupersetMarkedInexact() {
    Region r = translator.translate(new And(new Compare(0, Op.LT, 3), new Unknown()));
    assertSelects(r, i -> i[0] < 3);
    assertFalse(r.isExact());
    assertFalse(translator.translate(new Or(new Compare(0, Op.LT, 3), new Unknown())).isExact());
  }

  @Test
  void flippedOperatorsSwapOperands() {
    assertEquals(Op.GT, Op.LT.flipped());
    assertEquals(Op.LE, Op.GE.flipped());
    assertEquals(Op.EQ, Op.EQ.flipped());
  }
}
