package io.arraymorph.hdf5;

/** How a dataset's raw data is stored in the file. */
public enum Hdf5Layout {
  /** In chunks found through a chunk index; each chunk is read with one range request. */
  CHUNKED,
  /** One contiguous run of bytes, read by ranges over a synthetic chunk grid. */
  CONTIGUOUS,
  /** Inside the object header, already in memory once the header is read. */
  COMPACT,
  /**
   * A virtual dataset (VDS): assembled from regions of source datasets, in this file or in sibling
   * files, over a synthetic chunk grid like {@link #CONTIGUOUS}.
   */
  VIRTUAL
}
