package io.arraymorph.spark.write;

import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.spark.SparkOptions;
import io.arraymorph.spark.SparkTypes;
import io.arraymorph.store.Keys;
import io.arraymorph.write.DatasetWrite;
import io.arraymorph.write.WriteMode;
import io.arraymorph.write.WriteRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.SupportsTruncate;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Plans a write on the driver: which columns are indices and values, the datasets they become, the
 * shape and chunk shape, and per dataset whether it is created, appended to or overwritten. Every
 * problem with the input is reported here, naming the option or column.
 */
public final class SparkWriteBuilder implements WriteBuilder, SupportsTruncate {
  /** Default target size of a chosen chunk, in decoded bytes. */
  static final long DEFAULT_CHUNK_BYTES = 2L << 20;

  private final SparkOptions options;
  private final LogicalWriteInfo info;
  private final boolean createOnly;
  private boolean overwrite;

  /**
   * @param options the write's options, merged with the table's
   * @param info Spark's description of the write (schema, query id)
   * @param createOnly whether the dataset must not exist yet (errorifexists and ignore saves)
   */
  public SparkWriteBuilder(SparkOptions options, LogicalWriteInfo info, boolean createOnly) {
    this.options = options;
    this.info = info;
    this.createOnly = createOnly;
  }

  @Override
  public WriteBuilder truncate() {
    overwrite = true;
    return this;
  }

  @Override
  public Write build() {
    return new SparkWrite(plan());
  }

  SparkWritePlan plan() {
    if (options.listView().isPresent()) {
      throw new IllegalArgumentException("Option 'list' is for reading; remove it to write");
    }
    SparkOptions.Layout layout = options.layout();
    StructType schema = info.schema();
    try (ArrayStore store = ArrayStore.openShared(options.location(), options.storeSettings())) {
      // Core reads each target once; everything below is planned from what it found.
      Map<String, DatasetWrite.Existing> found = new HashMap<>();
      Function<String, DatasetWrite.Existing> existing =
          p -> found.computeIfAbsent(Keys.join(p), q -> DatasetWrite.inspect(store, q));
      // Value columns and their datasets.
      List<String> dimNames = dimColumns(schema, layout, existing);
      List<StructField> values = new ArrayList<>();
      for (StructField f : schema.fields()) {
        if (dimNames.stream().noneMatch(n -> n.equalsIgnoreCase(f.name()))) {
          values.add(f);
        }
      }
      if (values.isEmpty()) {
        throw new IllegalArgumentException(
            "The input has no value column: every column is an index column (option 'dims' = "
                + dimNames
                + ")");
      }
      List<String> paths = datasetPaths(values);
      int[] dimOrdinals = new int[dimNames.size()];
      org.apache.spark.sql.types.DataType[] dimTypes =
          new org.apache.spark.sql.types.DataType[dimNames.size()];
      for (int d = 0; d < dimOrdinals.length; d++) {
        dimOrdinals[d] = schema.fieldIndex(exactName(schema, dimNames.get(d)));
        dimTypes[d] = schema.fields()[dimOrdinals[d]].dataType();
        if (!SparkTypes.isIntegral(dimTypes[d])) {
          throw new IllegalArgumentException(
              "Index column '"
                  + dimNames.get(d)
                  + "' (option 'dims') has type "
                  + dimTypes[d].simpleString()
                  + "; index columns must be integral (byte, short, int or long)");
        }
      }

      // Rank, existing datasets, then core plans each dataset's write.
      int rank = layout == SparkOptions.Layout.CELLS ? dimNames.size() : 0;
      if (layout == SparkOptions.Layout.ROWS) {
        rank = 1 + depth(values.get(0).dataType());
        for (StructField v : values) {
          if (1 + depth(v.dataType()) != rank) {
            throw new IllegalArgumentException(
                "Column '"
                    + v.name()
                    + "': every value column of a rows write needs the same depth");
          }
        }
      }
      List<DatasetWrite.Existing> targetsFound = new ArrayList<>();
      List<Dataset> stored = new ArrayList<>();
      for (String p : paths) {
        DatasetWrite.Existing ex = existing.apply(p);
        if (ex.exists() && createOnly) {
          throw new IllegalArgumentException(
              "Dataset '"
                  + p
                  + "' already exists in "
                  + options.redact(options.location())
                  + "; use mode(\"overwrite\") or mode(\"append\")");
        }
        targetsFound.add(ex);
        stored.add(ex.dataset().orElse(null));
      }
      long[] givenShape = givenShape(rank);
      int[] givenChunks = givenChunks(rank);
      // A new dataset's chunks: as given, else an existing (overwritten) dataset's, else chosen.
      Dataset first = stored.stream().filter(e -> e != null).findFirst().orElse(null);
      int[] freshChunks =
          givenChunks != null
              ? givenChunks
              : first != null && first.shape().length == rank
                  ? first.chunkShape()
                  : chooseChunks(
                      givenShape != null ? givenShape : unknownShape(rank), elementSize(values));

      List<SparkWriteTarget> targets = new ArrayList<>();
      for (int k = 0; k < values.size(); k++) {
        StructField v = values.get(k);
        Dataset ex = stored.get(k);
        org.apache.spark.sql.types.DataType elem =
            layout == SparkOptions.Layout.CELLS ? v.dataType() : elementType(v.dataType());
        SparkTypes.checkConvertible(v.name(), elem);
        List<String> names =
            layout == SparkOptions.Layout.CELLS ? dimNames : rowsDimNames(dimNames.get(0), rank);
        WriteRequest request;
        if (ex != null && !overwrite) {
          // An append: only what the user gave; core checks it against the stored metadata.
          DataType dtype = givenDataType().orElse(null);
          request =
              new WriteRequest(
                  paths.get(k),
                  WriteMode.APPEND,
                  rank,
                  dtype,
                  givenCompression().orElse(null),
                  -1,
                  fillValue(dtype != null ? dtype : ex.dataType()).orElse(null),
                  givenChunks,
                  givenShape,
                  null,
                  null,
                  givenShards(rank),
                  options.find(ArrayMorphOptions.CHUNK_KEY_ENCODING).orElse(null),
                  options.find(ArrayMorphOptions.CHUNK_KEY_SEPARATOR).orElse(null));
        } else {
          DataType dtype = givenDataType().orElseGet(() -> SparkTypes.fromSpark(v.name(), elem));
          request =
              new WriteRequest(
                  paths.get(k),
                  overwrite ? WriteMode.OVERWRITE : WriteMode.CREATE,
                  rank,
                  dtype,
                  givenCompression().orElse(ArraySpec.Compression.NONE),
                  -1,
                  fillValue(dtype).orElse(0),
                  freshChunks,
                  givenShape,
                  names,
                  null,
                  givenShards(rank),
                  options.find(ArrayMorphOptions.CHUNK_KEY_ENCODING).orElse(null),
                  options.find(ArrayMorphOptions.CHUNK_KEY_SEPARATOR).orElse(null));
        }
        targets.add(
            new SparkWriteTarget(
                v.name(),
                schema.fieldIndex(v.name()),
                elem,
                DatasetWrite.plan(info.queryId(), request, targetsFound.get(k))));
      }
      // One chunk_index distribution serves every dataset: they share the chunk shape.
      int[] chunks = targets.get(0).write().chunkShape();
      long[] shape = targets.get(0).write().fixedShape();
      for (SparkWriteTarget t : targets) {
        if (!Arrays.equals(t.write().chunkShape(), chunks)
            || !Arrays.equals(t.write().fixedShape(), shape)) {
          throw new IllegalArgumentException(
              "Datasets "
                  + targets.get(0).path()
                  + " and "
                  + t.path()
                  + " are written together but have other chunks ("
                  + Arrays.toString(chunks)
                  + " vs "
                  + Arrays.toString(t.write().chunkShape())
                  + ") or shapes; write them in separate writes");
        }
      }
      return new SparkWritePlan(
          options, layout, info.queryId(), dimNames, dimOrdinals, dimTypes, shape, chunks, targets);
    }
  }

  private static List<String> rowsDimNames(String first, int rank) {
    List<String> out = new ArrayList<>();
    out.add(first);
    for (int d = 1; d < rank; d++) {
      out.add("dim_" + d);
    }
    return out;
  }

  private List<String> dimColumns(
      StructType schema,
      SparkOptions.Layout layout,
      Function<String, DatasetWrite.Existing> existing) {
    Optional<List<String>> given = options.find(ArrayMorphOptions.DIMS);
    List<String> dims;
    if (given.isPresent()) {
      dims = given.get();
    } else {
      dims = new ArrayList<>();
      for (String p : options.datasetPaths()) {
        Optional<Dataset> stored = existing.apply(p).dataset();
        if (stored.isPresent()) {
          List<String> names = stored.get().dimensionNames();
          dims = layout == SparkOptions.Layout.CELLS ? names : names.subList(0, 1);
          break;
        }
      }
      if (dims.isEmpty()) {
        for (int d = 0; hasColumn(schema, "dim_" + d); d++) {
          dims.add("dim_" + d);
        }
      }
      if (dims.isEmpty()) {
        throw new IllegalArgumentException(
            "Option 'dims' is required: name the index columns (e.g. \"i,j\"), or call them dim_0,"
                + " dim_1, ...; input columns: "
                + Arrays.toString(schema.fieldNames()));
      }
    }
    for (String d : dims) {
      if (!hasColumn(schema, d)) {
        throw new IllegalArgumentException(
            "Index column '"
                + d
                + "' (option 'dims') is not in the input; columns: "
                + Arrays.toString(schema.fieldNames()));
      }
    }
    if (layout == SparkOptions.Layout.ROWS && dims.size() != 1) {
      throw new IllegalArgumentException(
          "Option 'dims': a rows layout write takes one index column (the first axis), not "
              + dims);
    }
    return dims;
  }

  private static boolean hasColumn(StructType schema, String name) {
    return Arrays.stream(schema.fieldNames()).anyMatch(n -> n.equalsIgnoreCase(name));
  }

  private static String exactName(StructType schema, String name) {
    return Arrays.stream(schema.fieldNames())
        .filter(n -> n.equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow();
  }

  private List<String> datasetPaths(List<StructField> values) {
    Optional<String> many = options.get("datasets");
    List<String> given = options.datasetPaths();
    if (many.isPresent()) {
      if (given.size() != values.size()) {
        throw new IllegalArgumentException(
            "Option 'datasets' names "
                + given.size()
                + " datasets but the input has "
                + values.size()
                + " value columns "
                + values.stream().map(StructField::name).toList());
      }
      return given;
    }
    if (values.size() == 1 && !given.isEmpty()) {
      return given;
    }
    if (!given.isEmpty()) {
      String group = given.get(0);
      return values.stream().map(v -> group + "/" + v.name()).toList();
    }
    if (values.size() == 1) {
      throw new IllegalArgumentException(
          "Option 'dataset' is required: the path of the array to write (e.g. \"values\")");
    }
    return values.stream().map(StructField::name).toList();
  }

  private static int depth(org.apache.spark.sql.types.DataType t) {
    int d = 0;
    while (t instanceof ArrayType a) {
      t = a.elementType();
      d++;
    }
    return d;
  }

  private static org.apache.spark.sql.types.DataType elementType(
      org.apache.spark.sql.types.DataType t) {
    while (t instanceof ArrayType a) {
      t = a.elementType();
    }
    return t;
  }

  /** Option 'shape', checked against the rank, or null. */
  private long[] givenShape(int rank) {
    Optional<long[]> given = options.find(ArrayMorphOptions.SHAPE);
    if (given.isEmpty()) {
      return null;
    }
    if (given.get().length != rank) {
      throw new IllegalArgumentException(
          "Option 'shape' has "
              + given.get().length
              + " extents but the data has "
              + rank
              + " dimensions");
    }
    return given.get();
  }

  private static long[] unknownShape(int rank) {
    long[] unknown = new long[rank];
    Arrays.fill(unknown, -1);
    return unknown;
  }

  /** Option 'chunks', checked, or null. */
  private int[] givenChunks(int rank) {
    return extents(ArrayMorphOptions.CHUNKS, rank);
  }

  /** Option 'shards', checked, or null. */
  private int[] givenShards(int rank) {
    return extents(ArrayMorphOptions.SHARDS, rank);
  }

  private int[] extents(io.arraymorph.options.ArrayMorphOption<long[]> option, int rank) {
    Optional<long[]> given = options.find(option);
    if (given.isEmpty()) {
      return null;
    }
    long[] c = given.get();
    if (c.length != rank) {
      throw new IllegalArgumentException(
          "Option '"
              + option.name()
              + "' has "
              + c.length
              + " extents but the array has "
              + rank
              + " dimensions (shape/chunk mismatch)");
    }
    return SparkOptions.extents(option.name(), c);
  }

  private Optional<DataType> givenDataType() {
    return options.get("dtype").map(d -> DataType.fromZarrName(d.trim()));
  }

  /**
   * Chunk extents holding about {@link #DEFAULT_CHUNK_BYTES} decoded bytes: small dimensions are
   * taken whole and the budget left is spread evenly over the others (unknown extents are large).
   */
  static int[] chooseChunks(long[] shape, int elementSize) {
    int rank = shape.length;
    double budget = Math.max(1, DEFAULT_CHUNK_BYTES / Math.max(1, elementSize));
    Integer[] order = new Integer[rank];
    for (int d = 0; d < rank; d++) {
      order[d] = d;
    }
    Arrays.sort(order, (a, b) -> Long.compare(extent(shape[a]), extent(shape[b])));
    int[] out = new int[rank];
    int left = rank;
    for (int d : order) {
      long even = (long) Math.max(1, Math.floor(Math.pow(budget, 1.0 / left) + 1e-9));
      long c = Math.max(1, Math.min(even, extent(shape[d])));
      out[d] = (int) Math.min(c, Integer.MAX_VALUE);
      budget = Math.max(1, budget / out[d]);
      left--;
    }
    return out;
  }

  private static long extent(long s) {
    return s < 0 ? Long.MAX_VALUE : Math.max(1, s);
  }

  private int elementSize(List<StructField> values) {
    if (options.get("dtype").isPresent()) {
      return DataType.fromZarrName(options.get("dtype").get().trim()).byteSize();
    }
    int size = 1;
    for (StructField v : values) {
      try {
        size = Math.max(size, SparkTypes.fromSpark(v.name(), elementType(v.dataType())).byteSize());
      } catch (IllegalArgumentException e) {
        size = Math.max(size, 8);
      }
    }
    return size;
  }

  /** Option 'codec' if given (the registry validates its choices); else the stored one applies. */
  private Optional<ArraySpec.Compression> givenCompression() {
    return options
        .find(ArrayMorphOptions.CODEC)
        .map(
            c ->
                switch (c) {
                  case "gzip" -> ArraySpec.Compression.GZIP;
                  case "zstd" -> ArraySpec.Compression.ZSTD;
                  default -> ArraySpec.Compression.NONE;
                });
  }

  private Optional<Number> fillValue(DataType dtype) {
    Optional<String> v = options.get("fill_value");
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String s = v.get().trim();
    try {
      if (dtype.isFloatingPoint()) {
        return Optional.of(s.equalsIgnoreCase("nan") ? Double.NaN : Double.parseDouble(s));
      }
      if (dtype == DataType.BOOL) {
        return Optional.of(s.equalsIgnoreCase("true") || s.equals("1") ? 1 : 0);
      }
      return Optional.of(Long.parseLong(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Option 'fill_value' must be a number for dtype "
              + dtype.zarrName()
              + ", not '"
              + s
              + "'");
    }
  }
}
