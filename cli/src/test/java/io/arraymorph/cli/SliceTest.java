package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.Hyperslab;
import java.util.List;
import org.junit.jupiter.api.Test;

class SliceTest {
  private static final long[] SHAPE = {20, 30};

  private static Hyperslab slab(long[] start, long[] stride, long[] count) {
    return new Hyperslab(start, stride, count, new long[] {1, 1});
  }

  @Test
  void startStopStepBecomeStartStrideCount() {
    assertEquals(
        slab(new long[] {5, 0}, new long[] {1, 2}, new long[] {10, 5}),
        Slice.parse("5:15,0:10:2").resolve(SHAPE));
  }

  @Test
  void countRoundsUpWhenTheStepDoesNotDivideTheRange() {
    assertEquals(4, Slice.parse("0:10:3").resolve(SHAPE).count(0)); // 0, 3, 6, 9
  }

  @Test
  void omittedPartsAndDimensionsSelectEverything() {
    assertEquals(Slice.parse(":,:").resolve(SHAPE), Slice.parse("").resolve(SHAPE));
    assertEquals(
        slab(new long[] {0, 0}, new long[] {1, 1}, new long[] {20, 30}),
        Slice.parse(":").resolve(SHAPE));
    assertEquals(
        slab(new long[] {3, 0}, new long[] {1, 3}, new long[] {17, 10}),
        Slice.parse("[3:, ::3]").resolve(SHAPE));
  }

  @Test
  void negativeIndicesCountFromTheEnd() {
    Hyperslab h = Slice.parse("-1,-5:-1").resolve(SHAPE);
    assertEquals(19, h.start(0));
    assertEquals(1, h.count(0));
    assertEquals(25, h.start(1));
    assertEquals(4, h.count(1));
  }

  @Test
  void emptyRangeSelectsNothing() {
    assertEquals(0, Slice.parse("5:5").resolve(SHAPE).size());
    assertEquals(0, Slice.parse("7:3").resolve(SHAPE).size());
  }

  @Test
  void boundsOutsideTheArrayNameTheDimension() {
    SelectionException e =
        assertThrows(
            SelectionException.class, () -> Slice.parse("0,40").resolve(SHAPE, List.of("y", "x")));
    assertTrue(e.getMessage().contains("dimension 1 (x)"), e.getMessage());
    assertTrue(e.getMessage().contains("[0, 30)"), e.getMessage());
    assertThrows(SelectionException.class, () -> Slice.parse("20").resolve(SHAPE));
    assertThrows(SelectionException.class, () -> Slice.parse("-21").resolve(SHAPE));
    assertThrows(SelectionException.class, () -> Slice.parse("0:21").resolve(SHAPE));
    assertThrows(SelectionException.class, () -> Slice.parse("-25:").resolve(SHAPE));
  }

  @Test
  void malformedTextIsRejectedWhileParsing() {
    for (String bad : new String[] {"a", "1:b", "1:2:3:4", "1,,2", "::0", "::-1", "1.5"}) {
      assertThrows(IllegalArgumentException.class, () -> Slice.parse(bad), bad);
    }
  }
}
