package io.arraymorph.cli;

import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** Text forms of values, shapes and tables for the command's output. */
final class Values {
  private Values() {}

  /** The element at a flat position as text: the shortest form that reads back the same value. */
  static String format(NdArray a, int flat) {
    DataType t = a.dataType();
    return switch (t) {
      case BOOL -> a.getLong(flat) != 0 ? "true" : "false";
      case UINT64 -> Long.toUnsignedString(a.getLong(flat));
      case FLOAT16, FLOAT32 -> Float.toString((float) a.getDouble(flat));
      case FLOAT64 -> Double.toString(a.getDouble(flat));
      default -> Long.toString(a.getLong(flat));
    };
  }

  /** A fill value given as one element of little-endian bytes, as text. */
  static String fillValue(DataType type, byte[] element) {
    return format(NdArray.wrap(type, new long[] {1}, element), 0);
  }

  /** A fill value given as one element of little-endian bytes, as a number for an ArraySpec. */
  static Number fillNumber(DataType type, byte[] element) {
    NdArray one = NdArray.wrap(type, new long[] {1}, element);
    return type.isFloatingPoint() ? (Number) one.getDouble(0) : (Number) one.getLong(0);
  }

  static String shape(long[] shape) {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (long s : shape) {
      j.add(Long.toString(s));
    }
    return j.toString();
  }

  static String shape(int[] shape) {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (int s : shape) {
      j.add(Integer.toString(s));
    }
    return j.toString();
  }

  /** Rows of cells as columns aligned by padding, two spaces apart; the first row is a header. */
  static List<String> align(List<List<String>> rows, boolean rightAlign) {
    int cols = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] width = new int[cols];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size(); c++) {
        width[c] = Math.max(width[c], row.get(c).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> row : rows) {
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        if (c > 0) {
          sb.append("  ");
        }
        String cell = row.get(c);
        String pad = " ".repeat(width[c] - cell.length());
        boolean last = c == row.size() - 1;
        sb.append(rightAlign ? pad + cell : last ? cell : cell + pad);
      }
      lines.add(sb.toString());
    }
    return lines;
  }
}
