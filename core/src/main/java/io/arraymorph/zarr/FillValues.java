package io.arraymorph.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.math.BigInteger;

/** Conversions between Zarr v3 {@code fill_value} JSON and one little-endian element. */
final class FillValues {
  private FillValues() {}

  /**
   * Parses a fill value for a data type.
   *
   * @throws IllegalArgumentException when the JSON value does not suit the type
   */
  static byte[] parse(JsonNode node, DataType type) {
    NdArray one = NdArray.allocate(type, 1);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("'fill_value' is required");
    }
    switch (type.kind()) {
      case BOOL -> {
        if (!node.isBoolean()) {
          throw new IllegalArgumentException("fill_value of a bool array must be true or false");
        }
        one.setLong(0, node.asBoolean() ? 1 : 0);
      }
      case SIGNED, UNSIGNED -> {
        if (!node.isIntegralNumber()) {
          throw new IllegalArgumentException(
              "fill_value of a " + type.zarrName() + " array must be an integer, not " + node);
        }
        BigInteger v = node.bigIntegerValue();
        int bits = type.byteSize() * 8;
        BigInteger min =
            type.kind() == DataType.Kind.SIGNED
                ? BigInteger.ONE.shiftLeft(bits - 1).negate()
                : BigInteger.ZERO;
        BigInteger max =
            type.kind() == DataType.Kind.SIGNED
                ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
          throw new IllegalArgumentException(
              "fill_value " + v + " is outside the range of " + type.zarrName());
        }
        one.setLong(0, v.longValue());
      }
      case FLOAT -> one.setDouble(0, parseFloat(node, type));
    }
    return one.bytes();
  }

  private static double parseFloat(JsonNode node, DataType type) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    String s = node.asText();
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    if (s.startsWith("0x")) {
      long bits = Long.parseUnsignedLong(s.substring(2), 16);
      return switch (type) {
        case FLOAT16 -> io.arraymorph.array.Float16.toFloat((short) bits);
        case FLOAT32 -> Float.intBitsToFloat((int) bits);
        default -> Double.longBitsToDouble(bits);
      };
    }
    throw new IllegalArgumentException(
        "fill_value of a "
            + type.zarrName()
            + " array must be a number, NaN, Infinity,"
            + " -Infinity or 0x-prefixed bits, not "
            + node);
  }

  /** The JSON value for a fill value given as a number. */
  static Object toJson(Number value, DataType type) {
    return switch (type.kind()) {
      case BOOL -> value.longValue() != 0;
      case SIGNED -> value.longValue();
      case UNSIGNED -> {
        long v = value.longValue();
        yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
      }
      case FLOAT -> {
        double d = value.doubleValue();
        if (Double.isNaN(d)) {
          yield "NaN";
        }
        if (Double.isInfinite(d)) {
          yield d > 0 ? "Infinity" : "-Infinity";
        }
        yield d;
      }
    };
  }
}
