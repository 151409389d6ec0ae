package io.arraymorph.hdf5;

import io.arraymorph.array.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a virtual dataset's mappings against its sources, as libhdf5 does with its default view
 * (H5D_VDS_LAST_AVAILABLE): an unlimited source selection is clipped to the source's current
 * extent, the unlimited virtual selection takes as many coordinates as that leaves, a printf-named
 * mapping ({@code %b}) maps block {@code k} of its unlimited count to source {@code k} up to the
 * first missing one, and the dataset's extent along an unlimited dimension is the furthest any
 * mapping reaches. Missing sources contribute nothing: their elements read as the fill value.
 */
final class VirtualResolver {
  /** Bound on printf-named sources looked up for one mapping. */
  static final int MAX_PRINTF_SOURCES = 100_000;

  /** Bound on virtual datasets whose sources are virtual datasets, against mapping cycles. */
  static final int MAX_NESTING = 8;

  private static final ThreadLocal<int[]> NESTING = ThreadLocal.withInitial(() -> new int[1]);

  /** The resolved mappings and the dataset's extent. */
  record Resolved(List<ResolvedMapping> mappings, long[] shape) {}

  private VirtualResolver() {}

  static Resolved resolve(
      List<VirtualMapping> mappings,
      long[] declaredShape,
      DataType type,
      VirtualSources sources,
      String path) {
    int[] depth = NESTING.get();
    if (depth[0] >= MAX_NESTING) {
      throw new Hdf5UnsupportedException(
          "virtual dataset whose sources nest virtual datasets over "
              + MAX_NESTING
              + " deep (a mapping that reaches itself?)",
          path);
    }
    depth[0]++;
    try {
      return resolveMappings(mappings, declaredShape, type, sources, path);
    } finally {
      depth[0]--;
    }
  }

  private static Resolved resolveMappings(
      List<VirtualMapping> mappings,
      long[] declaredShape,
      DataType type,
      VirtualSources sources,
      String path) {
    int rank = declaredShape.length;
    List<ResolvedMapping> out = new ArrayList<>();
    boolean[] unlimited = new boolean[rank];
    long[] reach = new long[rank];
    for (VirtualMapping m : mappings) {
      if (m.empty()) {
        continue;
      }
      SelectionAxis[] v = VirtualMapping.axes(m.virtual(), declaredShape);
      if (v.length != rank) {
        throw new Hdf5FormatException(
            "A mapping of virtual dataset '"
                + path
                + "' selects in "
                + v.length
                + " dimensions, the dataset has "
                + rank);
      }
      for (int d = 0; d < rank; d++) {
        unlimited[d] |= v[d].unlimited();
      }
      List<ResolvedMapping> resolved =
          m.printf() ? printf(m, v, type, sources, path) : single(m, v, type, sources, path);
      for (ResolvedMapping r : resolved) {
        for (int d = 0; d < rank; d++) {
          reach[d] = Math.max(reach[d], r.virtual()[d].end());
        }
      }
      if (resolved.isEmpty()) {
        // A missing source still reaches as far as its fixed selection does.
        for (int d = 0; d < rank; d++) {
          if (!v[d].unlimited()) {
            reach[d] = Math.max(reach[d], v[d].end());
          }
        }
      }
      out.addAll(resolved);
    }
    long[] shape = declaredShape.clone();
    for (int d = 0; d < rank; d++) {
      if (unlimited[d]) {
        shape[d] = reach[d];
      }
    }
    return new Resolved(out, shape);
  }

  private static List<ResolvedMapping> single(
      VirtualMapping m, SelectionAxis[] v, DataType type, VirtualSources sources, String path) {
    Optional<Hdf5Dataset> found = sources.find(m.sourceFile(), m.sourceDataset());
    if (found.isEmpty()) {
      return List.of();
    }
    Hdf5Dataset src = found.get();
    SelectionAxis[] s = sourceAxes(m, src, type, path);
    SelectionAxis[] virtual = v.clone();
    for (int d = 0; d < s.length; d++) {
      s[d] = s[d].clippedTo(src.shape()[d]);
    }
    if (s.length == virtual.length) {
      for (int d = 0; d < s.length; d++) {
        virtual[d] = virtual[d].firstN(s[d].size());
      }
    }
    return List.of(matched(m, src, virtual, s, path));
  }

  private static List<ResolvedMapping> printf(
      VirtualMapping m, SelectionAxis[] v, DataType type, VirtualSources sources, String path) {
    int axis = -1;
    for (int d = 0; d < v.length; d++) {
      if (v[d].unlimited()) {
        if (axis >= 0 || !v[d].unlimitedCount()) {
          throw new Hdf5UnsupportedException(
              "printf-named virtual mapping ('"
                  + m.sourceFile()
                  + "', '"
                  + m.sourceDataset()
                  + "') without exactly one unlimited count",
              path);
        }
        axis = d;
      }
    }
    if (axis < 0) {
      throw new Hdf5UnsupportedException(
          "printf-named virtual mapping without an unlimited selection", path);
    }
    List<ResolvedMapping> out = new ArrayList<>();
    for (long k = 0; k < MAX_PRINTF_SOURCES; k++) {
      Optional<Hdf5Dataset> found =
          sources.find(
              VirtualMapping.format(m.sourceFile(), k),
              VirtualMapping.format(m.sourceDataset(), k));
      if (found.isEmpty()) {
        return out;
      }
      Hdf5Dataset src = found.get();
      SelectionAxis[] s = sourceAxes(m, src, type, path);
      for (SelectionAxis a : s) {
        if (a.unlimited()) {
          throw new Hdf5UnsupportedException(
              "printf-named virtual mapping with an unlimited source selection", path);
        }
      }
      SelectionAxis[] virtual = v.clone();
      virtual[axis] = v[axis].block(k);
      out.add(matched(m, src, virtual, s, path));
    }
    throw new Hdf5UnsupportedException(
        "printf-named virtual mapping with over " + MAX_PRINTF_SOURCES + " sources", path);
  }

  private static SelectionAxis[] sourceAxes(
      VirtualMapping m, Hdf5Dataset src, DataType type, String path) {
    if (src.readsValues() || src.dataType() != type) {
      throw new Hdf5UnsupportedException(
          "virtual dataset source '"
              + m.sourceDataset()
              + "' in '"
              + m.sourceFile()
              + "' of type "
              + src.elementType().describe()
              + " (the virtual dataset holds "
              + type
              + "; type conversion is not implemented)",
          path);
    }
    SelectionAxis[] s = VirtualMapping.axes(m.source(), src.shape());
    if (s.length != src.shape().length) {
      throw new Hdf5FormatException(
          "A mapping of virtual dataset '"
              + path
              + "' selects in "
              + s.length
              + " dimensions of source '"
              + m.sourceDataset()
              + "', which has "
              + src.shape().length);
    }
    return s;
  }

  /**
   * Pairs the dimensions of both selections: equal sizes dimension by dimension, or, where the
   * ranks differ, equal sizes once the dimensions selecting one coordinate are left out (the
   * element order libhdf5 maps by is then the same).
   */
  private static ResolvedMapping matched(
      VirtualMapping m, Hdf5Dataset src, SelectionAxis[] v, SelectionAxis[] s, String path) {
    int[] sourceDim = new int[v.length];
    boolean same = true;
    for (SelectionAxis a : v) {
      same &= !a.unlimited();
    }
    for (SelectionAxis a : s) {
      same &= !a.unlimited();
    }
    if (same && v.length == s.length) {
      for (int d = 0; d < v.length; d++) {
        same &= v[d].size() == s[d].size();
        sourceDim[d] = d;
      }
    }
    if (same && (v.length != s.length || !sameSizes(v, s))) {
      int ds = 0;
      for (int d = 0; d < v.length && same; d++) {
        if (v[d].size() == 1) {
          sourceDim[d] = -1;
          continue;
        }
        while (ds < s.length && s[ds].size() == 1) {
          ds++;
        }
        same = ds < s.length && s[ds].size() == v[d].size();
        sourceDim[d] = ds++;
      }
      while (same && ds < s.length) {
        same = s[ds++].size() == 1;
      }
    }
    if (!same) {
      throw new Hdf5UnsupportedException(
          "virtual mapping from '"
              + m.sourceDataset()
              + "' in '"
              + m.sourceFile()
              + "' whose source and virtual selections differ in shape ("
              + Arrays.toString(sizes(s))
              + " and "
              + Arrays.toString(sizes(v))
              + ")",
          path);
    }
    return new ResolvedMapping(src, v, s, sourceDim);
  }

  private static boolean sameSizes(SelectionAxis[] v, SelectionAxis[] s) {
    for (int d = 0; d < v.length; d++) {
      if (v[d].size() != s[d].size()) {
        return false;
      }
    }
    return true;
  }

  private static String[] sizes(SelectionAxis[] axes) {
    return Arrays.stream(axes)
        .map(a -> a.unlimited() ? "unlimited" : Long.toString(a.size()))
        .toArray(String[]::new);
  }
}
