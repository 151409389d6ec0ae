package io.arraymorph.spark;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.cf.CfEncoding;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.ZarrDataset;
import java.io.Serializable;
import java.util.List;

/**
 * What planning and readers need to know of one dataset, shipped to executors.
 *
 * @param decoder how values decode (CF conventions); identity when {@code decode_cf=false}
 * @param dimensionTimes per dimension, the timestamps (microseconds) of its CF time coordinate
 *     variable, or null where the dimension column holds plain indices
 * @param generation the {@link Publication} generation planned with, or -1 when the dataset records
 *     none (then readers do not check it)
 */
public record SparkArrayInfo(
    String path,
    String columnName,
    DataType dataType,
    long[] shape,
    int[] chunkShape,
    List<String> dimensionNames,
    byte[] fillValue,
    SparkCfDecoder decoder,
    long[][] dimensionTimes,
    long generation)
    implements Serializable {

  /** Describes an open dataset, values as stored. */
  public static SparkArrayInfo of(Dataset ds) {
    return of(ds, null, false);
  }

  /**
   * Describes an open dataset; with {@code decodeCf}, its values decode by the CF conventions and
   * dimensions with a time coordinate variable in {@code store} become timestamps.
   */
  public static SparkArrayInfo of(Dataset ds, ArrayStore store, boolean decodeCf) {
    String path = ds.path();
    String column = path.substring(path.lastIndexOf('/') + 1);
    CfEncoding cf =
        decodeCf ? CfEncoding.of(ds.attributes(), ds.dataType()) : CfEncoding.none(ds.dataType());
    long[][] times =
        decodeCf && store != null
            ? SparkTimeCoordinates.of(store, ds)
            : new long[ds.shape().length][];
    return new SparkArrayInfo(
        path,
        column,
        ds.dataType(),
        ds.shape(),
        ds.chunkShape(),
        List.copyOf(ds.dimensionNames()),
        ds.chunkSource().fillValue(),
        new SparkCfDecoder(cf),
        times,
        generationOf(ds));
  }

  /** The generation of a Zarr v3 dataset that records one, else -1. */
  static long generationOf(Dataset ds) {
    return ds instanceof ZarrDataset z
        ? Publication.of(z.metadata()).map(Publication::generation).orElse(-1L)
        : -1;
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

  /** The Spark type of the value column. */
  public org.apache.spark.sql.types.DataType sparkType() {
    return decoder.sparkType();
  }

  /** Whether dimension {@code d} is shown as the timestamps of its time coordinate. */
  public boolean isTimeDimension(int d) {
    return dimensionTimes != null && d < dimensionTimes.length && dimensionTimes[d] != null;
  }
}
