package io.arraymorph.hdf5;

import io.arraymorph.hdf5.channel.ChannelOptions;

/**
 * How an {@link Hdf5File} reads.
 *
 * @param channel how metadata is fetched and cached
 * @param contiguousChunkBytes the target size of the synthetic chunks a contiguous dataset is read
 *     in: a selection fetches only the runs of this size it touches
 */
public record Hdf5ReadOptions(ChannelOptions channel, long contiguousChunkBytes) {

  /** Default channel options and 2 MiB contiguous runs. */
  public static final Hdf5ReadOptions DEFAULT =
      new Hdf5ReadOptions(ChannelOptions.DEFAULT, 2L * 1024 * 1024);

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException when the run size is below 1 byte
   */
  public Hdf5ReadOptions {
    if (channel == null) {
      throw new IllegalArgumentException("channel options are required");
    }
    if (contiguousChunkBytes < 1) {
      throw new IllegalArgumentException("contiguousChunkBytes must be >= 1");
    }
  }

  /** These options with other channel options. */
  public Hdf5ReadOptions withChannel(ChannelOptions options) {
    return new Hdf5ReadOptions(options, contiguousChunkBytes);
  }
}
