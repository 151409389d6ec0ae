package io.arraymorph.spark;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.array.DataType;
import java.io.Serializable;
import java.util.List;

/**
 * One dataset a write produces: where it goes, from which input column, as which type, and whether
 * it creates, updates (append) or replaces (overwrite) the dataset.
 *
 * @param column the input column's ordinal
 * @param sparkType the input column's type (for rows layout, the innermost element type)
 * @param baseGeneration the {@link io.arraymorph.zarr.Publication} generation of the existing
 *     dataset when the write was planned (0 when it records none), or -1 for a new dataset
 */
record SparkWriteTarget(
    String path,
    String columnName,
    int column,
    org.apache.spark.sql.types.DataType sparkType,
    DataType dataType,
    Mode mode,
    ArraySpec.Compression compression,
    Number fillValue,
    List<String> dimensionNames,
    long baseGeneration)
    implements Serializable {

  /** What happens to the dataset. */
  enum Mode {
    /** A new dataset: chunks go to final keys, metadata is written at job commit. */
    CREATE,
    /** An existing dataset keeps its shape; partial chunks are merged with stored ones. */
    APPEND,
    /** An existing dataset is replaced; chunks are staged and published at job commit. */
    OVERWRITE
  }

  /** The spec of the dataset for a given shape and chunk shape. */
  ArraySpec spec(long[] shape, int[] chunks) {
    ArraySpec spec =
        ArraySpec.of(dataType, shape).chunks(chunks).compression(compression).fillValue(fillValue);
    if (dimensionNames != null) {
      spec.dimensionNames(dimensionNames.toArray(String[]::new));
    }
    return spec;
  }

  /** Whether chunks are written to a staging prefix first. */
  boolean staged() {
    return mode != Mode.CREATE;
  }
}
