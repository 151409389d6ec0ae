package io.arraymorph.rechunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The planner's regions of a one-stage plan and its cost model, on the shape of the 2,000-granule
 * benchmark: {@code tas} 16000 x 90 x 180 float32 from chunks (1, 90, 180) to (16000, 5, 5).
 */
class RechunkPlannerTest {
  private static final long[] SHAPE = {16000, 90, 180};
  private static final int[] TARGET = {16000, 5, 5};
  private static final int[] SOURCE = {1, 90, 180};
  private static final long SOURCE_CHUNKS = 16000;
  private static final long SOURCE_CHUNK_BYTES = 90L * 180 * 4;
  private static final long ARRAY_BYTES = 16000L * 90 * 180 * 4;

  private static RechunkPlanner.Regions regions(long memory, int parallelism) {
    return RechunkPlanner.Regions.of(SHAPE, TARGET, SOURCE, 4, memory, parallelism);
  }

  private static boolean oneStageCheaper(RechunkPlanner.Regions r) {
    return RechunkPlanner.extraReadNanos(r, SOURCE_CHUNKS, SOURCE_CHUNK_BYTES)
        <= RechunkPlanner.shuffleNanos(ARRAY_BYTES);
  }

  @Test
  void aBudgetForHalfTheTargetChunksGivesTwoRegionsThatEachReadEverySourceChunk() {
    RechunkPlanner.Regions r = regions(640L << 20, 2);
    assertArrayEquals(new long[] {16000, 45, 180}, r.block(), "whole rows of target chunks");
    assertEquals(2, r.groups());
    assertEquals(2 * SOURCE_CHUNKS, r.sourceReads(), "each source chunk read by both regions");
    assertTrue(oneStageCheaper(r), "rereading 1 GB once costs less than shuffling it");
  }

  /** As measured at 256 MiB on the benchmark: 5 regions 9.24 s of CPU, two stages 10.30 s. */
  @Test
  void theDefaultBudgetNeedsFiveRegionsThatCostLessThanTheShuffle() {
    RechunkPlanner.Regions r = regions(256L << 20, 2);
    assertEquals(5, r.groups(), "four rows of 1.6 MB target chunks (230 MB) fit, five do not");
    assertEquals(5 * SOURCE_CHUNKS, r.sourceReads());
    assertTrue(oneStageCheaper(r), "rereading 1 GB four more times costs less than a shuffle");
  }

  @Test
  void sixRegionsOrMoreRereadSoOftenThatTheShuffleIsCheaper() {
    RechunkPlanner.Regions r = regions(200L << 20, 2);
    assertEquals(6, r.groups(), "three rows of 1.6 MB target chunks (173 MB) fit, four do not");
    assertTrue(!oneStageCheaper(r), "rereading 1 GB five more times costs more than a shuffle");
    assertTrue(!oneStageCheaper(regions(64L << 20, 2)), "and so do smaller budgets");
  }

  @Test
  void smallerBudgetsGiveMoreRegionsEachWithinTheBudget() {
    long previous = 0;
    long chunkBytes = 16000L * 5 * 5 * 4;
    for (long memory : new long[] {1L << 30, 256L << 20, 64L << 20, 8L << 20}) {
      RechunkPlanner.Regions r = regions(memory, 1);
      assertTrue(r.groups() > previous, r.groups() + " regions at " + memory);
      long held = r.block()[1] / 5 * (r.block()[2] / 5) * chunkBytes;
      assertTrue(
          held <= memory || held == chunkBytes, held + " bytes of target chunks at " + memory);
      previous = r.groups();
    }
  }

  @Test
  void moreTasksThanTheBudgetNeedsDoNotRereadEverySourceChunk() {
    assertEquals(1, regions(4L << 30, 1).groups(), "the whole array fits one task");
    assertEquals(
        1, regions(4L << 30, 2).groups(), "two regions would each read every source chunk");
    assertEquals(SOURCE_CHUNKS, regions(4L << 30, 2).sourceReads(), "one region reads once");
  }

  @Test
  void aRunnerWorkingOnMoreTasksGetsAsManyRegionsWhereTheyRereadNothing() {
    // Target chunks (10) and source chunks (5) nest: four regions read each source chunk once.
    RechunkPlanner.Regions r =
        RechunkPlanner.Regions.of(new long[] {100}, new int[] {10}, new int[] {5}, 8, 64L << 20, 4);
    assertTrue(r.groups() >= 4, r.groups() + " regions: at least one per task at once");
    assertEquals(20, r.sourceReads(), "each of the 20 source chunks once");
  }

  @Test
  void regionsAlongASourceChunkBoundaryReadNoChunkTwice() {
    // Target chunks (10) and source chunks (5) nest along the only dimension: each region reads
    // its own source chunks.
    RechunkPlanner.Regions r =
        RechunkPlanner.Regions.of(new long[] {100}, new int[] {10}, new int[] {5}, 8, 400, 1);
    assertEquals(20, r.sourceReads(), "each of the 20 source chunks once");
    assertTrue(r.groups() > 1, r.groups() + " regions");
  }
}
