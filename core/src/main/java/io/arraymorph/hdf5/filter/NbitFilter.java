package io.arraymorph.hdf5.filter;

import io.arraymorph.hdf5.Hdf5FormatException;
import io.arraymorph.hdf5.Hdf5UnsupportedException;

/**
 * HDF5 filter 5, nbit (libhdf5 built-in), decoded from the HDF5 specification's description: of
 * each integer or floating-point value only its {@code precision} significant bits (starting {@code
 * offset} bits up) are stored, packed most significant bit first ({@link PackedBits}) in one stream
 * over the chunk; decoding puts them back in place, with the other bits zero, in the type's byte
 * order. Compound and array types are described member by member and item by item; members of other
 * classes (strings, enums, ...) are stored whole, 8 bits a byte, in the same stream. Interpreting a
 * narrower precision (sign extension) is the datatype's business, not the filter's.
 *
 * <p>Client data: parameter count, a flag that the filter left the data as it was, elements per
 * chunk, then the type description: atomic (1, size, byte order 0 little/1 big, precision, offset),
 * array (2, size, the item's description), compound (3, size, member count, then per member its
 * byte offset and description) or stored whole (4, size).
 */
final class NbitFilter implements ChunkFilter {
  static final String NAME = "nbit";
  private static final int ATOMIC = 1;
  private static final int ARRAY = 2;
  private static final int COMPOUND = 3;
  private static final int WHOLE = 4;

  /** One type of the description, decoded into {@code out} at {@code at}. */
  private sealed interface Part {
    int size();

    /** Bits per element in the packed stream. */
    long bits();

    void decode(PackedBits in, byte[] out, int at);
  }

  private record Atomic(int size, boolean bigEndian, int precision, int offset) implements Part {
    @Override
    public long bits() {
      return precision;
    }

    @Override
    public void decode(PackedBits in, byte[] out, int at) {
      ElementBytes.put(out, at, size, bigEndian, in.next(precision) << offset);
    }
  }

  private record Whole(int size) implements Part {
    @Override
    public long bits() {
      return 8L * size;
    }

    @Override
    public void decode(PackedBits in, byte[] out, int at) {
      for (int i = 0; i < size; i++) {
        out[at + i] = (byte) in.next(8);
      }
    }
  }

  private record ArrayOf(int size, Part item) implements Part {
    @Override
    public long bits() {
      return item instanceof Whole ? 8L * size : (size / item.size()) * item.bits();
    }

    @Override
    public void decode(PackedBits in, byte[] out, int at) {
      if (item instanceof Whole) {
        new Whole(size).decode(in, out, at); // libhdf5 takes such an array's bytes whole
        return;
      }
      for (int i = 0, n = size / item.size(); i < n; i++) {
        item.decode(in, out, at + i * item.size());
      }
    }
  }

  private record Member(int offset, Part type) {}

  private record Compound(int size, java.util.List<Member> members) implements Part {
    @Override
    public long bits() {
      long bits = 0;
      for (Member m : members) {
        bits += m.type().bits();
      }
      return bits;
    }

    @Override
    public void decode(PackedBits in, byte[] out, int at) {
      for (Member m : members) {
        m.type().decode(in, out, at + m.offset());
      }
    }
  }

  private final boolean passThrough;
  private final long elements;
  private final Part type;

  private NbitFilter(int[] cd, String path) {
    if (cd.length < 3) {
      throw new Hdf5FormatException(
          NAME + " filter of '" + path + "' has " + cd.length + " parameters, expected at least 3");
    }
    passThrough = cd[1] != 0;
    elements = cd[2] & 0xffffffffL;
    if (passThrough) {
      type = null;
      return;
    }
    int[] next = {3};
    type = part(cd, next, path, 0);
  }

  /** The type description at {@code next[0]}, which is advanced past it. */
  private static Part part(int[] cd, int[] next, String path, int depth) {
    if (depth > 32) {
      throw parameters(path, "nests types deeper than 32 levels");
    }
    int at = next[0];
    if (at + 1 >= cd.length) {
      throw parameters(path, "ends inside a type description");
    }
    int kind = cd[at];
    int size = cd[at + 1];
    if (size < 1) {
      throw parameters(path, "describes a type of " + size + " bytes");
    }
    next[0] = at + 2;
    switch (kind) {
      case ATOMIC:
        {
          if (at + 4 >= cd.length) {
            throw parameters(path, "ends inside a type description");
          }
          int precision = cd[at + 3];
          int offset = cd[at + 4];
          next[0] = at + 5;
          if (size > 8 || precision < 1 || offset < 0 || (long) precision + offset > size * 8L) {
            throw new Hdf5FormatException(
                NAME
                    + " filter of '"
                    + path
                    + "' describes a "
                    + size
                    + "-byte type with "
                    + precision
                    + " bits at offset "
                    + offset
                    + " (corrupt filter parameters)");
          }
          return new Atomic(size, cd[at + 2] == 1, precision, offset);
        }
      case ARRAY:
        {
          Part item = part(cd, next, path, depth + 1);
          if (size % item.size() != 0) {
            throw parameters(path, "describes an array of " + size + " bytes of items");
          }
          return new ArrayOf(size, item);
        }
      case COMPOUND:
        {
          if (at + 2 >= cd.length) {
            throw parameters(path, "ends inside a type description");
          }
          int count = cd[at + 2];
          next[0] = at + 3;
          java.util.List<Member> members = new java.util.ArrayList<>();
          for (int m = 0; m < count; m++) {
            if (next[0] >= cd.length) {
              throw parameters(path, "ends inside a compound description");
            }
            int offset = cd[next[0]++];
            Part member = part(cd, next, path, depth + 1);
            if (offset < 0 || (long) offset + member.size() > size) {
              throw parameters(path, "puts a compound member outside its " + size + " bytes");
            }
            members.add(new Member(offset, member));
          }
          return new Compound(size, java.util.List.copyOf(members));
        }
      case WHOLE:
        return new Whole(size);
      default:
        throw new Hdf5UnsupportedException(
            NAME + " filter type class " + kind, path, "rewrite it with h5repack -f NONE", null);
    }
  }

  private static Hdf5FormatException parameters(String path, String problem) {
    return new Hdf5FormatException(
        NAME + " filter of '" + path + "' " + problem + " (corrupt filter parameters)");
  }

  static NbitFilter of(int[] clientData, String path) {
    return new NbitFilter(clientData, path);
  }

  @Override
  public byte[] decode(byte[] encoded, int maxOutput) {
    if (passThrough) {
      return encoded;
    }
    int size = type.size();
    long total = elements * size;
    if (total > maxOutput) {
      throw corrupt("declares " + elements + " elements, more than the chunk holds");
    }
    int n = (int) elements;
    long bits = type.bits();
    if (bits > Integer.MAX_VALUE || !PackedBits.fits(encoded.length, 0, n, (int) bits)) {
      throw corrupt("ends before its " + n + " values of " + bits + " bits (truncated?)");
    }
    byte[] out = new byte[(int) total];
    PackedBits packed = new PackedBits(encoded, 0);
    for (int i = 0; i < n; i++) {
      type.decode(packed, out, i * size);
    }
    return out;
  }

  private static Hdf5FormatException corrupt(String problem) {
    return new Hdf5FormatException(NAME + " chunk " + problem + " (corrupt chunk)");
  }
}
