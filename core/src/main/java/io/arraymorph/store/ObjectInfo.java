package io.arraymorph.store;

/**
 * An object's key (relative to the store's root), size in bytes and, from {@link ObjectStore#head},
 * an entity tag: a value that changes whenever the object is replaced, also by one of the same size
 * (S3's and Azure's ETag, the local file's identity and modification time, Hadoop's modification
 * time). The tag is null where the store gives none (listings); compare tags only when both are
 * set.
 */
public record ObjectInfo(String key, long size, String tag) {
  /** An object without a tag. */
  public ObjectInfo(String key, long size) {
    this(key, size, null);
  }

  /**
   * Whether this object may be a different one from {@code earlier} (the same key seen before): its
   * size differs, or both have tags and they differ.
   */
  public boolean changedSince(long earlierSize, String earlierTag) {
    return size != earlierSize || (tag != null && earlierTag != null && !tag.equals(earlierTag));
  }
}
