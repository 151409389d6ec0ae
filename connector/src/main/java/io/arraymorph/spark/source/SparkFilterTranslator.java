package io.arraymorph.spark.source;

import io.arraymorph.scan.DimPredicate;
import io.arraymorph.scan.Region;
import io.arraymorph.scan.RegionTranslator;
import java.util.List;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;

/**
 * Translates Spark predicates on dimension columns into core's {@link DimPredicate} (comparisons,
 * BETWEEN as two comparisons, IN, AND, OR, constants, null tests); core's {@link RegionTranslator}
 * turns that into the {@link Region} to plan. Anything else is {@link DimPredicate.Unknown}: the
 * region becomes an inexact superset and Spark still evaluates the predicate.
 */
final class SparkFilterTranslator {
  private final List<String> dimNames;
  private final RegionTranslator regions;

  SparkFilterTranslator(List<String> dimNames, long[] shape) {
    this.dimNames = dimNames;
    this.regions = new RegionTranslator(shape);
  }

  Region translate(Predicate p) {
    return regions.translate(toCore(p));
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
    int d = dim(left);
    Long v = integral(right);
    if (d >= 0 && v != null) {
      return new DimPredicate.Compare(d, op, v);
    }
    d = dim(right);
    v = integral(left);
    if (d >= 0 && v != null) {
      return new DimPredicate.Compare(d, op.flipped(), v);
    }
    return new DimPredicate.Unknown();
  }

  private DimPredicate in(Expression[] c) {
    int d = dim(c[0]);
    if (d < 0) {
      return new DimPredicate.Unknown();
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
