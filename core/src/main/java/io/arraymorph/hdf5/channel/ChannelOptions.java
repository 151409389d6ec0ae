package io.arraymorph.hdf5.channel;

/**
 * How a {@link StoreByteChannel} reads: the block size it caches, how much it fetches up front and
 * on each miss, and the cache's bound.
 *
 * <p>HDF5 metadata is small and scattered, and each request to an object store costs tens of
 * milliseconds, so fetching a little more than asked (read-ahead) is cheaper than a second request.
 *
 * @param blockSize bytes per cached block (the unit of a cache entry)
 * @param initialReadBytes bytes fetched from the start of the object by the first read: the
 *     superblock and the root group's metadata sit there
 * @param readAheadBlocks blocks fetched beyond the last block a read needs
 * @param maxCachedBytes the cache's bound; least recently used blocks leave first
 */
public record ChannelOptions(
    int blockSize, int initialReadBytes, int readAheadBlocks, long maxCachedBytes) {

  /** 256 KiB blocks, 1 MiB first read, 2 blocks of read-ahead, at most 64 MiB cached. */
  public static final ChannelOptions DEFAULT =
      new ChannelOptions(256 * 1024, 1024 * 1024, 2, 64L * 1024 * 1024);

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException when a size is out of range
   */
  public ChannelOptions {
    if (blockSize < 512 || blockSize > 64 * 1024 * 1024) {
      throw new IllegalArgumentException("blockSize must be in [512, 64 MiB], was " + blockSize);
    }
    if (initialReadBytes < 0 || readAheadBlocks < 0) {
      throw new IllegalArgumentException("initialReadBytes and readAheadBlocks must be >= 0");
    }
    if (maxCachedBytes < blockSize) {
      throw new IllegalArgumentException("maxCachedBytes must hold at least one block");
    }
  }
}
