package io.arraymorph.spark.source;

import java.io.Serializable;
import java.util.List;

/**
 * The datasets read from one location.
 *
 * @param location the store or file location to open
 * @param label the {@code file} column's value for many-files reads, else null
 * @param arrays the datasets, in the order the read names them
 */
public record SparkFileArrays(String location, String label, List<SparkArrayInfo> arrays)
    implements Serializable {

  public SparkArrayInfo primary() {
    return arrays.get(0);
  }
}
