package io.arraymorph.hdf5;

import io.arraymorph.array.DataType;
import io.jhdf.object.datatype.FixedPoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A string, compound, enum or array datatype read from its datatype message by our own parser (HDF5
 * format spec, "Datatype Message", classes 6, 8 and 10), with jhdf parsing only the leaves
 * (integers, floats, strings, variable-length types), each from its own slice of the message.
 *
 * <p>Hand-written because jhdf 0.13 gets these wrong: it holds enum codes as little-endian ints
 * (big-endian or negative int32 codes fail the whole object), reads version-1 compound members
 * without their dimensions and version-2 array dimensions interleaved with their permutation, and
 * has no values for bitfields inside compounds. Bitfield leaves are read as the unsigned integer of
 * their size, as h5py reads them.
 */
sealed interface Hdf5TypeTree {
  /** Bytes per element. */
  int size();

  /** What the values are. */
  Hdf5ElementType kind();

  /**
   * An integer, float, bitfield or string: decoded by jhdf's readers with {@code jhdf}. For n-bit
   * numbers ({@code packed} non-null: fewer significant bits than the size, which jhdf cannot
   * decode), the values are first unpacked ({@link NbitIntegerSource#values}) into little-endian
   * numbers of the same size, which {@code jhdf} then reads.
   */
  record Leaf(
      io.jhdf.object.datatype.DataType jhdf, Hdf5ElementType kind, int size, ElementType packed)
      implements Hdf5TypeTree {}

  /**
   * An enum (or h5py's bool): decoded from its codes, here; {@code packed} is its base type when
   * that is an n-bit integer (codes are then unpacked first, as for {@link Leaf}), else null.
   */
  @SuppressWarnings("JavaLangClash") // HDF5 names the class enum; outside, Hdf5TypeTree.Enum
  record Enum(Hdf5ElementType kind, int size, ElementType packed) implements Hdf5TypeTree {}

  /** A fixed-size array of {@code element}s. */
  record Array(Hdf5TypeTree element, Hdf5ElementType.Array kind, int size)
      implements Hdf5TypeTree {}

  /** One member of a compound: its name, byte offset in the compound and type. */
  record Field(String name, int offset, Hdf5TypeTree type) {}

  /** A compound of named members at byte offsets. */
  record Compound(List<Field> fields, Hdf5ElementType.Compound kind, int size)
      implements Hdf5TypeTree {}

  /**
   * Parses a datatype message body.
   *
   * @throws Hdf5UnsupportedException naming the type class (and member) this reader has no values
   *     for
   * @throws Hdf5FormatException when the message runs past its end
   */
  static Hdf5TypeTree parse(ByteBuffer message, String path) {
    ByteBuffer b = message.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    try {
      return Parser.type(b, path);
    } catch (java.nio.BufferUnderflowException
        | IndexOutOfBoundsException
        | IllegalArgumentException e) {
      throw new Hdf5FormatException(
          "The datatype message of '" + path + "' runs past its end (corrupt file?)", e);
    }
  }

  /** The recursive descent over the message's bytes. */
  final class Parser {
    private static final int FIXED = 0;
    private static final int FLOAT = 1;
    private static final int TIME = 2;
    private static final int STRING = 3;
    private static final int BITFIELD = 4;
    private static final int OPAQUE = 5;
    private static final int COMPOUND = 6;
    private static final int REFERENCE = 7;
    private static final int ENUM = 8;
    private static final int VLEN = 9;
    private static final int ARRAY = 10;

    private Parser() {}

    /** One datatype starting at the buffer's position; leaves it just past the type. */
    static Hdf5TypeTree type(ByteBuffer b, String path) {
      int start = b.position();
      int classAndVersion = b.get() & 0xff;
      int typeClass = classAndVersion & 0x0f;
      int version = classAndVersion >>> 4;
      int bits = (b.get() & 0xff) | (b.get() & 0xff) << 8 | (b.get() & 0xff) << 16;
      int size = b.getInt();
      if (size < 0) {
        throw new Hdf5FormatException(
            "The datatype of '" + path + "' declares " + size + " bytes (corrupt file?)");
      }
      switch (typeClass) {
        case COMPOUND:
          return compound(b, version, bits & 0xffff, size, path);
        case ENUM:
          return enumeration(b, version, bits & 0xffff, size, path);
        case ARRAY:
          return array(b, version, size, path);
        case FIXED, BITFIELD:
          b.position(b.position() + 4);
          break;
        case FLOAT:
          b.position(b.position() + 12);
          break;
        case TIME:
          b.position(b.position() + 2);
          break;
        case OPAQUE:
          b.position(b.position() + (bits & 0xff));
          break;
        case VLEN:
          type(b, path); // its base type
          break;
        case STRING, REFERENCE:
          break;
        default:
          throw new Hdf5UnsupportedException("datatype class " + typeClass, path);
      }
      byte[] leaf = new byte[b.position() - start];
      b.get(start, leaf);
      boolean bitfield = typeClass == BITFIELD;
      if (bitfield) {
        // A bitfield's properties are laid out as an unsigned integer's (byte order, padding,
        // bit offset, precision): read as one, with the unsigned integer of its size as value.
        leaf[0] = (byte) ((leaf[0] & 0xf0) | FIXED);
        leaf[1] = (byte) (leaf[1] & ~0x08);
      }
      io.jhdf.object.datatype.DataType jhdf =
          io.jhdf.object.datatype.DataType.readDataType(
              ByteBuffer.wrap(leaf).order(ByteOrder.LITTLE_ENDIAN));
      Hdf5ElementType kind = ElementType.kindOf(jhdf, path);
      if (!(kind instanceof Hdf5ElementType.Numeric n)) {
        return new Leaf(jhdf, kind, size, null);
      }
      if (bitfield) {
        kind = new Hdf5ElementType.Numeric(n.dataType(), n.bigEndian(), true);
      }
      ElementType element = ElementType.of(jhdf, path);
      if (element.bfloat16()) {
        throw new Hdf5UnsupportedException("bfloat16 type inside a compound or array type", path);
      }
      if (!element.packed()) {
        return new Leaf(jhdf, kind, size, null);
      }
      return new Leaf(plain(element.dataType()), kind, size, element);
    }

    /**
     * The little-endian integer or IEEE float type of {@code dt}'s size with every bit significant
     * (format spec, datatype classes 0 and 1), as jhdf reads n-bit values once unpacked.
     */
    private static io.jhdf.object.datatype.DataType plain(DataType dt) {
      int size = dt.byteSize();
      ByteBuffer m = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
      if (dt.kind() == DataType.Kind.FLOAT) {
        boolean single = size == 4;
        // Class bits: little-endian, no padding, implied leading mantissa bit (2 << 4), sign bit.
        m.put((byte) (0x10 | FLOAT)).put((byte) 0x20).put((byte) (single ? 31 : 63)).put((byte) 0);
        m.putInt(size).putShort((short) 0).putShort((short) (size * 8));
        m.put((byte) (single ? 23 : 52)).put((byte) (single ? 8 : 11));
        m.put((byte) 0).put((byte) (single ? 23 : 52)).putInt(single ? 127 : 1023);
      } else {
        boolean signed = dt.kind() == DataType.Kind.SIGNED;
        m.put((byte) (0x10 | FIXED)).put((byte) (signed ? 0x08 : 0)).put((byte) 0).put((byte) 0);
        m.putInt(size).putShort((short) 0).putShort((short) (size * 8));
      }
      m.flip();
      return io.jhdf.object.datatype.DataType.readDataType(m);
    }

    private static Hdf5TypeTree compound(
        ByteBuffer b, int version, int members, int size, String path) {
      List<Field> fields = new ArrayList<>();
      List<Hdf5ElementType.Member> kinds = new ArrayList<>();
      int offsetBytes = size < 1 << 8 ? 1 : size < 1 << 16 ? 2 : size < 1 << 24 ? 3 : 4;
      for (int m = 0; m < members; m++) {
        String name = name(b, version < 3);
        int offset;
        int[] dims = null;
        if (version >= 3) {
          offset = (int) unsigned(b, offsetBytes);
        } else {
          offset = b.getInt();
          if (version == 1) {
            // Version 1 gave members dimensions of their own (libhdf5 before 1.4): rank, three
            // reserved bytes, a permutation index and four reserved bytes, then four sizes.
            int rank = b.get() & 0xff;
            b.position(b.position() + 3 + 4 + 4);
            int[] sizes = new int[4];
            for (int d = 0; d < 4; d++) {
              sizes[d] = b.getInt();
            }
            if (rank > 4) {
              throw new Hdf5FormatException(
                  "Compound member '" + name + "' of '" + path + "' has rank " + rank);
            }
            dims = rank == 0 ? null : java.util.Arrays.copyOf(sizes, rank);
          }
        }
        Hdf5TypeTree member;
        try {
          member = type(b, path);
        } catch (Hdf5UnsupportedException e) {
          throw new Hdf5UnsupportedException(
              e.feature() + " of compound member '" + name + "'", path, e);
        }
        if (dims != null) {
          member = arrayOf(member, dims, path);
        }
        if (offset < 0 || (long) offset + member.size() > size) {
          throw new Hdf5FormatException(
              "Compound member '"
                  + name
                  + "' of '"
                  + path
                  + "' lies outside its "
                  + size
                  + "-byte compound (corrupt datatype)");
        }
        fields.add(new Field(name, offset, member));
        kinds.add(new Hdf5ElementType.Member(name, member.kind()));
      }
      return new Compound(List.copyOf(fields), new Hdf5ElementType.Compound(kinds), size);
    }

    private static Hdf5TypeTree array(ByteBuffer b, int version, int size, String path) {
      int rank = b.get() & 0xff;
      if (version < 3) {
        b.position(b.position() + 3);
      }
      int[] dims = new int[rank];
      for (int d = 0; d < rank; d++) {
        dims[d] = b.getInt();
      }
      if (version < 3) {
        b.position(b.position() + 4 * rank); // permutation indices, never used by libhdf5
      }
      Hdf5TypeTree element = type(b, path);
      Hdf5TypeTree array = arrayOf(element, dims, path);
      if (array.size() != size) {
        throw new Hdf5FormatException(
            "The array type of '"
                + path
                + "' declares "
                + size
                + " bytes for "
                + array.size()
                + " bytes of items (corrupt datatype)");
      }
      return array;
    }

    private static Hdf5TypeTree arrayOf(Hdf5TypeTree element, int[] dims, String path) {
      List<Integer> dimensions = new ArrayList<>();
      long bytes = element.size();
      for (int d : dims) {
        if (d < 1) {
          throw new Hdf5FormatException(
              "An array type of '" + path + "' has a dimension of " + d + " (corrupt datatype)");
        }
        dimensions.add(d);
        bytes *= d;
      }
      if (bytes > Integer.MAX_VALUE) {
        throw new Hdf5FormatException(
            "An array type of '" + path + "' holds " + bytes + " bytes (corrupt datatype)");
      }
      return new Array(element, new Hdf5ElementType.Array(element.kind(), dimensions), (int) bytes);
    }

    private static Hdf5TypeTree enumeration(
        ByteBuffer b, int version, int members, int size, String path) {
      Hdf5TypeTree base = type(b, path);
      if (!(base instanceof Leaf leaf)
          || !(leaf.jhdf() instanceof FixedPoint fp)
          || !(leaf.kind() instanceof Hdf5ElementType.Numeric numeric)
          || base.size() != size) {
        throw new Hdf5UnsupportedException(
            "enum type whose base is no integer of its size (" + base.kind().describe() + ")",
            path);
      }
      String[] names = new String[members];
      for (int m = 0; m < members; m++) {
        names[m] = name(b, version < 3);
      }
      byte[] table = new byte[Math.multiplyExact(members, size)];
      b.get(table);
      ElementType element = ElementType.of(fp, path);
      ElementType packed = element.packed() ? element : null;
      if (numeric.bigEndian()) {
        reverseEach(table, size);
      }
      if (packed != null) {
        table = NbitIntegerSource.values(table, packed);
      }
      ByteBuffer values = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
      boolean signed = fp.isSigned();
      Map<String, Long> codes = new LinkedHashMap<>();
      for (int m = 0; m < members; m++) {
        codes.put(names[m], code(values, m * size, size, signed));
      }
      if (size == 1
          && signed
          && codes.size() == 2
          && Long.valueOf(0).equals(codes.get("FALSE"))
          && Long.valueOf(1).equals(codes.get("TRUE"))) {
        return new Enum(new Hdf5ElementType.Bool(), size, packed);
      }
      Map<String, Long> sorted = new LinkedHashMap<>();
      codes.entrySet().stream()
          .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
          .forEach(e -> sorted.put(e.getKey(), e.getValue()));
      DataType dt = numeric.dataType();
      return new Enum(
          new Hdf5ElementType.Enumeration(dt, numeric.bigEndian(), sorted), size, packed);
    }

    /** Reverses the bytes of each {@code size}-byte element: big-endian to little-endian. */
    static void reverseEach(byte[] elements, int size) {
      for (int at = 0; at + size <= elements.length; at += size) {
        for (int i = at, j = at + size - 1; i < j; i++, j--) {
          byte t = elements[i];
          elements[i] = elements[j];
          elements[j] = t;
        }
      }
    }

    private static long code(ByteBuffer values, int at, int size, boolean signed) {
      return switch (size) {
        case 1 -> signed ? values.get(at) : values.get(at) & 0xffL;
        case 2 -> signed ? values.getShort(at) : values.getShort(at) & 0xffffL;
        case 4 -> signed ? values.getInt(at) : values.getInt(at) & 0xffffffffL;
        default -> values.getLong(at);
      };
    }

    /** A NUL-terminated name, padded with NULs to a multiple of 8 bytes in versions 1 and 2. */
    private static String name(ByteBuffer b, boolean padded) {
      int start = b.position();
      int end = start;
      while (b.get(end) != 0) {
        end++;
      }
      byte[] bytes = new byte[end - start];
      b.get(start, bytes);
      int length = end - start + 1;
      b.position(start + (padded ? (length + 7) & ~7 : length));
      return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long unsigned(ByteBuffer b, int bytes) {
      long v = 0;
      for (int i = 0; i < bytes; i++) {
        v |= (b.get() & 0xffL) << (8 * i);
      }
      return v;
    }
  }
}
