package io.arraymorph.hdf5;

import io.jhdf.api.Attribute;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Names a dataset's dimensions from HDF5 dimension scales, which is how netCDF-4 stores its
 * dimensions: a dataset's {@code DIMENSION_LIST} attribute refers to one scale dataset per
 * dimension, and a scale is named by its {@code NAME} attribute or, for netCDF's placeholder
 * scales, its own name. Dimensions without a scale are named {@code dim_<d>}.
 */
final class DimensionNames {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DimensionNames.class);

  /**
   * netCDF-4 gives dimensions that have no coordinate variable this NAME; the link name is the
   * name.
   */
  private static final String NETCDF_PLACEHOLDER =
      "This is a netCDF dimension but not a netCDF variable";

  private DimensionNames() {}

  static boolean isDimensionScale(Node node) {
    Attribute cls = node.getAttributes().get("CLASS");
    return cls != null && "DIMENSION_SCALE".equals(safeData(cls));
  }

  /**
   * The dimension names of a dataset of this rank. Names only label the dimension columns: when the
   * attributes or scales naming them cannot be read (e.g. dense attributes jhdf fails on), the
   * dataset keeps {@code dim_<d>} names and stays readable.
   */
  static List<String> of(Node dataset, int rank, String path) {
    try {
      return fromScales(dataset, rank);
    } catch (RuntimeException e) {
      LOG.warn(
          "Naming the dimensions of '{}' dim_0..dim_{}: its dimension scales cannot be read ({})",
          path,
          rank - 1,
          e.toString());
      return defaultNames(rank);
    }
  }

  private static List<String> defaultNames(int rank) {
    List<String> names = new ArrayList<>(rank);
    for (int d = 0; d < rank; d++) {
      names.add("dim_" + d);
    }
    return names;
  }

  private static List<String> fromScales(Node dataset, int rank) {
    List<String> names = defaultNames(rank);
    Map<String, Attribute> attrs = dataset.getAttributes();
    if (rank == 1 && isDimensionScale(dataset)) {
      names.set(0, scaleName(dataset));
      return names;
    }
    Attribute list = attrs.get("DIMENSION_LIST");
    if (list == null || !(safeData(list) instanceof Object[] refs) || refs.length != rank) {
      return names;
    }
    for (int d = 0; d < rank; d++) {
      if (refs[d] instanceof long[] addresses && addresses.length > 0) {
        Node scale = findByAddress(dataset.getParent(), addresses[0]);
        if (scale != null) {
          names.set(d, scaleName(scale));
        }
      }
    }
    return names;
  }

  /** Whether {@code node} is netCDF's placeholder scale of a dimension without a variable. */
  static boolean isPlaceholder(Node node) {
    if (!isDimensionScale(node)) {
      return false;
    }
    Attribute nameAttr = node.getAttributes().get("NAME");
    return nameAttr != null
        && safeData(nameAttr) instanceof String s
        && s.startsWith(NETCDF_PLACEHOLDER);
  }

  private static String scaleName(Node scale) {
    Attribute nameAttr = scale.getAttributes().get("NAME");
    Object name = nameAttr == null ? null : safeData(nameAttr);
    if (name instanceof String s && !s.isEmpty() && !s.startsWith(NETCDF_PLACEHOLDER)) {
      return s;
    }
    return scale.getName();
  }

  /**
   * Looks for the scale in the dataset's group and then its ancestors, where netCDF puts
   * dimensions.
   */
  private static Node findByAddress(Group group, long address) {
    for (Group g = group; g != null; g = g.getParent()) {
      for (Node child : g.getChildren().values()) {
        if (!child.isLink() && !child.isGroup() && child.getAddress() == address) {
          return child;
        }
      }
      if (g.getParent() == g) {
        break;
      }
    }
    return null;
  }

  private static Object safeData(Attribute a) {
    try {
      return a.getData();
    } catch (RuntimeException e) {
      return null; // an unreadable attribute is simply not a dimension-scale marker
    }
  }
}
