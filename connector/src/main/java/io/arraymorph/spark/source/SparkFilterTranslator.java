package io.arraymorph.spark.source;

import io.arraymorph.scan.CoordinateResolver;
import io.arraymorph.scan.DimPredicate;
import io.arraymorph.scan.RegionTranslator;
import java.util.List;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.types.DataTypes;

/**
 * Translates Spark predicates on dimension columns into core's {@link DimPredicate} (comparisons,
 * BETWEEN as two comparisons, IN, AND, OR, constants, null tests); core's {@link RegionTranslator}
 * turns that into the region to plan. On a dimension column holding coordinate values (the
 * timestamps of a CF time coordinate) comparisons with timestamps become conditions on coordinate
 * values, which core's {@link CoordinateResolver} resolves per file. Anything else is {@link
 * DimPredicate.Unknown}: the region becomes an inexact superset and Spark still evaluates the
 * predicate.
 */
final class SparkFilterTranslator {
  private final List<String> dimNames;
  private final boolean[] timeDims;
  private final boolean[] valueDims;

  /**
   * A translator for these dimension columns; {@code timeDims[d]} when column {@code d} holds the
   * timestamps of a time coordinate, {@code valueDims[d]} when it holds the values (doubles) of a
   * numeric coordinate, else it holds indices.
   */
  SparkFilterTranslator(List<String> dimNames, boolean[] timeDims, boolean[] valueDims) {
    this.dimNames = dimNames;
    this.timeDims = timeDims.clone();
    this.valueDims = valueDims.clone();
  }

  /** The Spark predicate in core's model. */
  DimPredicate toCore(Predicate p) {
    Expression[] c = p.children();
    return switch (p.name()) {
      case "AND" -> new DimPredicate.And(toCore((Predicate) c[0]), toCore((Predicate) c[1]));
      case "OR" -> new DimPredicate.Or(toCore((Predicate) c[0]), toCore((Predicate) c[1]));
      case "ALWAYS_TRUE" -> new DimPredicate.All();
      case "ALWAYS_FALSE" -> new DimPredicate.None();
      case "IS_NOT_NULL" -> dim(c[0]) >= 0 ? new DimPredicate.All() : new DimPredicate.Unknown();
      case "IS_NULL" -> dim(c[0]) >= 0 ? new DimPredicate.None() : new DimPredicate.Unknown();
      case "IN" -> in(c);
      case "=", "<=>", "<", "<=", ">", ">=" -> comparison(op(p.name()), c[0], c[1]);
      default -> new DimPredicate.Unknown();
    };
  }

  private static DimPredicate.Op op(String name) {
    return switch (name) {
      case "<" -> DimPredicate.Op.LT;
      case "<=" -> DimPredicate.Op.LE;
      case ">" -> DimPredicate.Op.GT;
      case ">=" -> DimPredicate.Op.GE;
      default -> DimPredicate.Op.EQ; // = and <=> (dimension columns are never null)
    };
  }

  private DimPredicate comparison(DimPredicate.Op op, Expression left, Expression right) {
    DimPredicate p = compare(op, dim(left), right);
    return p instanceof DimPredicate.Unknown ? compare(op.flipped(), dim(right), left) : p;
  }

  /** {@code column[d] <op> literal}, or Unknown. */
  private DimPredicate compare(DimPredicate.Op op, int d, Expression literal) {
    if (d < 0) {
      return new DimPredicate.Unknown();
    }
    if (timeDims[d] || valueDims[d]) {
      Number v = coordinate(d, literal);
      return v == null ? new DimPredicate.Unknown() : new DimPredicate.CoordCompare(d, op, v);
    }
    Long v = integral(literal);
    return v == null ? new DimPredicate.Unknown() : new DimPredicate.Compare(d, op, v);
  }

  private DimPredicate in(Expression[] c) {
    int d = dim(c[0]);
    if (d < 0) {
      return new DimPredicate.Unknown();
    }
    if (timeDims[d] || valueDims[d]) {
      Number[] values = new Number[c.length - 1];
      for (int i = 1; i < c.length; i++) {
        values[i - 1] = coordinate(d, c[i]);
        if (values[i - 1] == null) {
          return new DimPredicate.Unknown();
        }
      }
      return new DimPredicate.CoordIn(d, values);
    }
    long[] values = new long[c.length - 1];
    for (int i = 1; i < c.length; i++) {
      Long v = integral(c[i]);
      if (v == null) {
        return new DimPredicate.Unknown();
      }
      values[i - 1] = v;
    }
    return new DimPredicate.In(d, values);
  }

  private int dim(Expression e) {
    if (e instanceof NamedReference ref && ref.fieldNames().length == 1) {
      String n = ref.fieldNames()[0];
      for (int d = 0; d < dimNames.size(); d++) {
        if (dimNames.get(d).equalsIgnoreCase(n)) {
          return d;
        }
      }
    }
    return -1;
  }

  /**
   * A literal of the coordinate column's own type (Spark has already cast it): a timestamp's
   * microseconds or a double; null for anything else.
   */
  private Number coordinate(int d, Expression literal) {
    if (timeDims[d]) {
      return timestamp(literal);
    }
    if (literal instanceof Literal<?> lit
        && lit.dataType().equals(DataTypes.DoubleType)
        && lit.value() instanceof Double v) {
      return v;
    }
    return null;
  }

  /** A timestamp literal's microseconds since the epoch (Spark's internal value), or null. */
  private static Long timestamp(Expression e) {
    if (e instanceof Literal<?> lit
        && lit.dataType().equals(DataTypes.TimestampType)
        && lit.value() instanceof Long micros) {
      return micros;
    }
    return null;
  }

  private static Long integral(Expression e) {
    if (e instanceof Literal<?> lit) {
      Object v = lit.value();
      if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
        return ((Number) v).longValue();
      }
    }
    return null;
  }
}
