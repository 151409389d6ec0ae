package io.arraymorph.manifest;

import io.arraymorph.ArrayMorphException;
import java.util.List;

/**
 * Refuses granules whose record coordinate ranges overlap: a manifest concatenates granules whose
 * record ranges follow one another, and an append must follow the manifest's last record.
 */
final class RecordRangeOrder {
  private RecordRangeOrder() {}

  /** Checks {@code ordered} (in manifest order) after the granules of {@code existing}, if any. */
  static void check(List<GranuleIndex> ordered, ExistingManifest existing, String rec) {
    String prevUrl = null;
    double prevMax = Double.NaN;
    if (existing != null && !existing.granules().isEmpty()) {
      for (GranuleRange g : existing.granules()) {
        String name = CoordinateRanges.recordCoordinate(g.coordinateRanges().keySet(), rec);
        if (name != null && !(g.max(name) <= prevMax)) {
          prevMax = g.max(name);
          prevUrl = g.url();
        }
      }
    }
    for (GranuleIndex g : ordered) {
      GranuleVariable coordinate = CoordinateRanges.recordCoordinate(g, rec);
      double[] r = CoordinateRanges.of(coordinate);
      if (r == null || Double.isNaN(r[0])) {
        continue;
      }
      String name = coordinate.name();
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
