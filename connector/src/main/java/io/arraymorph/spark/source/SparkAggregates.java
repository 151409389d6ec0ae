package io.arraymorph.spark.source;

import io.arraymorph.scan.ChunkAggregate;
import io.arraymorph.spark.SparkTypes;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.aggregate.Count;
import org.apache.spark.sql.connector.expressions.aggregate.CountStar;
import org.apache.spark.sql.connector.expressions.aggregate.Max;
import org.apache.spark.sql.connector.expressions.aggregate.Min;
import org.apache.spark.sql.connector.expressions.aggregate.Sum;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Aggregates Spark pushed into the scan ({@code push_aggregates}): which functions over which value
 * column, the partial row's schema, and that row from core's {@link ChunkAggregate}. Spark keeps
 * the final aggregation (partial pushdown), adding up one row per task.
 *
 * @param functions the functions, in Spark's order
 * @param column the aggregated dataset's index among the store's arrays, or -1 for count(*) alone
 * @param columnName the aggregated column, or null
 * @param elementType the column's stored element type, or null
 */
record SparkAggregates(
    List<Function> functions,
    int column,
    String columnName,
    io.arraymorph.array.DataType elementType)
    implements Serializable {

  /** An aggregate function the scan computes. */
  enum Function {
    COUNT_STAR,
    COUNT,
    SUM,
    MIN,
    MAX
  }

  /**
   * The aggregates of {@code agg} over {@code arrays}, or null when Spark must aggregate itself:
   * group-by, distinct, expressions, several columns, or a column whose rows are not its stored
   * numbers (CF-decoded, nullable, values, uint64, bool).
   */
  static SparkAggregates of(Aggregation agg, List<SparkArrayInfo> arrays) {
    if (agg.groupByExpressions().length > 0) {
      return null;
    }
    List<Function> functions = new ArrayList<>();
    String name = null;
    for (AggregateFunc f : agg.aggregateExpressions()) {
      Function fn;
      Expression arg = null;
      if (f instanceof CountStar) {
        fn = Function.COUNT_STAR;
      } else if (f instanceof Count c && !c.isDistinct()) {
        fn = Function.COUNT;
        arg = c.column();
      } else if (f instanceof Sum s && !s.isDistinct()) {
        fn = Function.SUM;
        arg = s.column();
      } else if (f instanceof Min m) {
        fn = Function.MIN;
        arg = m.column();
      } else if (f instanceof Max m) {
        fn = Function.MAX;
        arg = m.column();
      } else {
        return null;
      }
      if (arg != null) {
        if (!(arg instanceof NamedReference ref) || ref.fieldNames().length != 1) {
          return null;
        }
        String n = ref.fieldNames()[0];
        if (name != null && !name.equalsIgnoreCase(n)) {
          return null;
        }
        name = n;
      }
      functions.add(fn);
    }
    if (name == null) {
      return new SparkAggregates(functions, -1, null, null);
    }
    for (int k = 0; k < arrays.size(); k++) {
      SparkArrayInfo a = arrays.get(k);
      if (a.columnName().equalsIgnoreCase(name)) {
        boolean asStored = !a.isValues() && a.decoder().isIdentity() && !a.nullable();
        if (!asStored || !ChunkAggregate.supports(a.dataType())) {
          return null;
        }
        return new SparkAggregates(functions, k, a.columnName(), a.dataType());
      }
    }
    return null; // a dimension column: Spark aggregates it.
  }

  /** The schema of the partial row: one column per function, typed as Spark's partial expects. */
  StructType schema() {
    StructType out = new StructType();
    for (int i = 0; i < functions.size(); i++) {
      out = out.add("agg" + i + "_" + label(functions.get(i)), type(functions.get(i)), true);
    }
    return out;
  }

  private DataType type(Function f) {
    return switch (f) {
      case COUNT_STAR, COUNT -> DataTypes.LongType;
      case SUM -> elementType.isFloatingPoint() ? DataTypes.DoubleType : DataTypes.LongType;
      case MIN, MAX -> SparkTypes.toSpark(elementType);
    };
  }

  private String label(Function f) {
    return f == Function.COUNT_STAR
        ? "count_star"
        : f.name().toLowerCase(Locale.ROOT) + "_" + columnName;
  }

  /** Whether the chunks must be read (anything but count(*) alone). */
  boolean readsValues() {
    return column >= 0;
  }

  /** Whether min or max is asked (floating-point values then track them too). */
  boolean needsMinMax() {
    return functions.contains(Function.MIN) || functions.contains(Function.MAX);
  }

  /** The partial row of one task: {@code elements} emitted, their aggregate (null: none read). */
  InternalRow row(long elements, ChunkAggregate agg) {
    Object[] values = new Object[functions.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = value(functions.get(i), elements, agg);
    }
    return new GenericInternalRow(values);
  }

  private Object value(Function f, long elements, ChunkAggregate agg) {
    if (f == Function.COUNT_STAR || f == Function.COUNT) {
      // The column has no nulls, so count(value) = count(*).
      return elements;
    }
    if (agg.count() == 0) {
      return null; // SQL: sum, min and max of no rows are null.
    }
    return switch (f) {
      case SUM -> agg.isFloatingPoint() ? (Object) agg.doubleSum() : (Object) agg.longSum();
      // No ternary here: it would widen a long minimum to double.
      case MIN ->
          agg.isFloatingPoint() ? floatingAsSpark(agg.doubleMin()) : integerAsSpark(agg.longMin());
      case MAX ->
          agg.isFloatingPoint() ? floatingAsSpark(agg.doubleMax()) : integerAsSpark(agg.longMax());
      default -> throw new IllegalStateException(f.name());
    };
  }

  private Object floatingAsSpark(double v) {
    return elementType == io.arraymorph.array.DataType.FLOAT64 ? (Object) v : (Object) (float) v;
  }

  private Object integerAsSpark(long v) {
    DataType t = SparkTypes.toSpark(elementType);
    if (t.equals(DataTypes.ByteType)) {
      return (byte) v;
    }
    if (t.equals(DataTypes.ShortType)) {
      return (short) v;
    }
    if (t.equals(DataTypes.IntegerType)) {
      return (int) v;
    }
    return v;
  }

  /** For explain(): the functions pushed, e.g. {@code [SUM(value), COUNT(*)]}. */
  @Override
  public String toString() {
    List<String> out = new ArrayList<>();
    for (Function f : functions) {
      out.add(f == Function.COUNT_STAR ? "COUNT(*)" : f.name() + "(" + columnName + ")");
    }
    return out.toString();
  }
}
