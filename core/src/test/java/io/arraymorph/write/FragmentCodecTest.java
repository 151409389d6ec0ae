package io.arraymorph.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.DataType;
import java.util.BitSet;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Fragments survive encoding and decoding value for value, whatever the pattern of given elements
 * (single elements, runs within and across bitmap words, whole words, a partial last word), and a
 * fragment whose bitmap disagrees with its values is refused.
 */
class FragmentCodecTest {
  private static final int SIZE = 4;

  /** A chunk of {@code elements} int32 values where element e, when given, holds e * 7 + 1. */
  private static ChunkBuffer chunk(int elements, IntPredicate given) {
    ChunkBuffer b =
        new ChunkBuffer(new long[] {0}, DataType.INT32, new int[] {elements}, new byte[4]);
    for (int e = 0; e < elements; e++) {
      if (given.test(e)) {
        assertTrue(b.claim(e));
        b.setLong(e, e * 7L + 1);
      }
    }
    return b;
  }

  private static void roundTrip(int elements, IntPredicate given) {
    ChunkBuffer b = chunk(elements, given);
    byte[] encoded = FragmentCodec.encode(b, SIZE);
    FragmentCodec.Decoded d = FragmentCodec.decode(encoded, "k", SIZE, elements);
    assertEquals(b.given(), d.given());
    byte[] dest = new byte[elements * SIZE];
    d.copyTo(dest);
    // Elements not given stay as the destination had them (zero here).
    byte[] expected = new byte[elements * SIZE];
    byte[] src = b.bytes();
    for (int e = 0; e < elements; e++) {
      if (given.test(e)) {
        System.arraycopy(src, e * SIZE, expected, e * SIZE, SIZE);
      }
    }
    assertArrayEquals(expected, dest);
    // Decoding twice gives the same values (copyTo leaves the decoded bitmap intact).
    byte[] again = new byte[elements * SIZE];
    d.copyTo(again);
    assertArrayEquals(expected, again);
  }

  @Test
  void everyPatternOfGivenElementsRoundTrips() {
    roundTrip(1000, e -> e % 16 == 3);
    roundTrip(1000, e -> true);
    roundTrip(1000, e -> false);
    roundTrip(1000, e -> e >= 60 && e < 200);
    roundTrip(1000, e -> e >= 63 && e < 65);
    roundTrip(1000, e -> e == 0 || e == 999);
    roundTrip(64 * 5, e -> e >= 64 && e < 64 * 4);
    roundTrip(64 * 5 + 7, e -> e >= 100);
    roundTrip(70, e -> e % 2 == 0);
    Random r = new Random(42);
    for (int t = 0; t < 50; t++) {
      BitSet bits = new BitSet();
      int elements = 1 + r.nextInt(700);
      double density = r.nextDouble();
      for (int e = 0; e < elements; e++) {
        if (r.nextDouble() < density) {
          bits.set(e);
        }
      }
      roundTrip(elements, bits::get);
    }
  }

  @Test
  void aBitmapThatDisagreesWithItsValuesIsRefused() {
    byte[] encoded = FragmentCodec.encode(chunk(128, e -> e < 10), SIZE);
    // Set one more bit in the bitmap (which starts after the 16-byte header).
    encoded[16 + 3] |= 1;
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> FragmentCodec.decode(encoded, "pack-1", SIZE, 128));
    assertTrue(e.getMessage().contains("pack-1"), e.getMessage());
  }

  @Test
  void claimingAFragmentThatOverlapsRefusesItAndNamesTheFirstElementGivenTwice() {
    ChunkBuffer b = chunk(200, e -> e >= 100 && e < 120);
    BitSet other = new BitSet();
    other.set(50, 110);
    assertEquals(100, b.claimAll(other));
    assertEquals(20, b.claimed());
    BitSet disjoint = new BitSet();
    disjoint.set(0, 100);
    assertEquals(-1, b.claimAll(disjoint));
    assertEquals(120, b.claimed());
  }
}
