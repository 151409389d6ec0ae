package io.arraymorph.write;

/** What a write does to its dataset. */
public enum WriteMode {
  /** A new dataset: chunks go to their final keys, metadata is written last. */
  CREATE,
  /**
   * An existing dataset keeps its layout (type, chunks, codecs, fill value, key encoding); the
   * elements written replace stored ones, the others keep their values, and the shape grows to hold
   * indices past its end. Chunks are staged and published at commit.
   */
  APPEND,
  /** An existing dataset is replaced; chunks are staged and published at commit. */
  OVERWRITE
}
