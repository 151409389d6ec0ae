package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ChunkAggregateTest {

  private static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  @Test
  void floatsAreWidenedThenSummedInFourInterleavedPartialSums() {
    float[] v = {0.1f, 0.2f, 1e8f, -1e8f, 0.3f, 1e-3f, 7f, -2.5f, 0.7f, 3e7f};
    ChunkAggregate a = new ChunkAggregate(DataType.FLOAT32, true);
    a.add(floats(v), 0, 4);
    a.add(floats(v), 4, 6);
    // Each run: element t into partial sum t % 4 for the whole groups of four, the tail into the
    // first, combined pairwise and added to the running sum.
    double want = 0;
    want += ((double) 0.1f + (double) 0.2f) + ((double) 1e8f + (double) -1e8f);
    double s0 = (double) 0.3f + (double) 0.7f + (double) 3e7f;
    want += (s0 + (double) 1e-3f) + ((double) 7f + (double) -2.5f);
    assertEquals(want, a.doubleSum(), 0.0);
    assertEquals(10, a.count());
    assertEquals(-1e8f, a.doubleMin(), 0.0);
    assertEquals(1e8f, a.doubleMax(), 0.0);
  }

  @Test
  void float64RunsAreSummedWithinRoundingOfTheScanOrder() {
    java.util.Random random = new java.util.Random(15);
    int n = 1001;
    ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
    double inOrder = 0;
    double magnitude = 0;
    for (int t = 0; t < n; t++) {
      double x = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12));
      b.putDouble(x);
      inOrder += x;
      magnitude += Math.abs(x);
    }
    ChunkAggregate a = new ChunkAggregate(DataType.FLOAT64, false);
    a.add(b.array(), 0, n);
    assertEquals(inOrder, a.doubleSum(), magnitude * 1e-13);
    assertEquals(n, a.count());
  }

  @Test
  void nanIsTheLargestValueAndMinSkipsIt() {
    ChunkAggregate a = new ChunkAggregate(DataType.FLOAT32, true);
    a.add(floats(Float.NaN, 3f, Float.POSITIVE_INFINITY, -2f), 0, 4);
    assertTrue(Double.isNaN(a.doubleMax()));
    assertEquals(-2.0, a.doubleMin(), 0.0);
    assertTrue(Double.isNaN(a.doubleSum()));
    ChunkAggregate allNaN = new ChunkAggregate(DataType.FLOAT32, true);
    allNaN.add(floats(Float.NaN, Float.NaN), 0, 2);
    assertTrue(Double.isNaN(allNaN.doubleMin()));
  }

  @Test
  void signedZerosTieAndTheFirstIsKept() {
    ChunkAggregate a = new ChunkAggregate(DataType.FLOAT32, true);
    a.add(floats(-0.0f, 0.0f), 0, 2);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(a.doubleMin()));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(a.doubleMax()));
  }

  @Test
  void unsignedIntegersAreZeroExtended() {
    ChunkAggregate a = new ChunkAggregate(DataType.UINT32, false);
    byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(1).array();
    a.add(b, 0, 2);
    assertEquals(4294967296L, a.longSum());
    assertEquals(1, a.longMin());
    assertEquals(4294967295L, a.longMax());
    ChunkAggregate u8 = new ChunkAggregate(DataType.UINT8, false);
    u8.add(new byte[] {(byte) 200, 7}, 1, 1);
    assertEquals(7, u8.longSum());
    assertEquals(1, u8.count());
  }

  @Test
  void aLongSumOverflowIsRefusedNamingTheOption() {
    ChunkAggregate a = new ChunkAggregate(DataType.INT64, false);
    byte[] b =
        ByteBuffer.allocate(16)
            .order(ByteOrder.LITTLE_ENDIAN)
            .putLong(Long.MAX_VALUE)
            .putLong(1)
            .array();
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> a.add(b, 0, 2));
    assertTrue(e.getMessage().contains("push_aggregates=false"), e.getMessage());
  }

  @Test
  void uint64AndBoolAreNotAggregated() {
    assertFalse(ChunkAggregate.supports(DataType.UINT64));
    assertFalse(ChunkAggregate.supports(DataType.BOOL));
    assertThrows(IllegalArgumentException.class, () -> new ChunkAggregate(DataType.UINT64, true));
  }

  @Test
  void runsOutsideTheBufferFail() {
    ChunkAggregate a = new ChunkAggregate(DataType.FLOAT32, false);
    assertThrows(IllegalStateException.class, () -> a.add(floats(1f), 0, 2));
  }
}
