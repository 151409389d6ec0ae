package io.arraymorph.spark;

import io.arraymorph.api.Dataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import java.io.Serializable;
import java.util.List;

/** What planning and readers need to know of one dataset, shipped to executors. */
public record SparkArrayInfo(
    String path,
    String columnName,
    DataType dataType,
    long[] shape,
    int[] chunkShape,
    List<String> dimensionNames,
    byte[] fillValue)
    implements Serializable {

  /** Describes an open dataset. */
  public static SparkArrayInfo of(Dataset ds) {
    String path = ds.path();
    String column = path.substring(path.lastIndexOf('/') + 1);
    return new SparkArrayInfo(
        path,
        column,
        ds.dataType(),
        ds.shape(),
        ds.chunkShape(),
        List.copyOf(ds.dimensionNames()),
        ds.chunkSource().fillValue());
  }

  public ChunkGrid grid() {
    return new ChunkGrid(shape, chunkShape);
  }

  public int rank() {
    return shape.length;
  }

  /** Decoded bytes of one whole chunk. */
  public long chunkBytes() {
    return grid().chunkElements() * dataType.byteSize();
  }
}
