package io.arraymorph.scan;

/**
 * A filter on the integer indices of an array's dimensions, free of any query engine's types: what
 * a binding (the Spark connector's predicate translation) hands to {@link RegionTranslator}.
 * Conditions the binding cannot express are {@link Unknown}: they select a superset (every index),
 * and the engine must still evaluate them itself.
 */
public sealed interface DimPredicate {

  /** Both hold. */
  record And(DimPredicate left, DimPredicate right) implements DimPredicate {}

  /** Either holds. */
  record Or(DimPredicate left, DimPredicate right) implements DimPredicate {}

  /** {@code index[dim] <op> value}. */
  record Compare(int dim, Op op, long value) implements DimPredicate {}

  /** {@code index[dim]} is one of {@code values}. */
  record In(int dim, long[] values) implements DimPredicate {}

  /**
   * {@code coordinate[dim][index] <op> value}: a condition on the values of the dimension's
   * coordinate variable (timestamps in microseconds as a {@link Long}, other values as a {@link
   * Double}), resolved into indices by {@link CoordinateResolver}; {@link RegionTranslator} alone
   * treats it as {@link Unknown}.
   */
  record CoordCompare(int dim, Op op, Number value) implements DimPredicate {}

  /** {@code coordinate[dim][index]} is one of {@code values} (see {@link CoordCompare}). */
  record CoordIn(int dim, Number[] values) implements DimPredicate {}

  /** Holds for every index. */
  record All() implements DimPredicate {}

  /** Holds for no index. */
  record None() implements DimPredicate {}

  /** A condition that is not on dimension indices alone (a value column, a function, ...). */
  record Unknown() implements DimPredicate {}

  /** A comparison operator. */
  enum Op {
    EQ,
    LT,
    LE,
    GT,
    GE;

    /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
    public Op flipped() {
      return switch (this) {
        case LT -> GT;
        case LE -> GE;
        case GT -> LT;
        case GE -> LE;
        case EQ -> EQ;
      };
    }
  }
}
