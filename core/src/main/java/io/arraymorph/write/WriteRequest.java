package io.arraymorph.write;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.array.DataType;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a caller asks of one dataset write. For {@link WriteMode#CREATE} and {@link
 * WriteMode#OVERWRITE} the fields describe the new dataset (defaults already applied; {@code
 * dataType} and {@code chunks} are required). For {@link WriteMode#APPEND} only the values the user
 * gave explicitly are set, the rest null: the stored metadata decides, and a given value that
 * contradicts it is refused by {@link DatasetWrite#plan}.
 *
 * @param path the dataset's path from the store's root
 * @param rank the number of dimensions of the data written
 * @param dataType the element type (option {@code dtype}), or null
 * @param compression chunk compression (option {@code codec}), or null
 * @param compressionLevel the compression level, or -1 for the codec's default
 * @param fillValue the value of elements never written (option {@code fill_value}), or null
 * @param chunks the chunk shape (option {@code chunks}), or null
 * @param shape the shape (option {@code shape}), -1 entries inferred from the data, or null
 * @param dimensionNames the dimension names, or null
 * @param attributes the user attributes of a new dataset, or null (an append keeps the stored)
 * @param shards the shard shape of a new sharded dataset (each extent a multiple of {@code
 *     chunks}), or null for one object per chunk
 */
public record WriteRequest(
    String path,
    WriteMode mode,
    int rank,
    DataType dataType,
    ArraySpec.Compression compression,
    int compressionLevel,
    Number fillValue,
    int[] chunks,
    long[] shape,
    List<String> dimensionNames,
    Map<String, Object> attributes,
    int[] shards)
    implements Serializable {

  /** A request for a dataset stored one object per chunk (not sharded). */
  public WriteRequest(
      String path,
      WriteMode mode,
      int rank,
      DataType dataType,
      ArraySpec.Compression compression,
      int compressionLevel,
      Number fillValue,
      int[] chunks,
      long[] shape,
      List<String> dimensionNames,
      Map<String, Object> attributes) {
    this(
        path,
        mode,
        rank,
        dataType,
        compression,
        compressionLevel,
        fillValue,
        chunks,
        shape,
        dimensionNames,
        attributes,
        null);
  }
}
