package io.arraymorph.hdf5;

import java.lang.reflect.Array;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The decoded elements of a selection of a string, compound or enum dataset, in C order: strings
 * for string types, labels (and codes) for enums, one column per member for compounds. Numeric
 * members of compounds hold the Java array jhdf decodes them into ({@code byte[]}, {@code int[]},
 * {@code double[]}, wider types for unsigned integers, {@code BigInteger[]} for uint64).
 */
public final class Hdf5Values {
  private final Hdf5ElementType type;
  private final int size;
  private final String[] strings;
  private final long[] codes;
  private final Map<String, Hdf5Values> members;
  private final Object numbers;

  private Hdf5Values(
      Hdf5ElementType type,
      int size,
      String[] strings,
      long[] codes,
      Map<String, Hdf5Values> members,
      Object numbers) {
    this.type = type;
    this.size = size;
    this.strings = strings;
    this.codes = codes;
    this.members = members;
    this.numbers = numbers;
  }

  static Hdf5Values ofStrings(Hdf5ElementType.Text type, String[] strings) {
    return new Hdf5Values(type, strings.length, strings, null, null, null);
  }

  static Hdf5Values ofEnum(Hdf5ElementType.Enumeration type, long[] codes, String[] labels) {
    return new Hdf5Values(type, codes.length, labels, codes, null, null);
  }

  static Hdf5Values ofNumbers(Hdf5ElementType.Numeric type, Object array) {
    return new Hdf5Values(type, Array.getLength(array), null, null, null, array);
  }

  static Hdf5Values ofCompound(
      Hdf5ElementType.Compound type, int size, Map<String, Hdf5Values> members) {
    return new Hdf5Values(
        type, size, null, null, Collections.unmodifiableMap(new LinkedHashMap<>(members)), null);
  }

  public Hdf5ElementType type() {
    return type;
  }

  /** How many elements. */
  public int size() {
    return size;
  }

  /**
   * Element {@code i} as a Java value: a {@link Number} for numeric members, a String for strings,
   * the label (null when the code has none) for enums, a {@code Map<String, Object>} of member
   * values for compounds.
   */
  public Object get(int i) {
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
