package io.arraymorph.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RangeGroupsTest {
  private final byte[] object = new byte[3 * RangeGroups.MAX_GROUP];

  RangeGroupsTest() {
    new Random(7).nextBytes(object);
  }

  /** Reads like a store: the bytes of the range that exist, recording each request. */
  private CompletableFuture<byte[]> get(List<long[]> requests, long offset, int length) {
    requests.add(new long[] {offset, length});
    int from = (int) Math.min(offset, object.length);
    int to = (int) Math.min(offset + length, object.length);
    return CompletableFuture.completedFuture(Arrays.copyOfRange(object, from, to));
  }

  private byte[][] read(List<long[]> requests, long[] offsets, int[] lengths) {
    byte[][] got = new byte[offsets.length][];
    RangeGroups.read(
            offsets,
            lengths,
            (i, bytes, length) -> got[i] = Arrays.copyOf(bytes, length),
            (o, l) -> get(requests, o, l))
        .join();
    return got;
  }

  private void assertEachRangeHasItsBytes(long[] offsets, int[] lengths, byte[][] got) {
    for (int i = 0; i < offsets.length; i++) {
      int from = (int) Math.min(offsets[i], object.length);
      int to = (int) Math.min(offsets[i] + lengths[i], object.length);
      assertArrayEquals(Arrays.copyOfRange(object, from, to), got[i], "range " + i);
    }
  }

  @Test
  void adjacentAndNearbyRangesInAnyOrderShareOneRequestAndEachGetsItsOwnBytes() {
    long[] offsets = {5000, 0, 1200, 1000 + RangeGroups.MAX_GAP + 1300};
    int[] lengths = {700, 1000, 3000, 50};
    List<long[]> requests = new ArrayList<>();
    byte[][] got = read(requests, offsets, lengths);
    assertEachRangeHasItsBytes(offsets, lengths, got);
    assertEquals(1, requests.size());
    assertArrayEquals(new long[] {0, 1000 + RangeGroups.MAX_GAP + 1350}, requests.get(0));
    assertEquals(1, RangeGroups.requests(offsets, lengths));
  }

  @Test
  void rangesFartherApartThanTheGapOrBeyondTheGroupSizeAreSeparateRequests() {
    long[] offsets = {0, 100 + RangeGroups.MAX_GAP + 1, 2L * RangeGroups.MAX_GROUP};
    int[] lengths = {100, RangeGroups.MAX_GROUP, 10};
    List<long[]> requests = new ArrayList<>();
    byte[][] got = read(requests, offsets, lengths);
    assertEachRangeHasItsBytes(offsets, lengths, got);
    assertEquals(3, requests.size());
    assertEquals(3, RangeGroups.requests(offsets, lengths));
  }

  @Test
  void aGroupReachingPastTheObjectsEndGivesEachRangeOnlyTheBytesThatExist() {
    long end = object.length;
    long[] offsets = {end - 30, end - 10, end + 5};
    int[] lengths = {10, 40, 8};
    List<long[]> requests = new ArrayList<>();
    byte[][] got = read(requests, offsets, lengths);
    assertEachRangeHasItsBytes(offsets, lengths, got);
    assertEquals(0, got[2].length);
    assertEquals(1, requests.size());
  }

  @Test
  void noRangesMakeNoRequest() {
    List<long[]> requests = new ArrayList<>();
    read(requests, new long[0], new int[0]);
    assertEquals(0, requests.size());
    assertEquals(0, RangeGroups.requests(new long[0], new int[0]));
  }
}
