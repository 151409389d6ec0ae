package io.arraymorph.scan;

import java.util.ArrayList;
import java.util.List;

/**
 * Resolves conditions on coordinate values ({@link DimPredicate.CoordCompare}, {@link
 * DimPredicate.CoordIn}) into conditions on indices through each dimension's {@link
 * CoordinateIndex}, for {@link RegionTranslator}. A dimension without an index (no coordinate, not
 * monotonic, NaN in it) leaves the condition {@link DimPredicate.Unknown}: every index is kept and
 * the engine filters. The resolved region may be a superset, never a subset, of the matching
 * indices, so the engine must still evaluate coordinate conditions itself.
 */
public final class CoordinateResolver {
  private final CoordinateIndex[] byDim;

  /** A resolver with one index per dimension ({@code null} where none is known). */
  public CoordinateResolver(CoordinateIndex[] byDim) {
    this.byDim = byDim.clone();
  }

  /** {@code p} with every coordinate condition replaced by the index intervals it selects. */
  public DimPredicate resolve(DimPredicate p) {
    if (p instanceof DimPredicate.And a) {
      return new DimPredicate.And(resolve(a.left()), resolve(a.right()));
    } else if (p instanceof DimPredicate.Or o) {
      return new DimPredicate.Or(resolve(o.left()), resolve(o.right()));
    } else if (p instanceof DimPredicate.CoordCompare c) {
      CoordinateIndex index = indexOf(c.dim());
      return index == null
          ? new DimPredicate.Unknown()
          : interval(c.dim(), index, c.op(), c.value());
    } else if (p instanceof DimPredicate.CoordIn in) {
      CoordinateIndex index = indexOf(in.dim());
      if (index == null) {
        return new DimPredicate.Unknown();
      }
      DimPredicate out = new DimPredicate.None();
      for (Number v : in.values()) {
        out = new DimPredicate.Or(out, interval(in.dim(), index, DimPredicate.Op.EQ, v));
      }
      return out;
    }
    return p;
  }

  /** Whether {@code p} holds a condition on coordinate values. */
  public static boolean hasCoordinates(DimPredicate p) {
    if (p instanceof DimPredicate.And a) {
      return hasCoordinates(a.left()) || hasCoordinates(a.right());
    } else if (p instanceof DimPredicate.Or o) {
      return hasCoordinates(o.left()) || hasCoordinates(o.right());
    }
    return p instanceof DimPredicate.CoordCompare || p instanceof DimPredicate.CoordIn;
  }

  private CoordinateIndex indexOf(int dim) {
    return dim >= 0 && dim < byDim.length ? byDim[dim] : null;
  }

  private static DimPredicate interval(
      int dim, CoordinateIndex index, DimPredicate.Op op, Number value) {
    long[] r = index.range(op, value);
    if (r[0] >= r[1]) {
      return new DimPredicate.None();
    }
    return new DimPredicate.And(
        new DimPredicate.Compare(dim, DimPredicate.Op.GE, r[0]),
        new DimPredicate.Compare(dim, DimPredicate.Op.LT, r[1]));
  }

  /**
   * The region of each part of a collection read (e.g. each file) that {@code p} selects, given
   * each part's shape and coordinates: a part whose region is empty holds no matching element and
   * need not be opened or fetched.
   */
  public static List<Region> regions(
      DimPredicate p, List<long[]> shapes, PartCoordinates coordinates) {
    List<Region> out = new ArrayList<>();
    for (int f = 0; f < shapes.size(); f++) {
      long[] shape = shapes.get(f);
      CoordinateIndex[] byDim = new CoordinateIndex[shape.length];
      for (int d = 0; d < shape.length; d++) {
        byDim[d] = coordinates.index(f, d);
      }
      out.add(new RegionTranslator(shape).translate(new CoordinateResolver(byDim).resolve(p)));
    }
    return out;
  }

  /**
   * The coordinates of each part of a collection read, per dimension: what file pruning needs. A
   * many-files read gives each file's coordinate arrays ({@link CoordinateIndex#sorted(long[])}); a
   * manifest can give each file's recorded min/max ({@link CoordinateIndex#bounds}).
   */
  public interface PartCoordinates {
    /** The index of part {@code part}'s dimension {@code dim}, or null when unknown. */
    CoordinateIndex index(int part, int dim);
  }
}
