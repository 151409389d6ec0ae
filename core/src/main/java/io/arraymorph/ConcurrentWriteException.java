package io.arraymorph;

/**
 * Another writer holds or changed the dataset: a write found a live writer lock, or a read saw the
 * dataset republished while it read and could not get one whole version. The message names the
 * dataset, the other job where known, and what to do.
 */
public class ConcurrentWriteException extends ArrayMorphException {
  public ConcurrentWriteException(String message) {
    super(message);
  }
}
