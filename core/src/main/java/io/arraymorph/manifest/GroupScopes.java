package io.arraymorph.manifest;

import io.arraymorph.api.NodeInfo;
import io.arraymorph.hdf5.Hdf5File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a granule's dimensions are defined, NetCDF-4's way: a variable's dimension {@code d} is the
 * one of its group or the nearest ancestor that holds a dataset {@code d} (a coordinate variable,
 * or netCDF's placeholder scale for a dimension without one). A manifest holds only the coordinate
 * variables, and readers find a dimension's coordinate as the nearest array of that name ({@link
 * io.arraymorph.api.CoordinateLookup}); this tells when that would be another group's coordinate.
 */
final class GroupScopes {
  private final Hdf5File file;
  private final Set<String> datasets = new HashSet<>();
  private final Map<String, Boolean> placeholders = new HashMap<>();

  /** The scopes of {@code file}, whose datasets are {@code nodes} ({@link Hdf5File#datasets}). */
  GroupScopes(Hdf5File file, List<NodeInfo> nodes) {
    this.file = file;
    for (NodeInfo n : nodes) {
      datasets.add(n.path().startsWith("/") ? n.path().substring(1) : n.path());
    }
  }

  /**
   * Why a coordinate lookup for variable {@code name}'s dimensions would find the wrong variable,
   * or null when it finds the right one (or none): the dimension is a group's own without a
   * coordinate variable, while an ancestor group has a coordinate variable of the same name.
   */
  String misresolvedDimension(String name, List<String> dimensions) {
    for (String d : dimensions) {
      String definedIn = null;
      for (String g = ManifestFormat.parentGroup(name); ; g = ManifestFormat.parentGroup(g)) {
        String candidate = g.isEmpty() ? d : g + "/" + d;
        if (datasets.contains(candidate)) {
          if (definedIn == null) {
            if (!isPlaceholder(candidate)) {
              break; // its own coordinate variable: the nearest array of that name
            }
            definedIn = g;
          } else if (!isPlaceholder(candidate)) {
            return "its dimension '"
                + d
                + "' is the group '/"
                + definedIn
                + "''s own and has no coordinate variable, while '/"
                + candidate
                + "' is the coordinate of another dimension of that name, which a reader would"
                + " take for it; give the group's dimension a coordinate variable";
          }
        }
        if (g.isEmpty()) {
          break;
        }
      }
    }
    return null;
  }

  /**
   * The group defining each of variable {@code name}'s dimensions: its own group or the nearest
   * ancestor holding a dataset of that name ("" for the root, also when none does). A group that
   * defines its own record dimension has its own record length per granule.
   */
  List<String> definingGroups(String name, List<String> dimensions) {
    List<String> out = new ArrayList<>(dimensions.size());
    for (String d : dimensions) {
      String found = "";
      for (String g = ManifestFormat.parentGroup(name);
          !g.isEmpty();
          g = ManifestFormat.parentGroup(g)) {
        if (datasets.contains(g + "/" + d)) {
          found = g;
          break;
        }
      }
      out.add(found);
    }
    return List.copyOf(out);
  }

  private boolean isPlaceholder(String path) {
    return placeholders.computeIfAbsent(path, p -> file.isDimensionWithoutVariable("/" + p));
  }
}
