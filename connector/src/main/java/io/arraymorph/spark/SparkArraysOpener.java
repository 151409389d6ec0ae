package io.arraymorph.spark;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.options.ArrayMorphOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Opens the metadata of the datasets a read names, in every file of the read. Many files are opened
 * concurrently on the driver, at most {@code open_parallelism} (default 16) at a time; from {@code
 * executor_open_threshold} files on (default 512) they are opened by a Spark job on the executors
 * instead, so the driver does not make every file's metadata requests itself. All files must agree
 * on each dataset's element type (as decoded), rank and dimension names.
 */
final class SparkArraysOpener {
  private SparkArraysOpener() {}

  /**
   * The datasets of every location of the read.
   *
   * @throws IllegalArgumentException when a dataset is missing, or files disagree on type or rank
   */
  static List<SparkFileArrays> open(SparkOptions options) {
    return open(options, SparkFileSet.resolve(options));
  }

  /** The datasets of every location of a resolved file set. */
  static List<SparkFileArrays> open(SparkOptions options, SparkFileSet files) {
    List<SparkFileArrays> out;
    if (!files.multiFile()) {
      out = List.of(openOne(options, files.locations().get(0), false));
    } else if (files.locations().size() >= options.get(ArrayMorphOptions.EXECUTOR_OPEN_THRESHOLD)) {
      out = openOnExecutors(options, files.locations());
    } else {
      out = openOnDriver(options, files.locations());
    }
    checkAgree(out);
    return out;
  }

  /** Opens one location's datasets. */
  static SparkFileArrays openOne(SparkOptions options, String location, boolean multiFile) {
    List<String> paths = options.requireDatasets();
    boolean decode = options.decodeCf();
    List<SparkArrayInfo> arrays = new ArrayList<>();
    try (ArrayStore store = ArrayStore.openShared(location, options.storeSettings())) {
      for (String p : paths) {
        Dataset ds = SparkVersionCheck.openStable(() -> store.dataset(p), options.redact(location));
        arrays.add(SparkArrayInfo.of(ds, store, decode));
      }
    } catch (RuntimeException e) {
      String where = multiFile ? "File '" + location + "': " : "";
      throw new IllegalArgumentException(options.redact(where + e.getMessage()), e);
    }
    SparkSchemas.checkSameShape(arrays);
    return new SparkFileArrays(location, multiFile ? options.redact(location) : null, arrays);
  }

  private static List<SparkFileArrays> openOnDriver(SparkOptions options, List<String> locations) {
    int parallelism = options.get(ArrayMorphOptions.OPEN_PARALLELISM);
    return SparkParallel.map(locations, parallelism, l -> openOne(options, l, true));
  }

  private static List<SparkFileArrays> openOnExecutors(
      SparkOptions options, List<String> locations) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkSession.active().sparkContext());
    int slices = Math.max(1, Math.min(locations.size(), sc.defaultParallelism() * 4));
    return sc.parallelize(locations, slices).map(l -> openOne(options, l, true)).collect();
  }

  private static void checkAgree(List<SparkFileArrays> files) {
    SparkFileArrays first = files.get(0);
    for (SparkFileArrays f : files) {
      for (int k = 0; k < first.arrays().size(); k++) {
        SparkArrayInfo a = first.arrays().get(k);
        SparkArrayInfo b = f.arrays().get(k);
        String problem = null;
        if (a.rank() != b.rank()) {
          problem = "rank " + a.rank() + " vs " + b.rank() + " " + Arrays.toString(b.shape());
        } else if (a.dataType() != b.dataType()) {
          problem = "dtype " + a.dataType().zarrName() + " vs " + b.dataType().zarrName();
        } else if (!a.sparkType().equals(b.sparkType())) {
          problem =
              "decoded type "
                  + a.sparkType().simpleString()
                  + " vs "
                  + b.sparkType().simpleString()
                  + " (CF attributes differ; option decode_cf=false reads raw values)";
        } else if (!SparkSchemas.dimNames(a).equals(SparkSchemas.dimNames(b))) {
          problem = "dimensions " + SparkSchemas.dimNames(a) + " vs " + SparkSchemas.dimNames(b);
        } else if (!sameTimeDimensions(a, b)) {
          problem = "a time coordinate in one file only";
        }
        if (problem != null) {
          throw new IllegalArgumentException(
              "Files disagree on dataset '"
                  + a.path()
                  + "': "
                  + problem
                  + " ('"
                  + first.label()
                  + "' vs '"
                  + f.label()
                  + "'); every file of a many-files read must hold it with the same dtype and"
                  + " rank");
        }
      }
    }
  }

  private static boolean sameTimeDimensions(SparkArrayInfo a, SparkArrayInfo b) {
    for (int d = 0; d < a.rank(); d++) {
      if (a.isTimeDimension(d) != b.isTimeDimension(d)) {
        return false;
      }
    }
    return true;
  }
}
