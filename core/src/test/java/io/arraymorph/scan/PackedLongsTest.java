package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedLongsTest {

  @Test
  void extremesNegativesAndRandomValuesRoundTrip() {
    long[] values = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0, Long.MIN_VALUE, Long.MAX_VALUE};
    assertArrayEquals(values, PackedLongs.of(values).toArray());
    Random random = new Random(7);
    long[] mixed = new long[1000];
    for (int i = 0; i < mixed.length; i++) {
      mixed[i] = i % 3 == 0 ? random.nextLong() : random.nextInt(1000) - 500;
    }
    assertArrayEquals(mixed, PackedLongs.of(mixed).toArray());
    assertArrayEquals(new long[0], PackedLongs.of(new long[0]).toArray());
  }

  /** Increasing file offsets a few KiB apart take two bytes each, not eight. */
  @Test
  void increasingOffsetsTakeAboutTwoBytesEach() {
    long[] offsets = new long[1000];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = 1_000_000_000L + i * 4_000L;
    }
    PackedLongs packed = PackedLongs.of(offsets);
    assertEquals(1000, packed.size());
    assertTrue(packed.packedBytes() <= 5 + 2 * 1000, packed.packedBytes() + " bytes");
  }
}
