package io.arraymorph.hdf5;

import java.lang.reflect.Array;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded elements of a selection of a string, compound, enum or array dataset, in C order:
 * strings for string types, labels (and codes) for enums, one column per member for compounds, the
 * flattened items for array types. Numeric members of compounds hold the Java array jhdf decodes
 * them into ({@code byte[]}, {@code int[]}, {@code double[]}, wider types for unsigned integers,
 * {@code BigInteger[]} for uint64; {@code boolean[]} for h5py booleans).
 */
public final class Hdf5Values {
  private final Hdf5ElementType type;
  private final int size;
  private final String[] strings;
  private final long[] codes;
  private final Map<String, Hdf5Values> members;
  private final Object numbers;
  private final Hdf5Values items;

  private Hdf5Values(
      Hdf5ElementType type,
      int size,
      String[] strings,
      long[] codes,
      Map<String, Hdf5Values> members,
      Object numbers,
      Hdf5Values items) {
    this.type = type;
    this.size = size;
    this.strings = strings;
    this.codes = codes;
    this.members = members;
    this.numbers = numbers;
    this.items = items;
  }

  static Hdf5Values ofStrings(Hdf5ElementType.Text type, String[] strings) {
    return new Hdf5Values(type, strings.length, strings, null, null, null, null);
  }

  static Hdf5Values ofEnum(Hdf5ElementType.Enumeration type, long[] codes, String[] labels) {
    return new Hdf5Values(type, codes.length, labels, codes, null, null, null);
  }

  static Hdf5Values ofNumbers(Hdf5ElementType.Numeric type, Object array) {
    return new Hdf5Values(type, Array.getLength(array), null, null, null, array, null);
  }

  static Hdf5Values ofCompound(
      Hdf5ElementType.Compound type, int size, Map<String, Hdf5Values> members) {
    return new Hdf5Values(
        type,
        size,
        null,
        null,
        Collections.unmodifiableMap(new LinkedHashMap<>(members)),
        null,
        null);
  }

  static Hdf5Values ofBooleans(Hdf5ElementType.Bool type, boolean[] values) {
    return new Hdf5Values(type, values.length, null, null, null, values, null);
  }

  static Hdf5Values ofArray(Hdf5ElementType.Array type, int size, Hdf5Values items) {
    return new Hdf5Values(type, size, null, null, null, null, items);
  }

  public Hdf5ElementType type() {
    return type;
  }

  /** How many elements. */
  public int size() {
    return size;
  }

  /**
   * Element {@code i} as a Java value: a {@link Number} for numeric members (a {@link Boolean} for
   * h5py booleans), a String for strings, the label (null when the code has none) for enums, a
   * {@code Map<String, Object>} of member values for compounds, and for array types a Java array of
   * the array's shape ({@code float[3]}, {@code short[2][2]}, {@code String[4]}; {@code Object}
   * arrays of maps for compound items).
   */
  public Object get(int i) {
    if (items != null) {
      Hdf5ElementType.Array array = (Hdf5ElementType.Array) type;
      return javaArray(array.dimensions(), 0, i * array.items());
    }
    if (numbers != null) {
      return Array.get(numbers, i);
    }
    if (strings != null) {
      return strings[i];
    }
    Map<String, Object> row = new LinkedHashMap<>();
    members.forEach((name, column) -> row.put(name, column.get(i)));
    return row;
  }

  /** Items {@code [first, ...)} of an array type as a Java array of {@code dims} from level on. */
  private Object javaArray(java.util.List<Integer> dims, int level, int first) {
    int n = dims.get(level);
    Object out = Array.newInstance(leafClass(dims.size() - level - 1), n);
    int stride = 1;
    for (int d = level + 1; d < dims.size(); d++) {
      stride *= dims.get(d);
    }
    for (int j = 0; j < n; j++) {
      Array.set(
          out,
          j,
          level + 1 < dims.size()
              ? javaArray(dims, level + 1, first + j * stride)
              : items.get(first + j));
    }
    return out;
  }

  /** The component class of an array-type level with {@code inner} more levels inside. */
  private Class<?> leafClass(int inner) {
    Class<?> leaf =
        items.numbers != null
            ? items.numbers.getClass().getComponentType()
            : items.strings != null ? String.class : Object.class;
    return inner == 0 ? leaf : Array.newInstance(leaf, new int[inner]).getClass();
  }

  /**
   * The items of an array type, flattened: element {@code i}'s array is items {@code [i * n, (i +
   * 1) * n)} in C order, with {@code n} the array's {@link Hdf5ElementType.Array#items()}.
   *
   * @throws IllegalStateException for other types
   */
  public Hdf5Values items() {
    if (items == null) {
      throw new IllegalStateException("Values of type " + type.describe() + " are not arrays");
    }
    return items;
  }

  /**
   * The strings of a string type, or the labels of an enum (null where a code has no label).
   *
   * @throws IllegalStateException for other types
   */
  public String[] strings() {
    if (strings == null) {
      throw new IllegalStateException("Values of type " + type.describe() + " are not strings");
    }
    return strings.clone();
  }

  /**
   * The integer codes of an enum.
   *
   * @throws IllegalStateException for other types
   */
  public long[] codes() {
    if (codes == null) {
      throw new IllegalStateException("Values of type " + type.describe() + " are not an enum");
    }
    return codes.clone();
  }

  /**
   * The member columns of a compound, in the type's order.
   *
   * @throws IllegalStateException for other types
   */
  public Map<String, Hdf5Values> members() {
    if (members == null) {
      throw new IllegalStateException("Values of type " + type.describe() + " are no compound");
    }
    return members;
  }

  /**
   * One member column of a compound.
   *
   * @throws IllegalArgumentException naming the members when there is no such member
   */
  public Hdf5Values member(String name) {
    Hdf5Values m = members().get(name);
    if (m == null) {
      throw new IllegalArgumentException(
          "No member '" + name + "' in " + type.describe() + "; members: " + members.keySet());
    }
    return m;
  }
}
