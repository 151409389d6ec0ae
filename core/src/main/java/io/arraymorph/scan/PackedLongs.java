package io.arraymorph.scan;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Longs packed for shipping with a task: each value as the zig-zag varint of its difference from
 * the previous one, so increasing offsets, neighbouring chunk coordinates and small sizes take one
 * or two bytes instead of eight. Hand-written because the format is a few lines and a protobuf or
 * Kryo dependency in core for it would weigh far more.
 */
public final class PackedLongs implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private final int count;

  private PackedLongs(byte[] bytes, int count) {
    this.bytes = bytes;
    this.count = count;
  }

  /** Packs {@code values} (delta, zig-zag, varint). */
  public static PackedLongs of(long[] values) {
    Writer w = new Writer();
    for (long v : values) {
      w.add(v);
    }
    return w.done();
  }

  /** The values, in order. */
  public long[] toArray() {
    long[] out = new long[count];
    long previous = 0;
    int at = 0;
    for (int i = 0; i < count; i++) {
      long raw = 0;
      int shift = 0;
      while (true) {
        byte b = bytes[at++];
        raw |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          break;
        }
        shift += 7;
      }
      previous += (raw >>> 1) ^ -(raw & 1);
      out[i] = previous;
    }
    return out;
  }

  /** The number of values. */
  public int size() {
    return count;
  }

  /** The packed size in bytes. */
  public int packedBytes() {
    return bytes.length;
  }

  /** Packs values one at a time. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long previous;
    private int count;

    /** Appends a value. */
    public Writer add(long value) {
      long delta = value - previous;
      previous = value;
      long zigzag = (delta << 1) ^ (delta >> 63);
      while ((zigzag & ~0x7fL) != 0) {
        out.write((int) ((zigzag & 0x7f) | 0x80));
        zigzag >>>= 7;
      }
      out.write((int) zigzag);
      count++;
      return this;
    }

    /** The packed values. */
    public PackedLongs done() {
      return new PackedLongs(out.toByteArray(), count);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PackedLongs p && count == p.count && Arrays.equals(bytes, p.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes) * 31 + count;
  }
}
