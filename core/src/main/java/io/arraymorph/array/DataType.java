package io.arraymorph.array;

import java.util.Locale;

/**
 * Element types of an array. Values are held in memory as little-endian bytes (the layout Spark's
 * column vectors and x86 expect), whatever byte order the stored form uses.
 */
public enum DataType {
  BOOL("bool", 1, Kind.BOOL),
  INT8("int8", 1, Kind.SIGNED),
  INT16("int16", 2, Kind.SIGNED),
  INT32("int32", 4, Kind.SIGNED),
  INT64("int64", 8, Kind.SIGNED),
  UINT8("uint8", 1, Kind.UNSIGNED),
  UINT16("uint16", 2, Kind.UNSIGNED),
  UINT32("uint32", 4, Kind.UNSIGNED),
  UINT64("uint64", 8, Kind.UNSIGNED),
  FLOAT16("float16", 2, Kind.FLOAT),
  FLOAT32("float32", 4, Kind.FLOAT),
  FLOAT64("float64", 8, Kind.FLOAT);

  /** The family of a type, which decides how its bits are interpreted. */
  public enum Kind {
    BOOL,
    SIGNED,
    UNSIGNED,
    FLOAT
  }

  private final String zarrName;
  private final int byteSize;
  private final Kind kind;

  DataType(String zarrName, int byteSize, Kind kind) {
    this.zarrName = zarrName;
    this.byteSize = byteSize;
    this.kind = kind;
  }

  /** The name used by Zarr v3 {@code data_type}, e.g. {@code float32}. */
  public String zarrName() {
    return zarrName;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  public Kind kind() {
    return kind;
  }

  public boolean isFloatingPoint() {
    return kind == Kind.FLOAT;
  }

  /**
   * Parses a Zarr v3 data type name.
   *
   * @throws IllegalArgumentException naming the type and the supported ones when it is unknown
   */
  public static DataType fromZarrName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (DataType t : values()) {
      if (t.zarrName.equals(lower)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported data type '" + name + "'; supported: " + supportedNames());
  }

  /** The comma-separated list of supported type names, for error messages. */
  public static String supportedNames() {
    StringBuilder sb = new StringBuilder();
    for (DataType t : values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(t.zarrName);
    }
    return sb.toString();
  }
}
