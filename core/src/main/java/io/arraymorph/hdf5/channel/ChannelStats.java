package io.arraymorph.hdf5.channel;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link StoreByteChannel} asked its store for, and how often its cache answered instead.
 */
public final class ChannelStats {
  final LongAdder rangeRequests = new LongAdder();
  final LongAdder bytesFetched = new LongAdder();
  final LongAdder cacheHits = new LongAdder();
  final LongAdder cacheMisses = new LongAdder();

  /** Range GETs issued to the store (the size lookup at open is not counted here). */
  public long rangeRequests() {
    return rangeRequests.sum();
  }

  public long bytesFetched() {
    return bytesFetched.sum();
  }

  /** Block lookups answered from the cache. */
  public long cacheHits() {
    return cacheHits.sum();
  }

  /** Block lookups that needed a fetch (several may share one range request). */
  public long cacheMisses() {
    return cacheMisses.sum();
  }

  @Override
  public String toString() {
    return String.format(
        "rangeRequests=%d bytesFetched=%d cacheHits=%d cacheMisses=%d",
        rangeRequests(), bytesFetched(), cacheHits(), cacheMisses());
  }
}
