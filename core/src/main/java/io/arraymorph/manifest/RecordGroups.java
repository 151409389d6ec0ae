package io.arraymorph.manifest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The groups whose record dimensions a manifest's variables run along, each with a granule table of
 * its own (a record range per granule): a NetCDF-4 group that defines its own record dimension
 * (ICESat-2's beams {@code gt1l/delta_time}) has its own length per granule. The first, least
 * nested group (the root when a root variable runs along the record dimension) keeps the table at
 * the manifest's root, {@code _manifest/files.g<G>.json}, where manifests written before per-group
 * tables have their only one; each other group's table is {@code
 * <group>/_manifest/files.g<G>.json}.
 */
final class RecordGroups {
  private RecordGroups() {}

  /**
   * The record groups of variables with {@code signatures} ("" for the root): the least nested
   * first (its table at the manifest's root), then the others in name order.
   */
  static List<String> of(Map<String, Map<String, String>> signatures) {
    TreeSet<String> groups = new TreeSet<>();
    signatures.forEach(
        (name, sig) -> {
          if (VariableKind.valueOf(sig.get("kind")).alongRecords()) {
            groups.add(VariableSignature.recordGroup(sig));
          }
        });
    List<String> out = new ArrayList<>(groups);
    out.sort(
        Comparator.comparingInt(RecordGroups::levels).thenComparing(Comparator.naturalOrder()));
    return List.copyOf(out);
  }

  /** The folder of {@code group}'s table, "" (the manifest's root) for the first group. */
  static String tableFolder(String group, List<String> groups) {
    return groups.isEmpty() || groups.get(0).equals(group) ? "" : group;
  }

  /** How {@code name} names its record group's table ({@code files} of its zarr.json). */
  static String filesRef(String name, String group, List<String> groups, String filesName) {
    String folder = tableFolder(group, groups);
    int up =
        (int) name.chars().filter(c -> c == '/').count() - (folder.isEmpty() ? 0 : levels(folder));
    return "../".repeat(up) + filesName;
  }

  /** The key of {@code group}'s table of generation {@code generation}, from the manifest root. */
  static String tableKey(String group, List<String> groups, long generation) {
    String folder = tableFolder(group, groups);
    String name = ManifestFormat.filesKey(generation);
    return folder.isEmpty() ? name : folder + "/" + name;
  }

  /** The groups' names as the manifest and messages show them: "/" for the root. */
  static String display(String group) {
    return "/" + group;
  }

  private static int levels(String group) {
    return group.isEmpty() ? 0 : (int) group.chars().filter(c -> c == '/').count() + 1;
  }
}
