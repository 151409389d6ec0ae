package io.arraymorph;

/**
 * A dataset's publication stopped part-way (its writer failed or crashed after marking the metadata
 * publishing): its chunks may mix two versions, so readers refuse it until it is repaired. The
 * message names the dataset, the job and the fix ({@code arraymorph repair}, {@code
 * ArrayStore.repair}, or the next write, which finishes it).
 */
public class InterruptedPublicationException extends ArrayMorphException {
  public InterruptedPublicationException(String message) {
    super(message);
  }

  public InterruptedPublicationException(String message, Throwable cause) {
    super(message, cause);
  }
}
