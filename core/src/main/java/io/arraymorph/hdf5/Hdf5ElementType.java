package io.arraymorph.hdf5;

import io.arraymorph.array.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one element of an HDF5 dataset is: a number (or an h5py boolean), a string, a compound (a
 * record of named members), an enum (an integer code with labels) or a fixed-size array of one of
 * these. Numeric datasets are read as arrays ({@link Hdf5Dataset#read}); the other kinds as Java
 * values ({@link Hdf5Dataset#readValues}).
 */
public sealed interface Hdf5ElementType {

  /** Whether elements are numbers, read with {@link Hdf5Dataset#read}. */
  default boolean isNumeric() {
    return this instanceof Numeric;
  }

  /** A short description for listings, e.g. {@code string(utf-8, variable)}. */
  String describe();

  /**
   * An integer or IEEE float, or a bitfield read as the unsigned integer of its size.
   *
   * @param bigEndian whether the file stores it big-endian (values are returned little-endian)
   * @param bitfield whether the file declares a bitfield type (listed as e.g. {@code uint8
   *     (bitfield)})
   */
  record Numeric(DataType dataType, boolean bigEndian, boolean bitfield)
      implements Hdf5ElementType {
    /** An integer or float type. */
    public Numeric(DataType dataType, boolean bigEndian) {
      this(dataType, bigEndian, false);
    }

    @Override
    public String describe() {
      return bitfield ? dataType.zarrName() + " (bitfield)" : dataType.zarrName();
    }
  }

  /**
   * A string; values are Java strings with the padding removed.
   *
   * @param charset {@code US-ASCII} or {@code UTF-8}
   * @param length bytes per string for fixed-length strings, -1 for variable-length ones
   */
  record Text(String charset, int length) implements Hdf5ElementType {
    public boolean variableLength() {
      return length < 0;
    }

    @Override
    public String describe() {
      String cs = charset.equals("UTF-8") ? "utf-8" : "ascii";
      return "string(" + cs + ", " + (variableLength() ? "variable" : length + " bytes") + ")";
    }
  }

  /**
   * numpy's bool as h5py stores it: an int8 enum with exactly {@code FALSE=0, TRUE=1}. Values are
   * {@link Boolean}s; any non-zero byte reads true, as numpy does.
   */
  record Bool() implements Hdf5ElementType {
    @Override
    public String describe() {
      return "bool";
    }
  }

  /** One member of a compound type. */
  record Member(String name, Hdf5ElementType type) {}

  /** A record of named members, in the file's order. */
  record Compound(List<Member> members) implements Hdf5ElementType {
    public Compound {
      members = List.copyOf(members);
    }

    @Override
    public String describe() {
      return members.stream()
          .map(m -> m.name() + ": " + m.type().describe())
          .collect(Collectors.joining(", ", "compound{", "}"));
    }
  }

  /**
   * An enum: integer codes of a base type, each with a label.
   *
   * @param codes label to code, in the file's order
   */
  record Enumeration(DataType base, boolean bigEndian, Map<String, Long> codes)
      implements Hdf5ElementType {
    public Enumeration {
      codes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(codes));
    }

    /** The label of a code, or null when the enum has none for it. */
    public String label(long code) {
      for (Map.Entry<String, Long> e : codes.entrySet()) {
        if (e.getValue() == code) {
          return e.getKey();
        }
      }
      return null;
    }

    @Override
    public String describe() {
      return codes.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue())
          .collect(Collectors.joining(", ", "enum(" + base.zarrName() + "){", "}"));
    }
  }

  /**
   * An HDF5 array type: each element is a fixed-size array (e.g. numpy's {@code ('<f4', (3,))}).
   *
   * @param element the type of the array's items
   * @param dimensions the array's shape, outermost first
   */
  record Array(Hdf5ElementType element, List<Integer> dimensions) implements Hdf5ElementType {
    public Array {
      dimensions = List.copyOf(dimensions);
    }

    /** Items per element: the product of the dimensions. */
    public int items() {
      int n = 1;
      for (int d : dimensions) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }

    @Override
    public String describe() {
      return element.describe()
          + dimensions.stream().map(d -> "[" + d + "]").collect(Collectors.joining());
    }
  }
}
