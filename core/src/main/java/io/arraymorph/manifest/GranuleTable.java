package io.arraymorph.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A granule table a write publishes, of one record group ({@link RecordGroups}): the existing
 * manifest's granules, then the new ones, each with its record range along the group's record
 * dimension and the {@code [min, max]} of 1-d coordinates (the first group's table: every one the
 * manifest holds; another group's: those of the group).
 *
 * @param granules every granule of the manifest after the write
 * @param firstFile the number of the first new granule
 * @param firstRecord the first record of the first new granule
 * @param records the length of the group's record dimension after the write
 */
record GranuleTable(List<GranuleRange> granules, int firstFile, long firstRecord, long records) {

  /**
   * {@code existing}'s table of {@code group} (none: empty) extended with {@code checked}'s
   * granules.
   */
  static GranuleTable extend(ExistingManifest existing, CheckedCollection checked, String group) {
    List<String> groups = checked.recordGroups();
    boolean first = RecordGroups.tableFolder(group, groups).isEmpty();
    List<GranuleRange> table =
        new ArrayList<>(existing == null ? List.of() : existing.table(group, groups));
    long records = table.isEmpty() ? 0 : table.get(table.size() - 1).recordEnd();
    long firstRecord = records;
    int firstFile = table.size();
    for (int i = 0; i < checked.granules().size(); i++) {
      GranuleIndex g = checked.granules().get(i);
      long count = checked.recordCounts().get(i).getOrDefault(group, 0L);
      Map<String, double[]> ranges = new LinkedHashMap<>();
      for (GranuleVariable v : g.variables()) {
        if (checked.kinds().containsKey(v.name())
            && v.isCoordinate()
            && (first || v.name().startsWith(group + "/"))) {
          ranges.put(v.name(), CoordinateRanges.of(v));
        }
      }
      table.add(new GranuleRange(table.size(), g.url(), records, count, ranges, g.size(), g.tag()));
      records += count;
    }
    return new GranuleTable(table, firstFile, firstRecord, records);
  }
}
