package io.arraymorph.spark.source;

import io.arraymorph.spark.SparkOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
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
              true)
          .add("dimensions", DataTypes.createArrayType(DataTypes.StringType, false), true)
          .add("file", DataTypes.StringType, false);

  /**
   * {@code option("list", "chunks")}: one row per stored chunk; its bytes are {@code [offset,
   * offset + size)} of the object {@code key} (a chunk object of a Zarr store, offset 0; the file
   * itself for HDF5/NetCDF4, at the chunk index's byte offset).
   */
  public static final StructType LIST_CHUNKS =
      new StructType()
          .add("dataset", DataTypes.StringType, false)
          .add("chunk", DataTypes.createArrayType(DataTypes.LongType, false), false)
          .add("key", DataTypes.StringType, false)
          .add("size", DataTypes.LongType, false)
          .add("offset", DataTypes.LongType, false)
          .add("filter_mask", DataTypes.IntegerType, true)
          .add("file", DataTypes.StringType, false);

  /** The name of the column naming each row's source file in many-files reads. */
  public static final String FILE_COLUMN = "file";

  /**
   * The table's schema: a metadata view's, or the arrays' in the chosen layout, or an empty schema
   * when the datasets do not exist yet (a write target).
   */
  public static StructType tableSchema(
      SparkOptions options, Supplier<List<SparkFileArrays>> opener) {
    if (options.listView().isPresent()) {
      return options.listView().get().equals("datasets") ? LIST_DATASETS : LIST_CHUNKS;
    }
    if (options.datasetPaths().isEmpty()) {
      return new StructType();
    }
    List<SparkFileArrays> opened = opener.get();
    if (opened == null) {
      return new StructType();
    }
    return arraySchema(opened.get(0).arrays(), options.layout(), opened.get(0).label() != null);
  }

  /**
   * Checks that the datasets of one read have the same shape (scalars, of rank 0, read as one row
   * without dimension columns).
   *
   * @throws IllegalArgumentException when they differ in shape
   */
  static void checkSameShape(List<SparkArrayInfo> out) {
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
    }
  }

  /**
   * The dimension column names: the first dataset's dimension names, or dim_0, dim_1, ...; a
   * dimension named like the dataset itself (a coordinate variable read on its own, e.g. {@code
   * time}) becomes {@code <name>_index}; a repeated dimension gets {@code _2}, {@code _3}, ...
   */
  static List<String> dimNames(SparkArrayInfo first) {
    List<String> names = new ArrayList<>();
    List<String> given = first.dimensionNames();
    for (int d = 0; d < first.rank(); d++) {
      String n = given != null && d < given.size() ? given.get(d) : null;
      n = n == null || n.isBlank() ? "dim_" + d : n;
      n = n.equalsIgnoreCase(first.columnName()) ? n + "_index" : n;
      names.add(unique(n, names));
    }
    return names;
  }

  /**
   * A dimension used twice (netCDF allows {@code b(D2, D3, D2)}) needs distinct column names: the
   * second use becomes {@code D2_2}, a third {@code D2_3} (Spark compares names case-blind).
   */
  private static String unique(String name, List<String> taken) {
    String candidate = name;
    for (int k = 2; contains(taken, candidate); k++) {
      candidate = name + "_" + k;
    }
    return candidate;
  }

  private static boolean contains(List<String> names, String name) {
    return names.stream().anyMatch(n -> n.equalsIgnoreCase(name));
  }

  /** The schema of arrays in a layout, with a {@code file} column last for many-files reads. */
  static StructType arraySchema(
      List<SparkArrayInfo> arrays, SparkOptions.Layout layout, boolean fileColumn) {
    SparkArrayInfo first = arrays.get(0);
    if (layout == SparkOptions.Layout.ROWS && first.rank() == 0) {
      throw new IllegalArgumentException(
          "Dataset '"
              + first.path()
              + "' is a scalar (rank 0): the rows layout needs a first axis; read it with the"
              + " default layout 'cells' (one row, no dimension columns)");
    }
    List<String> dims = dimNames(first);
    List<StructField> fields = new ArrayList<>();
    int dimColumns = layout == SparkOptions.Layout.CELLS ? dims.size() : 1;
    for (int d = 0; d < dimColumns; d++) {
      DataType t = first.dimensionType(d);
      fields.add(new StructField(dims.get(d), t, false, Metadata.empty()));
    }
    for (SparkArrayInfo a : arrays) {
      DataType t = a.sparkType();
      boolean nullable = a.nullable();
      if (layout == SparkOptions.Layout.ROWS) {
        for (int d = 1; d < a.rank(); d++) {
          t = DataTypes.createArrayType(t, nullable);
        }
      }
      checkNewName(fields, a.columnName());
      fields.add(new StructField(a.columnName(), t, nullable, a.metadata()));
    }
    if (fileColumn) {
      checkNewName(fields, FILE_COLUMN);
      fields.add(new StructField(FILE_COLUMN, DataTypes.StringType, false, Metadata.empty()));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  private static void checkNewName(List<StructField> fields, String name) {
    if (fields.stream().anyMatch(f -> f.name().equalsIgnoreCase(name))) {
      throw new IllegalArgumentException(
          "Option 'datasets': two columns would be named '"
              + name
              + "'; datasets need distinct last path segments and names unlike the dimensions"
              + " (and unlike 'file' in many-files reads)");
    }
  }

  static boolean isNested(DataType t) {
    return t instanceof ArrayType;
  }
}
