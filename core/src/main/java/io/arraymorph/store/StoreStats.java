package io.arraymorph.store;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the requests a store served, safe to update from many threads. */
public final class StoreStats {
  final LongAdder gets = new LongAdder();
  final LongAdder rangeGets = new LongAdder();
  final LongAdder puts = new LongAdder();
  final LongAdder heads = new LongAdder();
  final LongAdder lists = new LongAdder();
  final LongAdder deletes = new LongAdder();
  final LongAdder notFound = new LongAdder();
  final LongAdder bytesRead = new LongAdder();
  final LongAdder bytesWritten = new LongAdder();
  final LongAdder waitNanos = new LongAdder();

  /** Whole-object GETs, found or not. */
  public long gets() {
    return gets.sum();
  }

  /** Byte-range GETs. */
  public long rangeGets() {
    return rangeGets.sum();
  }

  public long puts() {
    return puts.sum();
  }

  public long heads() {
    return heads.sum();
  }

  public long lists() {
    return lists.sum();
  }

  public long deletes() {
    return deletes.sum();
  }

  /** GETs answered with "no such object". */
  public long notFound() {
    return notFound.sum();
  }

  /** Every request of any kind. */
  public long requests() {
    return gets() + rangeGets() + puts() + heads() + lists() + deletes();
  }

  public long bytesRead() {
    return bytesRead.sum();
  }

  public long bytesWritten() {
    return bytesWritten.sum();
  }

  /** Summed time from issuing a request to its completion, in nanoseconds. */
  public long waitNanos() {
    return waitNanos.sum();
  }

  /** Sets every counter to zero. */
  /** Adds another store's counters to these (e.g. totals over several stores). */
  public void add(StoreStats other) {
    gets.add(other.gets());
    rangeGets.add(other.rangeGets());
    puts.add(other.puts());
    heads.add(other.heads());
    lists.add(other.lists());
    deletes.add(other.deletes());
    notFound.add(other.notFound());
    bytesRead.add(other.bytesRead());
    bytesWritten.add(other.bytesWritten());
    waitNanos.add(other.waitNanos());
  }

  public void reset() {
    for (LongAdder a :
        new LongAdder[] {
          gets, rangeGets, puts, heads, lists, deletes, notFound, bytesRead, bytesWritten, waitNanos
        }) {
      a.reset();
    }
  }

  @Override
  public String toString() {
    return String.format(
        "gets=%d rangeGets=%d puts=%d heads=%d lists=%d deletes=%d bytesRead=%d bytesWritten=%d",
        gets(), rangeGets(), puts(), heads(), lists(), deletes(), bytesRead(), bytesWritten());
  }
}
