package io.arraymorph.bench;

import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** The benchmark arrays: a smooth float32 field and an ML-style uint8 image stack. */
public final class BenchData {
  public static final int N = 8192;
  public static final int CHUNK = 512;
  public static final int SAMPLES = 60_000;
  public static final int SAMPLE_SIDE = 28;
  public static final int SAMPLES_PER_CHUNK = 1000;

  private BenchData() {}

  /** The value at (i, j) of the 2-D array: a smooth field with a little texture. */
  public static float value(long i, long j) {
    return (float) (100 * Math.sin(i * 0.001) * Math.cos(j * 0.002)) + ((i ^ j) & 7) * 0.125f;
  }

  /** The whole n x n float32 array, little-endian. */
  public static NdArray field(int n) {
    byte[] bytes = new byte[Math.multiplyExact(n * n, 4)];
    FloatBuffer fb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] row = new float[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        row[j] = value(i, j);
      }
      fb.put(row);
    }
    return NdArray.wrap(DataType.FLOAT32, new long[] {n, n}, bytes);
  }

  /** The sum of the field's values, computed as Spark's sum(value) would (in double). */
  public static double fieldSum(int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        s += value(i, j);
      }
    }
    return s;
  }

  /** A (samples, 28, 28) uint8 stack of "images". */
  public static NdArray images(int samples) {
    int per = SAMPLE_SIDE * SAMPLE_SIDE;
    byte[] bytes = new byte[samples * per];
    for (int s = 0; s < samples; s++) {
      for (int k = 0; k < per; k++) {
        int y = k / SAMPLE_SIDE;
        int x = k % SAMPLE_SIDE;
        bytes[s * per + k] = (byte) ((s * 7 + (x - 14) * (x - 14) + (y - 14) * (y - 14)) & 0xFF);
      }
    }
    return NdArray.wrap(DataType.UINT8, new long[] {samples, SAMPLE_SIDE, SAMPLE_SIDE}, bytes);
  }
}
