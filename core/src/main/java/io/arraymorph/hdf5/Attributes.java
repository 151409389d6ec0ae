package io.arraymorph.hdf5;

import io.jhdf.api.Attribute;
import io.jhdf.api.Node;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts a node's HDF5 attributes to JSON-like values (numbers, strings, lists, maps), the form
 * the rest of ArrayMorph uses for Zarr attributes too.
 */
final class Attributes {
  private static final Logger LOG = LoggerFactory.getLogger(Attributes.class);

  /**
   * Bookkeeping of the HDF5 dimension-scale API and of netCDF-4; shown as dimension names instead,
   * as xarray and netCDF readers do.
   */
  private static final Set<String> HIDDEN =
      Set.of(
          "DIMENSION_LIST",
          "REFERENCE_LIST",
          "_Netcdf4Dimid",
          "_Netcdf4Coordinates",
          "_NCProperties",
          "_nc3_strict",
          "_IsNetcdf4");

  private Attributes() {}

  /** The user attributes of a node, sorted by name. */
  static Map<String, Object> of(Node node) {
    Map<String, Attribute> raw;
    try {
      raw = node.getAttributes();
    } catch (RuntimeException ex) {
      // Attribute storage jhdf cannot parse (e.g. a fractal heap of dense attributes) costs the
      // attributes, never the node's data or its neighbours; say what was left out.
      LOG.warn("Skipping the attributes of '{}': {}", node.getPath(), ex.toString());
      return Map.of();
    }
    boolean scale = DimensionNames.isDimensionScale(node);
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<String, Attribute> e : raw.entrySet()) {
      String name = e.getKey();
      if (HIDDEN.contains(name) || (scale && (name.equals("CLASS") || name.equals("NAME")))) {
        continue;
      }
      try {
        out.put(name, toJson(e.getValue().getData()));
      } catch (RuntimeException ex) {
        // An attribute of an exotic type must not make the dataset unreadable; say what was left
        // out.
        LOG.warn("Skipping attribute '{}' of '{}': {}", name, node.getPath(), ex.toString());
      }
    }
    return out;
  }

  /**
   * Converts jhdf's Java values (boxed scalars, primitive and nested arrays, maps) to JSON values.
   */
  static Object toJson(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      return n;
    }
    if (value instanceof Character c) {
      return c.toString();
    }
    if (value.getClass().isArray()) {
      int n = Array.getLength(value);
      List<Object> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(toJson(Array.get(value, i)));
      }
      return list;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), toJson(v)));
      return out;
    }
    return value.toString();
  }
}
