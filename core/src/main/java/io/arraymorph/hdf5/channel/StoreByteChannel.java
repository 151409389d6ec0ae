package io.arraymorph.hdf5.channel;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A read-only, thread-safe channel over one object in an {@link ObjectStore}, reading through
 * byte-range requests into a bounded cache of fixed-size blocks.
 *
 * <p>Parsers such as jhdf read a file in many small pieces (a superblock, an object header, a
 * B-tree node); against an object store each piece would be a request. This channel turns them into
 * a few large, aligned range requests: the first read fetches the start of the object, each miss
 * fetches the missing blocks plus some read-ahead, and concurrent readers of the same block share
 * one request.
 */
public final class StoreByteChannel implements SeekableByteChannel {
  private final ObjectStore store;
  private final String key;
  private final long size;
  private final String tag;
  private final ChannelOptions options;
  private final ChannelStats stats = new ChannelStats();
  private final Object lock = new Object();
  private final LinkedHashMap<Long, byte[]> cache;
  private final Map<Long, CompletableFuture<byte[]>> inFlight = new HashMap<>();
  private boolean firstFetchDone;
  private long position;
  private volatile boolean open = true;

  private StoreByteChannel(
      ObjectStore store, String key, long size, String tag, ChannelOptions options) {
    this.store = store;
    this.key = key;
    this.size = size;
    this.tag = tag;
    this.options = options;
    long maxBlocks = Math.max(1, options.maxCachedBytes() / options.blockSize());
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > maxBlocks;
          }
        };
  }

  /**
   * Opens a channel over {@code key}, asking the store for its size (one HEAD request).
   *
   * @throws ObjectNotFoundException when the object does not exist
   */
  public static StoreByteChannel open(ObjectStore store, String key, ChannelOptions options) {
    ObjectInfo info =
        Futures.join(store.head(key)).orElseThrow(() -> new ObjectNotFoundException(key));
    return new StoreByteChannel(store, key, info.size(), info.tag(), options);
  }

  /** Opens a channel over the object {@code info} describes, already looked up (no request). */
  public static StoreByteChannel open(
      ObjectStore store, String key, ObjectInfo info, ChannelOptions options) {
    return new StoreByteChannel(store, key, info.size(), info.tag(), options);
  }

  /** Opens a channel over an object whose size is already known (no request). */
  public static StoreByteChannel open(
      ObjectStore store, String key, long size, ChannelOptions options) {
    return new StoreByteChannel(store, key, size, null, options);
  }

  /** The object's entity tag when the channel was opened ({@link ObjectInfo#tag}), or null. */
  public String tag() {
    return tag;
  }

  public ChannelStats stats() {
    return stats;
  }

  public String key() {
    return key;
  }

  /**
   * Reads into {@code dst} from {@code pos} without moving the channel's position; safe to call
   * from many threads.
   *
   * @return the bytes read, or -1 when {@code pos} is at or past the end
   */
  public int read(ByteBuffer dst, long pos) throws IOException {
    ensureOpen();
    if (pos < 0) {
      throw new IllegalArgumentException("Negative position " + pos);
    }
    if (pos >= size) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), size - pos);
    if (n == 0) {
      return 0;
    }
    int bs = options.blockSize();
    long first = pos / bs;
    long last = (pos + n - 1) / bs;
    List<CompletableFuture<byte[]>> blocks = blocks(first, last);
    long at = pos;
    for (CompletableFuture<byte[]> f : blocks) {
      byte[] block = await(f);
      int within = (int) (at - (at / bs) * bs);
      int len = (int) Math.min(block.length - within, pos + n - at);
      if (len <= 0) {
        throw new IOException(
            "Object '" + key + "' is shorter than its size " + size + " (changed while open?)");
      }
      dst.put(block, within, len);
      at += len;
    }
    return n;
  }

  /** Reads exactly {@code length} bytes at {@code pos}, or fails. */
  public byte[] readFully(long pos, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (read(buf, pos + buf.position()) <= 0) {
        throw new IOException(
            "Cannot read " + length + " bytes at " + pos + " of '" + key + "' (size " + size + ")");
      }
    }
    return buf.array();
  }

  /**
   * Futures of blocks {@code first..last}: cached ones complete, in-flight ones shared, missing
   * runs fetched with one range request each (extended by read-ahead).
   */
  private List<CompletableFuture<byte[]>> blocks(long first, long last) {
    List<CompletableFuture<byte[]>> out = new ArrayList<>((int) (last - first + 1));
    List<long[]> runs = new ArrayList<>();
    synchronized (lock) {
      long b = first;
      while (b <= last) {
        byte[] cached = cache.get(b);
        if (cached != null) {
          stats.cacheHits.increment();
          out.add(CompletableFuture.completedFuture(cached));
          b++;
          continue;
        }
        CompletableFuture<byte[]> pending = inFlight.get(b);
        if (pending != null) {
          stats.cacheHits.increment();
          out.add(pending);
          b++;
          continue;
        }
        long runEnd = runEnd(b, last);
        for (long r = b; r <= runEnd; r++) {
          CompletableFuture<byte[]> f = new CompletableFuture<>();
          inFlight.put(r, f);
          if (r <= last) {
            stats.cacheMisses.increment();
            out.add(f);
          }
        }
        runs.add(new long[] {b, runEnd});
        b = Math.min(runEnd, last) + 1;
      }
    }
    for (long[] run : runs) {
      fetch(run[0], run[1]);
    }
    return out;
  }

  /** The last block to fetch in a run starting at a missing block {@code start}. Holds the lock. */
  private long runEnd(long start, long last) {
    int bs = options.blockSize();
    long lastBlock = (size - 1) / bs;
    long end = start;
    while (end < last && isMissing(end + 1)) {
      end++;
    }
    long wanted = end == last ? last + options.readAheadBlocks() : end;
    if (!firstFetchDone && start == 0) {
      // The superblock and root group metadata are at the start: fetch a generous prefix once.
      wanted = Math.max(wanted, (options.initialReadBytes() - 1L) / bs);
      firstFetchDone = true;
    }
    wanted = Math.min(wanted, lastBlock);
    while (end < wanted && isMissing(end + 1)) {
      end++;
    }
    return end;
  }

  private boolean isMissing(long block) {
    return !cache.containsKey(block) && !inFlight.containsKey(block);
  }

  // The future of whenComplete is not kept: its callback completes every waiting block's future.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void fetch(long firstBlock, long lastBlock) {
    int bs = options.blockSize();
    long offset = firstBlock * bs;
    int length = (int) (Math.min(size, (lastBlock + 1) * bs) - offset);
    stats.rangeRequests.increment();
    CompletableFuture<byte[]> request;
    try {
      request = store.getRange(key, offset, length);
    } catch (RuntimeException e) {
      request = CompletableFuture.failedFuture(e);
    }
    request.whenComplete(
        (data, error) -> {
          List<CompletableFuture<byte[]>> waiting = new ArrayList<>();
          byte[][] parts = new byte[(int) (lastBlock - firstBlock + 1)][];
          if (data != null) {
            stats.bytesFetched.add(data.length);
            for (int i = 0; i < parts.length; i++) {
              int from = Math.min(data.length, i * bs);
              int to = Math.min(data.length, from + bs);
              parts[i] = java.util.Arrays.copyOfRange(data, from, to);
            }
          }
          synchronized (lock) {
            for (int i = 0; i < parts.length; i++) {
              long b = firstBlock + i;
              waiting.add(inFlight.remove(b));
              // A short block means the object shrank; never cache it, so later reads retry.
              if (data != null && parts[i].length == expectedBlockLength(b)) {
                cache.put(b, parts[i]);
              }
            }
          }
          for (int i = 0; i < waiting.size(); i++) {
            if (data != null) {
              waiting.get(i).complete(parts[i]);
            } else {
              waiting.get(i).completeExceptionally(error);
            }
          }
        });
  }

  private int expectedBlockLength(long block) {
    int bs = options.blockSize();
    return (int) Math.min(bs, size - block * bs);
  }

  private byte[] await(CompletableFuture<byte[]> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("Interrupted reading '" + key + "'");
    } catch (ExecutionException e) {
      Throwable cause = Futures.unwrap(e);
      throw new IOException(
          "Cannot read '" + key + "' from " + store.describe() + ": " + cause, cause);
    }
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) {
      throw new ClosedChannelException();
    }
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    int n = read(dst, position);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public synchronized long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public synchronized SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("Negative position " + newPosition);
    }
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Drops the cache; the store stays open (its owner closes it). */
  @Override
  public void close() {
    open = false;
    synchronized (lock) {
      cache.clear();
    }
  }
}
