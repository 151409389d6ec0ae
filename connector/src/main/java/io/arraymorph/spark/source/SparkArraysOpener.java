package io.arraymorph.spark.source;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.scan.VersionCheck;
import io.arraymorph.spark.SparkOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Opens the metadata of the datasets a read names, in every file of the read. Many files are opened
 * concurrently on the driver, at most {@code open_parallelism} (default 16) at a time; from {@code
 * executor_open_threshold} files on (default 512) they are opened by a Spark job on the executors
 * instead, so the driver does not make every file's metadata requests itself. All files must agree
 * on each dataset's element type (as decoded), rank and dimension names.
 */
public final class SparkArraysOpener {
  private SparkArraysOpener() {}

  /**
   * The datasets of every location of the read, or empty when a single store location does not hold
   * them (a write target).
   *
   * @throws IllegalArgumentException when files disagree on type or rank, or a file lacks one
   */
  public static Optional<List<SparkFileArrays>> open(SparkOptions options) {
    SparkFileSet files = SparkFileSet.named(options);
    if (files.multiFile()) {
      return Optional.of(open(options, files));
    }
    String location = files.locations().get(0);
    Optional<SparkFileArrays> one = openOne(options, location, false);
    if (one.isPresent()) {
      return Optional.of(List.of(one.get()));
    }
    // The datasets are not there: the location may be a directory of HDF5/NetCDF4 files.
    return SparkFileSet.filesInDirectory(location, options).map(f -> open(options, f));
  }

  /** The datasets of every location of a many-files set. */
  private static List<SparkFileArrays> open(SparkOptions options, SparkFileSet files) {
    List<SparkFileArrays> out;
    if (files.locations().size() >= options.get(ArrayMorphOptions.EXECUTOR_OPEN_THRESHOLD)) {
      out = openOnExecutors(options, files.locations());
    } else {
      out = openOnDriver(options, files.locations());
    }
    checkAgree(out);
    return SparkSharedParts.share(out);
  }

  /**
   * Opens one location's datasets: one metadata GET per Zarr v3 dataset (plus one per named
   * dimension where CF time coordinates are looked for), through the JVM's shared client.
   *
   * @return empty when the first dataset does not exist at a single (not many-files) location
   * @throws IllegalArgumentException naming the file and dataset when one cannot be opened
   */
  static Optional<SparkFileArrays> openOne(
      SparkOptions options, String location, boolean multiFile) {
    List<String> paths = options.requireDatasets();
    boolean decode = options.decodeCf();
    boolean coordinateValues = options.coordinateValues();
    String where = options.redact(location);
    List<SparkArrayInfo> arrays = new ArrayList<>();
    try (ArrayStore store = ArrayStore.openShared(location, options.storeSettings())) {
      for (String p : paths) {
        DatasetRef[] ref = new DatasetRef[1];
        Dataset ds =
            VersionCheck.openStable(
                () -> {
                  ref[0] = store.findDataset(p).orElse(null);
                  return ref[0] == null ? null : store.dataset(ref[0]);
                },
                where);
        if (ds == null) {
          boolean inFile = store.hdf5File().isPresent() || ArrayStore.isKerchunkLocation(location);
          if (!multiFile && arrays.isEmpty() && !inFile) {
            return Optional.empty();
          }
          store.dataset(p); // throws, naming the datasets that exist
        }
        arrays.add(SparkArrayInfo.of(ds, ref[0], store, decode, coordinateValues));
      }
    } catch (RuntimeException e) {
      String prefix = multiFile ? "File '" + location + "': " : "";
      throw new IllegalArgumentException(options.redact(prefix + e.getMessage()), e);
    }
    SparkSchemas.checkSameShape(arrays);
    return Optional.of(new SparkFileArrays(location, multiFile ? where : null, arrays));
  }

  /** The error for a read whose datasets are not at its location, listing those that are. */
  public static IllegalArgumentException missingDatasets(SparkOptions options) {
    String location = options.location();
    try (ArrayStore store = ArrayStore.openShared(location, options.storeSettings())) {
      for (String p : options.requireDatasets()) {
        store.dataset(p);
      }
      return new IllegalArgumentException(
          options.redact("No dataset " + options.requireDatasets() + " at '" + location + "'"));
    } catch (RuntimeException e) {
      return new IllegalArgumentException(options.redact(e.getMessage()), e);
    }
  }

  /** Opens one file of a many-files read; every file must hold the datasets. */
  private static SparkFileArrays openFile(SparkOptions options, String location) {
    return openOne(options, location, true).orElseThrow();
  }

  private static List<SparkFileArrays> openOnDriver(SparkOptions options, List<String> locations) {
    int parallelism = options.get(ArrayMorphOptions.OPEN_PARALLELISM);
    return SparkParallel.map(locations, parallelism, l -> openFile(options, l));
  }

  private static List<SparkFileArrays> openOnExecutors(
      SparkOptions options, List<String> locations) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkSession.active().sparkContext());
    int slices = Math.max(1, Math.min(locations.size(), sc.defaultParallelism() * 4));
    return sc.parallelize(locations, slices).map(l -> openFile(options, l)).collect();
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
      if (a.isTimeDimension(d) != b.isTimeDimension(d)
          || a.isValueDimension(d) != b.isValueDimension(d)) {
        return false;
      }
    }
    return true;
  }
}
