package io.arraymorph.spark.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class SparkChunkChoiceTest {
  @Test
  void chosenChunksHoldAboutTwoMebibytes() {
    assertArrayEquals(new int[] {512, 512}, SparkWriteBuilder.chooseChunks(new long[] {-1, -1}, 8));
    assertArrayEquals(new int[] {262144}, SparkWriteBuilder.chooseChunks(new long[] {-1}, 8));
    assertArrayEquals(
        new int[] {100, 100}, SparkWriteBuilder.chooseChunks(new long[] {100, 100}, 4));
  }

  @Test
  void smallDimensionsAreTakenWholeAndTheRestGetsTheBudget() {
    assertArrayEquals(
        new int[] {3, 87381}, SparkWriteBuilder.chooseChunks(new long[] {3, 1_000_000}, 8));
    assertArrayEquals(
        new int[] {64, 64, 64}, SparkWriteBuilder.chooseChunks(new long[] {-1, -1, -1}, 8));
  }
}
