package io.arraymorph.manifest;

import java.util.Map;

/**
 * Where one granule sits in a manifest: its record-index range and the range of values of each 1-d
 * coordinate it holds, so a reader can skip granules a coordinate filter excludes.
 *
 * @param fileId the granule's number in the manifest (the order it was added in)
 * @param url the granule's location
 * @param recordStart its first index along the record dimension
 * @param recordCount how many records it holds
 * @param coordinateRanges per 1-d coordinate (the record coordinate and others, e.g. {@code lat}):
 *     {@code [min, max]} of its stored values (NaN ignored; both NaN when every value is NaN)
 * @param size the granule's size in bytes when it was indexed, or -1 when the manifest does not say
 *     (written before ArrayMorph recorded it): then its reads are not checked
 * @param tag its entity tag when it was indexed, or null (none recorded, or the store gives none)
 */
public record GranuleRange(
    int fileId,
    String url,
    long recordStart,
    long recordCount,
    Map<String, double[]> coordinateRanges,
    long size,
    String tag) {

  /** Whether the manifest recorded the granule's version, so reads can check they read that one. */
  public boolean versioned() {
    return size >= 0;
  }

  /** The end of its record range (exclusive). */
  public long recordEnd() {
    return recordStart + recordCount;
  }

  /** The smallest stored value of {@code coordinate}, NaN when unknown. */
  public double min(String coordinate) {
    double[] r = coordinateRanges.get(coordinate);
    return r == null ? Double.NaN : r[0];
  }

  /** The largest stored value of {@code coordinate}, NaN when unknown. */
  public double max(String coordinate) {
    double[] r = coordinateRanges.get(coordinate);
    return r == null ? Double.NaN : r[1];
  }
}
