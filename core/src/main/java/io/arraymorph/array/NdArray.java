package io.arraymorph.array;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An in-memory N-dimensional array: a data type, a shape and the elements in row-major order as
 * little-endian bytes. It is what reads return and writes take.
 */
public final class NdArray {
  private final DataType dataType;
  private final long[] shape;
  private final byte[] data;
  private final ByteBuffer view;

  private NdArray(DataType dataType, long[] shape, byte[] data) {
    this.dataType = dataType;
    this.shape = shape.clone();
    this.data = data;
    this.view = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A zero-filled array. */
  public static NdArray allocate(DataType type, long... shape) {
    return new NdArray(type, shape, new byte[Shapes.checkedIntSize(shape, type.byteSize())]);
  }

  /**
   * Wraps little-endian element bytes without copying.
   *
   * @throws IllegalArgumentException when the byte count does not match the shape
   */
  public static NdArray wrap(DataType type, long[] shape, byte[] littleEndianData) {
    long expected = Shapes.product(shape) * type.byteSize();
    if (littleEndianData.length != expected) {
      throw new IllegalArgumentException(
          "Data of "
              + littleEndianData.length
              + " bytes does not fit shape "
              + Arrays.toString(shape)
              + " of "
              + type.zarrName()
              + " ("
              + expected
              + " bytes)");
    }
    return new NdArray(type, shape, littleEndianData);
  }

  public static NdArray of(int[] values, long... shape) {
    NdArray a = allocate(DataType.INT32, checkShape(values.length, shape));
    a.view.asIntBuffer().put(values);
    return a;
  }

  public static NdArray of(long[] values, long... shape) {
    NdArray a = allocate(DataType.INT64, checkShape(values.length, shape));
    a.view.asLongBuffer().put(values);
    return a;
  }

  public static NdArray of(short[] values, long... shape) {
    NdArray a = allocate(DataType.INT16, checkShape(values.length, shape));
    a.view.asShortBuffer().put(values);
    return a;
  }

  public static NdArray of(float[] values, long... shape) {
    NdArray a = allocate(DataType.FLOAT32, checkShape(values.length, shape));
    a.view.asFloatBuffer().put(values);
    return a;
  }

  public static NdArray of(double[] values, long... shape) {
    NdArray a = allocate(DataType.FLOAT64, checkShape(values.length, shape));
    a.view.asDoubleBuffer().put(values);
    return a;
  }

  private static long[] checkShape(int length, long[] shape) {
    if (shape.length == 0) {
      return new long[] {length};
    }
    if (Shapes.product(shape) != length) {
      throw new IllegalArgumentException(
          length + " values do not fill shape " + Arrays.toString(shape));
    }
    return shape;
  }

  public DataType dataType() {
    return dataType;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** The number of elements. */
  public int size() {
    return data.length / dataType.byteSize();
  }

  /** The backing little-endian bytes, not a copy. */
  public byte[] bytes() {
    return data;
  }

  /** The row-major position of an element. */
  public int flatIndex(long... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "Index of rank " + index.length + " for an array of rank " + shape.length);
    }
    long flat = 0;
    for (int d = 0; d < shape.length; d++) {
      if (index[d] < 0 || index[d] >= shape[d]) {
        throw new IndexOutOfBoundsException(
            "Index " + Arrays.toString(index) + " outside shape " + Arrays.toString(shape));
      }
      flat = flat * shape[d] + index[d];
    }
    return (int) flat;
  }

  /**
   * The element at a flat position as a long: booleans as 0/1, unsigned types zero-extended (uint64
   * gives its raw bits), floating-point values truncated.
   */
  public long getLong(int flat) {
    int p = flat * dataType.byteSize();
    return switch (dataType) {
      case BOOL -> data[p] != 0 ? 1 : 0;
      case INT8 -> data[p];
      case UINT8 -> data[p] & 0xffL;
      case INT16 -> view.getShort(p);
      case UINT16 -> view.getShort(p) & 0xffffL;
      case INT32 -> view.getInt(p);
      case UINT32 -> view.getInt(p) & 0xffffffffL;
      case INT64, UINT64 -> view.getLong(p);
      case FLOAT16, FLOAT32, FLOAT64 -> (long) getDouble(flat);
    };
  }

  /** The element at a flat position as a double (uint64 read as unsigned). */
  public double getDouble(int flat) {
    int p = flat * dataType.byteSize();
    return switch (dataType) {
      case FLOAT16 -> Float16.toFloat(view.getShort(p));
      case FLOAT32 -> view.getFloat(p);
      case FLOAT64 -> view.getDouble(p);
      case UINT64 -> {
        long v = view.getLong(p);
        yield v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
      }
      default -> getLong(flat);
    };
  }

  /** Stores a value at a flat position, narrowing it to the element type. */
  public void setLong(int flat, long value) {
    int p = flat * dataType.byteSize();
    switch (dataType) {
      case BOOL -> data[p] = (byte) (value != 0 ? 1 : 0);
      case INT8, UINT8 -> data[p] = (byte) value;
      case INT16, UINT16 -> view.putShort(p, (short) value);
      case INT32, UINT32 -> view.putInt(p, (int) value);
      case INT64, UINT64 -> view.putLong(p, value);
      case FLOAT16, FLOAT32, FLOAT64 -> setDouble(flat, (double) value);
    }
  }

  /** Stores a value at a flat position, converting it to the element type. */
  public void setDouble(int flat, double value) {
    int p = flat * dataType.byteSize();
    switch (dataType) {
      case FLOAT16 -> view.putShort(p, Float16.fromFloat((float) value));
      case FLOAT32 -> view.putFloat(p, (float) value);
      case FLOAT64 -> view.putDouble(p, value);
      default -> setLong(flat, (long) value);
    }
  }

  /**
   * Stores {@code n} values from {@code src[off..]} at flat positions {@code flat..}, narrowing
   * each as {@link #setLong} does; one type dispatch for the whole run.
   */
  public void setLongs(int flat, long[] src, int off, int n) {
    int size = dataType.byteSize();
    int p = flat * size;
    switch (dataType) {
      case INT8, UINT8 -> {
        for (int i = 0; i < n; i++) {
          data[p + i] = (byte) src[off + i];
        }
      }
      case INT16, UINT16 -> {
        for (int i = 0; i < n; i++) {
          view.putShort(p + 2 * i, (short) src[off + i]);
        }
      }
      case INT32, UINT32 -> {
        for (int i = 0; i < n; i++) {
          view.putInt(p + 4 * i, (int) src[off + i]);
        }
      }
      case INT64, UINT64 -> {
        for (int i = 0; i < n; i++) {
          view.putLong(p + 8 * i, src[off + i]);
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          setLong(flat + i, src[off + i]);
        }
      }
    }
  }

  /**
   * Stores {@code n} values from {@code src[off..]} at flat positions {@code flat..}, converting
   * each as {@link #setDouble} does; one type dispatch for the whole run.
   */
  public void setDoubles(int flat, double[] src, int off, int n) {
    int p = flat * dataType.byteSize();
    switch (dataType) {
      case FLOAT32 -> {
        for (int i = 0; i < n; i++) {
          view.putFloat(p + 4 * i, (float) src[off + i]);
        }
      }
      case FLOAT64 -> {
        for (int i = 0; i < n; i++) {
          view.putDouble(p + 8 * i, src[off + i]);
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          setDouble(flat + i, src[off + i]);
        }
      }
    }
  }

  public int getInt(long... index) {
    return (int) getLong(flatIndex(index));
  }

  public double getDouble(long... index) {
    return getDouble(flatIndex(index));
  }

  public int[] toIntArray() {
    int[] out = new int[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) getLong(i);
    }
    return out;
  }

  public long[] toLongArray() {
    long[] out = new long[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = getLong(i);
    }
    return out;
  }

  public float[] toFloatArray() {
    float[] out = new float[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) getDouble(i);
    }
    return out;
  }

  public double[] toDoubleArray() {
    double[] out = new double[size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = getDouble(i);
    }
    return out;
  }

  /** Renders a 1-D or 2-D array as rows of values; larger ranks print their shape only. */
  @Override
  public String toString() {
    if (rank() > 2 || size() > 400) {
      return "NdArray[" + dataType.zarrName() + ", shape=" + Arrays.toString(shape) + "]";
    }
    int cols = rank() == 0 ? 1 : (int) shape[rank() - 1];
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < size(); i++) {
      String v =
          dataType.isFloatingPoint() ? Double.toString(getDouble(i)) : Long.toString(getLong(i));
      sb.append(String.format("%6s", v));
      sb.append(cols == 0 || (i + 1) % cols == 0 ? "\n" : " ");
    }
    return sb.toString();
  }
}
