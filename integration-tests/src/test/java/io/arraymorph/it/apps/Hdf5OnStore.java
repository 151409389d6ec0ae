package io.arraymorph.it.apps;

import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The README's "read an HDF5 file from S3" example: uploads a local HDF5 file (made by {@code
 * examples/python/make_sample_h5.py}) to a store with ArrayMorph's own store API, then reads it in
 * place with {@code format("arraymorph")}. Arguments: {@code hdf5.file}, {@code hdf5.store} (the
 * store root, e.g. {@code s3://bucket}), {@code hdf5.key}, {@code hdf5.dataset}; store settings
 * from {@code conf.spark.datasource.arraymorph.*}.
 */
final class Hdf5OnStore {
  private Hdf5OnStore() {}

  static void run(SparkSession spark, Map<String, String> args) throws Exception {
    Map<String, String> settings =
        ArrayRoundTrip.withPrefix(args, "conf.spark.datasource.arraymorph.");
    try (ObjectStore store =
        ObjectStores.open(args.get("hdf5.store"), StoreSettings.of(settings))) {
      store.put(args.get("hdf5.key"), Files.readAllBytes(Path.of(args.get("hdf5.file")))).get();
    }
    String location = args.get("hdf5.store") + "/" + args.get("hdf5.key");
    org.apache.spark.sql.Dataset<Row> array =
        spark
            .read()
            .format("arraymorph")
            .option("dataset", args.get("hdf5.dataset"))
            .load(location);
    print("columns", String.join(",", array.columns()));
    print("count", Long.toString(array.count()));
    List<Row> cells =
        array.where("time = 1 AND lat = 2 AND lon < 3").orderBy("lon").collectAsList();
    print("cells", cells.toString());
  }

  private static void print(String key, String value) {
    System.out.println("RESULT hdf5." + key + "=" + value);
  }
}
