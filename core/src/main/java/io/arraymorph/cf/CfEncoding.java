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
 *   <li>stored values equal to {@code _FillValue} or to any {@code missing_value} are missing (NaN
 *       in xarray, null in ArrayMorph); they are compared in the stored type before unpacking;
 *   <li>{@code decoded = stored * scale_factor + add_offset} when either attribute is present, in
 *       float32 when both given attributes are float32 and the stored type is at most 16 bits (or
 *       float32), else in float64 (xarray's choice);
 *   <li>a variable whose {@code units} are {@code "<unit> since <date>"} in a Gregorian calendar
 *       holds times ({@link CfTimeUnits}).
 * </ul>
 *
 * @param stored the stored element type
 * @param missing the missing-value markers, as stored values
 * @param scale {@code scale_factor}, or null
 * @param offset {@code add_offset}, or null
 * @param decoded what values decode to
 * @param time the time units when {@code decoded} is {@link Decoded#TIMESTAMP}
 */
public record CfEncoding(
    DataType stored,
    List<Double> missing,
    Double scale,
    Double offset,
    Decoded decoded,
    CfTimeUnits time)
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
    TIMESTAMP
  }

  public CfEncoding {
    missing = List.copyOf(missing);
  }

  /** No decoding: values are used as stored. */
  public static CfEncoding none(DataType stored) {
    return new CfEncoding(stored, List.of(), null, null, Decoded.AS_STORED, null);
  }

  /** The decoding a variable's attributes ask for. */
  public static CfEncoding of(Map<String, Object> attributes, DataType stored) {
    if (stored == DataType.BOOL || attributes == null) {
      return none(stored);
    }
    List<Double> missing = new ArrayList<>();
    numbers(attributes.get("_FillValue")).forEach(n -> missing.add(n.doubleValue()));
    numbers(attributes.get("missing_value")).forEach(n -> missing.add(n.doubleValue()));
    Number scale = first(attributes.get("scale_factor"));
    Number offset = first(attributes.get("add_offset"));
    Optional<CfTimeUnits> time =
        CfTimeUnits.parse(string(attributes.get("units")), string(attributes.get("calendar")));
    Decoded decoded;
    if (time.isPresent()) {
      decoded = Decoded.TIMESTAMP;
    } else if (scale != null || offset != null) {
      decoded = packedType(stored, scale, offset);
    } else {
      decoded = Decoded.AS_STORED;
    }
    return new CfEncoding(
        stored,
        missing,
        scale == null ? null : scale.doubleValue(),
        offset == null ? null : offset.doubleValue(),
        decoded,
        time.orElse(null));
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

  /** Whether anything changes: missing values, unpacking or times. */
  public boolean isIdentity() {
    return missing.isEmpty() && decoded == Decoded.AS_STORED;
  }

  /** Whether some stored values mean "missing". */
  public boolean hasMissing() {
    return !missing.isEmpty();
  }

  /** Whether a stored integral value is a missing-value marker. */
  public boolean isMissing(long storedValue) {
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
    for (double m : missing) {
      double marker = stored == DataType.FLOAT64 ? m : (float) m;
      if (marker == storedValue || (Double.isNaN(marker) && Double.isNaN(storedValue))) {
        return true;
      }
    }
    return false;
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
