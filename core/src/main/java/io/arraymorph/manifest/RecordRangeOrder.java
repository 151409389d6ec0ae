package io.arraymorph.manifest;

import io.arraymorph.ArrayMorphException;
import java.util.Collection;
import java.util.List;

/**
 * Refuses granules whose record coordinate ranges overlap: a manifest concatenates granules whose
 * record ranges follow one another, and an append must follow the manifest's last record.
 */
final class RecordRangeOrder {
  private RecordRangeOrder() {}

  /**
   * Checks {@code ordered} (in manifest order) after the granules of {@code existing}, if any, on
   * each record coordinate of {@code coordinates} (the granule table holds every one's ranges).
   */
  static void check(
      List<GranuleIndex> ordered, ExistingManifest existing, Collection<String> coordinates) {
    for (String name : coordinates) {
      check(ordered, existing, name);
    }
  }

  private static void check(List<GranuleIndex> ordered, ExistingManifest existing, String name) {
    String prevUrl = null;
    double prevMax = Double.NaN;
    if (existing != null) {
      for (GranuleRange g : existing.granules()) {
        double max = g.max(name);
        if (!Double.isNaN(max) && !(max <= prevMax)) {
          prevMax = max;
          prevUrl = g.url();
        }
      }
    }
    for (GranuleIndex g : ordered) {
      double[] r = CoordinateRanges.of(g.variable(name));
      if (r == null || Double.isNaN(r[0])) {
        continue;
      }
      if (prevUrl != null && r[0] <= prevMax) {
        throw new ArrayMorphException(
            "Granule '"
                + g.url()
                + "' has "
                + name
                + " from "
                + r[0]
                + " to "
                + r[1]
                + ", which overlaps granule '"
                + prevUrl
                + "' (up to "
                + prevMax
                + "); a manifest concatenates granules whose "
                + name
                + " ranges follow one another"
                + (existing == null
                    ? ""
                    : " (an append must follow the manifest's last " + name + ")")
                + ": leave the duplicate granule out");
      }
      prevMax = r[1];
      prevUrl = g.url();
    }
  }
}
