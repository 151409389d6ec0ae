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
        if (!(g.max(rec) <= prevMax)) {
          prevMax = g.max(rec);
          prevUrl = g.url();
        }
      }
    }
    for (GranuleIndex g : ordered) {
      double[] r = CoordinateRanges.of(g.variable(rec));
      if (r == null || Double.isNaN(r[0])) {
        continue;
      }
      if (prevUrl != null && r[0] <= prevMax) {
        throw new ArrayMorphException(
            "Granule '"
                + g.url()
                + "' has "
                + rec
                + " from "
                + r[0]
                + " to "
                + r[1]
                + ", which overlaps granule '"
                + prevUrl
                + "' (up to "
                + prevMax
                + "); a manifest concatenates granules whose "
                + rec
                + " ranges follow one another"
                + (existing == null
                    ? ""
                    : " (an append must follow the manifest's last " + rec + ")")
                + ": leave the duplicate granule out");
      }
      prevMax = r[1];
      prevUrl = g.url();
    }
  }
}
