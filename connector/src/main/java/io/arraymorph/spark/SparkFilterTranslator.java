package io.arraymorph.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.filter.Predicate;

/**
 * Translates Spark predicates on dimension columns into an {@link IndexRegion}: comparisons,
 * BETWEEN (as two comparisons), IN, AND and OR. Anything else widens the region to a superset and
 * marks it inexact, so Spark still evaluates the predicate.
 */
final class SparkFilterTranslator {
  private final List<String> dimNames;
  private final long[] shape;

  SparkFilterTranslator(List<String> dimNames, long[] shape) {
    this.dimNames = dimNames;
    this.shape = shape;
  }

  IndexRegion translate(Predicate p) {
    String name = p.name();
    Expression[] c = p.children();
    switch (name) {
      case "AND":
        return translate((Predicate) c[0]).intersect(translate((Predicate) c[1]));
      case "OR":
        return translate((Predicate) c[0]).union(translate((Predicate) c[1]));
      case "ALWAYS_TRUE":
        return IndexRegion.all(shape);
      case "ALWAYS_FALSE":
        return IndexRegion.none(shape);
      case "IS_NOT_NULL":
        return dim(c[0]) >= 0 ? IndexRegion.all(shape) : unknown();
      case "IS_NULL":
        return dim(c[0]) >= 0 ? IndexRegion.none(shape) : unknown();
      case "IN":
        return in(c);
      case "=", "<=>", "<", "<=", ">", ">=":
        return comparison(name, c[0], c[1]);
      default:
        return unknown();
    }
  }

  private IndexRegion unknown() {
    return IndexRegion.all(shape).inexact();
  }

  private IndexRegion comparison(String op, Expression left, Expression right) {
    int d = dim(left);
    Long v = integral(right);
    if (d < 0 || v == null) {
      d = dim(right);
      v = integral(left);
      if (d < 0 || v == null) {
        return unknown();
      }
      op = flip(op);
    }
    long x = v;
    long[] iv =
        switch (op) {
          case "=", "<=>" -> new long[] {x, inc(x)};
          case "<" -> new long[] {0, x};
          case "<=" -> new long[] {0, inc(x)};
          case ">" -> new long[] {inc(x), Long.MAX_VALUE};
          case ">=" -> new long[] {x, Long.MAX_VALUE};
          default -> null;
        };
    if (iv == null) {
      return unknown();
    }
    return IndexRegion.ofIntervals(shape, d, List.of(iv));
  }

  private IndexRegion in(Expression[] c) {
    int d = dim(c[0]);
    if (d < 0) {
      return unknown();
    }
    List<Long> values = new ArrayList<>();
    for (int i = 1; i < c.length; i++) {
      Long v = integral(c[i]);
      if (v == null) {
        return unknown();
      }
      values.add(v);
    }
    values.sort(Comparator.naturalOrder());
    List<long[]> intervals = new ArrayList<>();
    for (long v : values) {
      long[] last = intervals.isEmpty() ? null : intervals.get(intervals.size() - 1);
      if (last != null && v <= last[1]) {
        last[1] = Math.max(last[1], inc(v));
      } else {
        intervals.add(new long[] {v, inc(v)});
      }
    }
    return IndexRegion.ofIntervals(shape, d, intervals);
  }

  private static long inc(long x) {
    return x == Long.MAX_VALUE ? x : x + 1;
  }

  private static String flip(String op) {
    return switch (op) {
      case "<" -> ">";
      case "<=" -> ">=";
      case ">" -> "<";
      case ">=" -> "<=";
      default -> op;
    };
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
