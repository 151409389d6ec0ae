package io.arraymorph.cf;

import io.arraymorph.array.DataType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a variable's stored values decode under the CF conventions, read from its attributes the way
 * xarray's default decoding ({@code mask_and_scale}, {@code decode_times}) reads them:
 *
 * <ul>
 *   <li>{@code _Unsigned = "true"} on a signed integer variable reads its bytes as the unsigned
 *       type of the same size (NetCDF-3 style unsigned data), {@code "false"} on an unsigned one as
 *       signed; missing-value and valid-range attributes are reinterpreted the same way, and
 *       everything below works on the reinterpreted values (netCDF4-python's order);
 *   <li>stored values outside {@code valid_range}, or else below {@code valid_min} / above {@code
 *       valid_max}, are missing (netCDF4-python's {@code set_auto_mask} rule: {@code valid_range}
 *       wins over the other two; compared before unpacking; no range is implied by {@code
 *       _FillValue});
 *   <li>stored values equal to {@code _FillValue} or to any {@code missing_value} are missing (NaN
 *       in xarray, null in ArrayMorph); they are compared in the stored type before unpacking;
 *   <li>{@code decoded = stored * scale_factor + add_offset} when either attribute is present, in
 *       float32 when both given attributes are float32 and the stored type is at most 16 bits (or
 *       float32), else in float64 (xarray's choice);
 *   <li>a variable whose {@code units} are {@code "<unit> since <date>"} holds times ({@link
 *       CfTimeUnits}): timestamps in the real-world calendars, formatted dates in model calendars
 *       ({@link Decoded#DATE_STRING}); an unknown {@code calendar} fails.
 * </ul>
 *
 * @param stored the element type values are read as ({@code _Unsigned} applied)
 * @param missing the missing-value markers, as stored values
 * @param validMin the smallest valid stored value, or null
 * @param validMax the largest valid stored value, or null
 * @param scale {@code scale_factor}, or null
 * @param offset {@code add_offset}, or null
 * @param decoded what values decode to
 * @param time the time units when {@code decoded} is {@link Decoded#TIMESTAMP} or {@link
 *     Decoded#DATE_STRING}
 * @param fileType the element type in the file
 */
public record CfEncoding(
    DataType stored,
    List<Double> missing,
    Double validMin,
    Double validMax,
    Double scale,
    Double offset,
    Decoded decoded,
    CfTimeUnits time,
    DataType fileType)
    implements Serializable {

  /** What stored values decode to. */
  public enum Decoded {
    /** The stored type itself (possibly with missing values). */
    AS_STORED,
    /** Unpacked to 32-bit floats. */
    FLOAT32,
    /** Unpacked to 64-bit floats. */
    FLOAT64,
    /** Microseconds since the epoch. */
    TIMESTAMP,
    /** A model calendar's date and time as text, {@code YYYY-MM-DD hh:mm:ss[.ffffff]}. */
    DATE_STRING
  }

  public CfEncoding {
    missing = List.copyOf(missing);
  }

  /** No decoding: values are used as stored. */
  public static CfEncoding none(DataType stored) {
    return new CfEncoding(
        stored, List.of(), null, null, null, null, Decoded.AS_STORED, null, stored);
  }

  /**
   * The decoding a variable's attributes ask for.
   *
   * @throws IllegalArgumentException when a time variable names an unknown calendar or a reference
   *     date that does not exist in it (the message says to use {@code decode_cf=false})
   */
  public static CfEncoding of(Map<String, Object> attributes, DataType fileType) {
    if (fileType == DataType.BOOL || attributes == null) {
      return none(fileType);
    }
    DataType stored = unsignedAttribute(attributes.get("_Unsigned"), fileType);
    List<Double> missing = new ArrayList<>();
    numbers(attributes.get("_FillValue")).forEach(n -> missing.add(as(stored, n)));
    numbers(attributes.get("missing_value")).forEach(n -> missing.add(as(stored, n)));
    Double validMin = null;
    Double validMax = null;
    List<Number> range = numbers(attributes.get("valid_range"));
    if (range.size() == 2) {
      validMin = as(stored, range.get(0));
      validMax = as(stored, range.get(1));
    } else {
      Number min = first(attributes.get("valid_min"));
      Number max = first(attributes.get("valid_max"));
      validMin = min == null ? null : as(stored, min);
      validMax = max == null ? null : as(stored, max);
    }
    Number scale = first(attributes.get("scale_factor"));
    Number offset = first(attributes.get("add_offset"));
    Optional<CfTimeUnits> time =
        CfTimeUnits.parse(string(attributes.get("units")), string(attributes.get("calendar")));
    Decoded decoded;
    if (time.isPresent()) {
      decoded = time.get().calendar().realTime() ? Decoded.TIMESTAMP : Decoded.DATE_STRING;
    } else if (scale != null || offset != null) {
      decoded = packedType(stored, scale, offset);
    } else {
      decoded = Decoded.AS_STORED;
    }
    return new CfEncoding(
        stored,
        missing,
        validMin,
        validMax,
        scale == null ? null : scale.doubleValue(),
        offset == null ? null : offset.doubleValue(),
        decoded,
        time.orElse(null),
        fileType);
  }

  /** The type an {@code _Unsigned} attribute makes of an integer type, else the type itself. */
  private static DataType unsignedAttribute(Object attribute, DataType type) {
    String flag = string(attribute);
    if (flag == null || type.kind() == DataType.Kind.FLOAT) {
      return type;
    }
    boolean unsigned = flag.trim().equalsIgnoreCase("true");
    boolean signed = flag.trim().equalsIgnoreCase("false");
    return switch (type) {
      case INT8 -> unsigned ? DataType.UINT8 : type;
      case INT16 -> unsigned ? DataType.UINT16 : type;
      case INT32 -> unsigned ? DataType.UINT32 : type;
      case INT64 -> unsigned ? DataType.UINT64 : type;
      case UINT8 -> signed ? DataType.INT8 : type;
      case UINT16 -> signed ? DataType.INT16 : type;
      case UINT32 -> signed ? DataType.INT32 : type;
      case UINT64 -> signed ? DataType.INT64 : type;
      default -> type;
    };
  }

  /**
   * An attribute value as a value of {@code type}: integers wrap to its range, as reinterpreting
   * the attribute's bytes does ({@code _FillValue = -1b} of an unsigned byte is 255).
   */
  private static double as(DataType type, Number n) {
    if (type.kind() == DataType.Kind.FLOAT
        || n instanceof Double
        || n instanceof Float
        || type.byteSize() == 8) {
      if (type == DataType.UINT64 && !(n instanceof Double || n instanceof Float)) {
        long v = n.longValue();
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
      }
      return n.doubleValue();
    }
    long bits = 8L * type.byteSize();
    long v = n.longValue();
    long mod = 1L << bits;
    if (type.kind() == DataType.Kind.UNSIGNED) {
      return Math.floorMod(v, mod);
    }
    long u = Math.floorMod(v, mod);
    return u >= mod / 2 ? u - mod : u;
  }

  private static Decoded packedType(DataType stored, Number scale, Number offset) {
    boolean float32Attrs =
        (scale == null || scale instanceof Float) && (offset == null || offset instanceof Float);
    boolean small =
        stored == DataType.FLOAT32
            || stored == DataType.FLOAT16
            || (stored.kind() != DataType.Kind.FLOAT && stored.byteSize() <= 2);
    return float32Attrs && small ? Decoded.FLOAT32 : Decoded.FLOAT64;
  }

  /** Whether anything changes: reinterpretation, missing values, unpacking or times. */
  public boolean isIdentity() {
    return !hasMissing() && decoded == Decoded.AS_STORED && stored == fileType;
  }

  /** Whether some stored values mean "missing" (markers or a valid range). */
  public boolean hasMissing() {
    return !missing.isEmpty() || validMin != null || validMax != null;
  }

  /** Whether a stored integral value is a missing-value marker or outside the valid range. */
  public boolean isMissing(long storedValue) {
    if (outsideValidRange((double) storedValue)) {
      return true;
    }
    for (double m : missing) {
      if (m == storedValue) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a stored floating-point value is a missing-value marker, compared in the stored
   * precision ({@code NaN} markers match NaN).
   */
  public boolean isMissing(double storedValue) {
    if (outsideValidRange(storedValue)) {
      return true;
    }
    for (double m : missing) {
      double marker = stored == DataType.FLOAT64 ? m : (float) m;
      if (marker == storedValue || (Double.isNaN(marker) && Double.isNaN(storedValue))) {
        return true;
      }
    }
    return false;
  }

  private boolean outsideValidRange(double v) {
    return (validMin != null && v < validMin) || (validMax != null && v > validMax);
  }

  /** Unpacks a stored value in float64. */
  public double unpack(double storedValue) {
    double v = storedValue;
    if (scale != null) {
      v *= scale;
    }
    if (offset != null) {
      v += offset;
    }
    return v;
  }

  /** Unpacks a stored value in float32, as xarray does for small packed types. */
  public float unpackFloat(float storedValue) {
    float v = storedValue;
    if (scale != null) {
      v *= (float) (double) scale;
    }
    if (offset != null) {
      v += (float) (double) offset;
    }
    return v;
  }

  private static List<Number> numbers(Object v) {
    List<Number> out = new ArrayList<>();
    if (v instanceof Number n) {
      out.add(n);
    } else if (v instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Number n) {
          out.add(n);
        }
      }
    }
    return out;
  }

  private static Number first(Object v) {
    List<Number> n = numbers(v);
    return n.isEmpty() ? null : n.get(0);
  }

  private static String string(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof List<?> l && l.size() == 1 && l.get(0) instanceof String s) {
      return s;
    }
    return null;
  }
}
