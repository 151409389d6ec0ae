package io.arraymorph.store;

import io.arraymorph.options.ArrayMorphOptions;

/**
 * The cost of a request to a store, after the ArrayMorph paper (PVLDB 18(9), 2025): {@code latency
 * + bytes / bandwidth}. It decides whether a chunk is fetched whole or as byte ranges, and when two
 * ranges are cheaper merged than apart (when the gap between them costs less than a request).
 */
public record CostModel(double latencySeconds, double bytesPerSecond) {

  /** Object stores over HTTP: tens of milliseconds per request, ~100 MB/s per connection. */
  public static final CostModel REMOTE = new CostModel(0.020, 100e6);

  /** Local disk with a warm page cache. */
  public static final CostModel LOCAL = new CostModel(0.00005, 2e9);

  /**
   * The model for a store: {@code request_latency_ms} and {@code request_bandwidth_mbps} settings
   * override the given default.
   */
  public static CostModel from(StoreSettings settings, CostModel defaults) {
    double latency =
        settings
            .find(ArrayMorphOptions.REQUEST_LATENCY_MS)
            .map(ms -> ms / 1000.0)
            .orElse(defaults.latencySeconds);
    double bandwidth =
        settings
            .find(ArrayMorphOptions.REQUEST_BANDWIDTH_MBPS)
            .map(mbps -> mbps * 1e6)
            .orElse(defaults.bytesPerSecond);
    return new CostModel(latency, bandwidth);
  }

  /** The cost of {@code requests} requests moving {@code bytes} bytes in all. */
  public double cost(long requests, long bytes) {
    return requests * latencySeconds + bytes / bytesPerSecond;
  }

  /**
   * Whether reading {@code ranges} byte ranges totalling {@code rangeBytes} beats one GET of the
   * whole {@code objectBytes} object by at least 10%: below that the saving is noise, and a whole
   * object is simpler to verify and cache.
   */
  public boolean rangesPayOff(long ranges, long rangeBytes, long objectBytes) {
    return cost(ranges, rangeBytes) <= 0.9 * cost(1, objectBytes);
  }

  /** The largest gap between two ranges that is cheaper to read through than to skip. */
  public long mergeGapBytes() {
    return (long) (latencySeconds * bytesPerSecond);
  }
}
