package io.arraymorph.spark.source;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.DataType;
import io.arraymorph.cf.CfEncoding;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.Metadata;

/**
 * What planning and readers need to know of one dataset, shipped to executors.
 *
 * @param decoder how values decode (CF conventions); identity when {@code decode_cf=false}
 * @param dimensionTimes per dimension, the timestamps (microseconds) of its CF time coordinate
 *     variable, or null where the dimension column holds plain indices
 * @param dimensionValues per dimension, the values of its numeric coordinate variable with option
 *     {@code coordinate_values}, or null (the column holds indices or times)
 * @param valueType the Spark type of an HDF5 string, compound or enum dataset ({@link
 *     SparkValueColumns}), null for numeric datasets
 * @param valueMetadata the JSON of that column's metadata (an enum's codes), or null
 * @param elementBytes bytes per stored element
 * @param generation the version planned with ({@link Dataset#generation()}), or -1 when the dataset
 *     records none (then readers do not check it)
 * @param ref the metadata the driver read, from which executors reopen the dataset without requests
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
    double[][] dimensionValues,
    org.apache.spark.sql.types.DataType valueType,
    String valueMetadata,
    int elementBytes,
    long generation,
    DatasetRef ref)
    implements Serializable {

  /**
   * Describes an open dataset; with {@code decodeCf}, its values decode by the CF conventions and
   * dimensions with a time coordinate variable in {@code store} become timestamps.
   */
  public static SparkArrayInfo of(Dataset ds, DatasetRef ref, ArrayStore store, boolean decodeCf) {
    return of(ds, ref, store, decodeCf, false);
  }

  /**
   * As {@link #of(Dataset, DatasetRef, ArrayStore, boolean)}; with {@code coordinateValues},
   * dimensions with a numeric coordinate variable hold its values ({@link SparkValueCoordinates}).
   */
  public static SparkArrayInfo of(
      Dataset ds, DatasetRef ref, ArrayStore store, boolean decodeCf, boolean coordinateValues) {
    String path = ds.path();
    String column = path.substring(path.lastIndexOf('/') + 1);
    long[][] times =
        decodeCf && store != null
            ? SparkTimeCoordinates.of(store, ds, ref)
            : new long[ds.shape().length][];
    double[][] values =
        coordinateValues && decodeCf && store != null
            ? SparkValueCoordinates.of(store, ds, ref, times)
            : new double[ds.shape().length][];
    if (SparkValueColumns.isValues(ds)) {
      // Strings, compounds and enums: no CF decoding; read as values, never as numbers.
      return new SparkArrayInfo(
          path,
          column,
          DataType.UINT8,
          ds.shape(),
          ds.chunkShape(),
          List.copyOf(ds.dimensionNames()),
          new byte[1],
          new SparkCfDecoder(CfEncoding.none(DataType.UINT8)),
          times,
          values,
          SparkValueColumns.sparkType(ds.elementType()),
          SparkValueColumns.metadata(ds.elementType()).json(),
          ds.elementBytes(),
          -1,
          ref);
    }
    CfEncoding cf;
    try {
      cf =
          decodeCf ? CfEncoding.of(ds.attributes(), ds.dataType()) : CfEncoding.none(ds.dataType());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Dataset '" + path + "': " + e.getMessage(), e);
    }
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
        values,
        null,
        null,
        ds.dataType().byteSize(),
        ds.generation(),
        ref);
  }

  public ChunkGrid grid() {
    return new ChunkGrid(shape, chunkShape);
  }

  public int rank() {
    return shape.length;
  }

  /** Decoded bytes of one whole chunk. */
  public long chunkBytes() {
    return grid().chunkElements() * elementBytes;
  }

  /** Whether the dataset is read as values (strings, compounds, enums) rather than numbers. */
  public boolean isValues() {
    return valueType != null;
  }

  /** The Spark type of the value column. */
  public org.apache.spark.sql.types.DataType sparkType() {
    return valueType != null ? valueType : decoder.sparkType();
  }

  /** Whether the value column can hold nulls (missing values, enum codes without a label). */
  public boolean nullable() {
    return valueType != null || decoder.nullable();
  }

  /** The value column's metadata (an enum's label-to-code mapping). */
  public Metadata metadata() {
    return valueMetadata == null ? Metadata.empty() : Metadata.fromJson(valueMetadata);
  }

  /** Whether dimension {@code d} is shown as the values of its numeric coordinate. */
  public boolean isValueDimension(int d) {
    return dimensionValues != null && d < dimensionValues.length && dimensionValues[d] != null;
  }

  /** The Spark type of dimension column {@code d}: timestamp, double (values) or long (index). */
  public org.apache.spark.sql.types.DataType dimensionType(int d) {
    if (isTimeDimension(d)) {
      return org.apache.spark.sql.types.DataTypes.TimestampType;
    }
    return isValueDimension(d)
        ? org.apache.spark.sql.types.DataTypes.DoubleType
        : org.apache.spark.sql.types.DataTypes.LongType;
  }

  /** Whether dimension {@code d} is shown as the timestamps of its time coordinate. */
  public boolean isTimeDimension(int d) {
    return dimensionTimes != null && d < dimensionTimes.length && dimensionTimes[d] != null;
  }
}
