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
 * (single elements, runs within and across bitmap words, whole words, a partial last word), in both
 * forms of the index of given elements (bitmap for dense fragments, positions for sparse ones), and
 * a fragment whose index disagrees with its values is refused.
 */
class FragmentCodecTest {
  private static final int SIZE = 4;
  private static final java.nio.ByteOrder LE = java.nio.ByteOrder.LITTLE_ENDIAN;

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
  void aSparseFragmentStoresPositionsInAboutOneBytePerGivenElement() {
    // A sixteenth of a 512 x 512 chunk in random positions: what a task of the benchmark's
    // random-order write stages for each chunk. The bitmap alone would take 32 KiB.
    int elements = 512 * 512;
    Random r = new Random(7);
    BitSet bits = new BitSet();
    while (bits.cardinality() < elements / 16) {
      bits.set(r.nextInt(elements));
    }
    int count = bits.cardinality();
    byte[] encoded = FragmentCodec.encode(chunk(elements, bits::get), SIZE);
    assertEquals(0x414d4650, java.nio.ByteBuffer.wrap(encoded).order(LE).getInt());
    long index = encoded.length - 20L - (long) count * SIZE;
    assertTrue(index < count * 1.05, index + " bytes of positions for " + count + " elements");
    roundTrip(elements, bits::get);
  }

  @Test
  void aDenseFragmentKeepsTheBitmap() {
    byte[] encoded = FragmentCodec.encode(chunk(4096, e -> e % 3 != 0), SIZE);
    assertEquals(0x414d4652, java.nio.ByteBuffer.wrap(encoded).order(LE).getInt());
    assertEquals(16 + 4096 / 8 + 2730 * SIZE, encoded.length);
  }

  @Test
  void positionsThatLeaveTheChunkOrDisagreeWithTheirCountAreRefused() {
    byte[] good = FragmentCodec.encode(chunk(1000, e -> e % 50 == 7), SIZE);
    assertEquals(0x414d4650, java.nio.ByteBuffer.wrap(good).order(LE).getInt());
    // Header 20 bytes, then 20 one-byte gaps (7, then 49 each), then the values.
    byte[] beyond = good.clone();
    beyond[20 + 19] = 0x7f; // the last position moves from 957 to 1035, outside the chunk
    byte[] unterminated = good.clone();
    unterminated[20 + 19] = (byte) 0x81; // the last gap runs on into the values
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    for (byte[] bad : new byte[][] {beyond, unterminated, truncated}) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> FragmentCodec.decode(bad, "pack-2", SIZE, 1000));
      assertTrue(e.getMessage().contains("pack-2"), e.getMessage());
    }
    assertEquals(20, FragmentCodec.decode(good, "pack-2", SIZE, 1000).given().cardinality());
  }

  @Test
  void aBitmapThatDisagreesWithItsValuesIsRefused() {
    byte[] encoded = FragmentCodec.encode(chunk(128, e -> e < 100), SIZE);
    // Set one more bit in the bitmap (which starts after the 16-byte header): element 104.
    encoded[16 + 13] |= 1;
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
