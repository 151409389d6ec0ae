package io.arraymorph.spark;

import io.arraymorph.api.ArrayStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The Spark schemas of arrays and of the metadata views. */
public final class SparkSchemas {
  private SparkSchemas() {}

  /** {@code option("list", "datasets")}: one row per dataset or group. */
  public static final StructType LIST_DATASETS =
      new StructType()
          .add("path", DataTypes.StringType, false)
          .add("kind", DataTypes.StringType, false)
          .add("shape", DataTypes.createArrayType(DataTypes.LongType, false), true)
          .add("dtype", DataTypes.StringType, true)
          .add("chunks", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
          .add("codecs", DataTypes.StringType, true)
          .add(
              "attributes",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true),
              true);

  /** {@code option("list", "chunks")}: one row per stored chunk. */
  public static final StructType LIST_CHUNKS =
      new StructType()
          .add("dataset", DataTypes.StringType, false)
          .add("chunk", DataTypes.createArrayType(DataTypes.LongType, false), false)
          .add("key", DataTypes.StringType, false)
          .add("size", DataTypes.LongType, false);

  /**
   * The table's schema: a metadata view's, or the arrays' in the chosen layout, or an empty schema
   * when the datasets do not exist yet (a write target).
   */
  static StructType tableSchema(SparkOptions options) {
    if (options.listView().isPresent()) {
      return options.listView().get().equals("datasets") ? LIST_DATASETS : LIST_CHUNKS;
    }
    List<String> paths = options.datasetPaths();
    if (paths.isEmpty()) {
      return new StructType();
    }
    try (ArrayStore store = ArrayStore.open(options.location(), options.storeSettings())) {
      for (String p : paths) {
        if (!store.exists(p)) {
          return new StructType();
        }
      }
    }
    return arraySchema(openArrays(options), options.layout());
  }

  /**
   * Describes the datasets to read.
   *
   * @throws IllegalArgumentException when a dataset is missing (naming those available) or they
   *     differ in shape
   */
  static List<SparkArrayInfo> openArrays(SparkOptions options) {
    List<String> paths = options.requireDatasets();
    List<SparkArrayInfo> out = new ArrayList<>();
    try (ArrayStore store = ArrayStore.open(options.location(), options.storeSettings())) {
      for (String p : paths) {
        out.add(SparkArrayInfo.of(store.dataset(p)));
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(options.redact(e.getMessage()), e);
    }
    SparkArrayInfo first = out.get(0);
    for (SparkArrayInfo a : out) {
      if (!Arrays.equals(a.shape(), first.shape())) {
        throw new IllegalArgumentException(
            "Option 'datasets': every dataset must have the same shape, but '"
                + first.path()
                + "' has "
                + Arrays.toString(first.shape())
                + " and '"
                + a.path()
                + "' has "
                + Arrays.toString(a.shape()));
      }
      if (a.rank() == 0) {
        throw new IllegalArgumentException(
            "Dataset '"
                + a.path()
                + "' is a scalar (rank 0); arraymorph reads arrays of rank >= 1");
      }
    }
    return out;
  }

  /** The dimension column names: the first dataset's dimension names, or dim_0, dim_1, ... */
  static List<String> dimNames(SparkArrayInfo first) {
    List<String> names = new ArrayList<>();
    List<String> given = first.dimensionNames();
    for (int d = 0; d < first.rank(); d++) {
      String n = given != null && d < given.size() ? given.get(d) : null;
      names.add(n == null || n.isBlank() ? "dim_" + d : n);
    }
    return names;
  }

  /** The schema of arrays in a layout. */
  static StructType arraySchema(List<SparkArrayInfo> arrays, SparkOptions.Layout layout) {
    SparkArrayInfo first = arrays.get(0);
    List<String> dims = dimNames(first);
    List<StructField> fields = new ArrayList<>();
    int dimColumns = layout == SparkOptions.Layout.CELLS ? dims.size() : 1;
    for (int d = 0; d < dimColumns; d++) {
      fields.add(new StructField(dims.get(d), DataTypes.LongType, false, Metadata.empty()));
    }
    for (SparkArrayInfo a : arrays) {
      DataType t = SparkTypes.toSpark(a.dataType());
      if (layout == SparkOptions.Layout.ROWS) {
        for (int d = 1; d < a.rank(); d++) {
          t = DataTypes.createArrayType(t, false);
        }
      }
      if (fields.stream().anyMatch(f -> f.name().equalsIgnoreCase(a.columnName()))) {
        throw new IllegalArgumentException(
            "Option 'datasets': two columns would be named '"
                + a.columnName()
                + "'; datasets need distinct last path segments and names unlike the dimensions");
      }
      fields.add(new StructField(a.columnName(), t, false, Metadata.empty()));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  static boolean isNested(DataType t) {
    return t instanceof ArrayType;
  }
}
