package io.arraymorph.api;

import java.util.List;
import java.util.Map;

/**
 * A group or dataset found in a store: what {@code list} shows. For groups, the array fields are
 * empty or null.
 */
public record NodeInfo(
    String path,
    Kind kind,
    long[] shape,
    String dataType,
    int[] chunkShape,
    String codecs,
    List<String> dimensionNames,
    Map<String, Object> attributes) {

  /** Whether a node is a group or a dataset. */
  public enum Kind {
    GROUP,
    DATASET
  }
}
