package io.arraymorph.examples;

import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a dataset of an HDF5/NetCDF4 file in place with Spark: the file is read by byte ranges
 * (chunk index, then only the chunks a filter overlaps), never downloaded whole.
 *
 * <p>Arguments: {@code location dataset [option=value ...]}, e.g. {@code target/sample.h5
 * temperature} or {@code s3://bucket/sample.h5 temperature endpoint=http://127.0.0.1:9000
 * access_key=... secret_key=... region=us-east-1}. A sample file: {@code
 * examples/python/make_sample_h5.py}.
 */
public final class ReadHdf5 {
  private ReadHdf5() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: ReadHdf5 <location.h5> <dataset> [option=value ...]");
      System.exit(2);
    }
    String location = args[0];
    Map<String, String> options = Examples.options(args, 2);
    SparkSession spark = Examples.localSession("arraymorph-read-hdf5");
    try {
      spark
          .read()
          .format("arraymorph")
          .option("list", "datasets")
          .options(options)
          .load(location)
          .select("path", "shape", "dtype", "chunks")
          .show(false);
      Dataset<Row> array =
          spark
              .read()
              .format("arraymorph")
              .option("dataset", args[1])
              .options(options)
              .load(location);
      array.printSchema();
      String first = array.columns()[0];
      // The first index of the first dimension: only the chunks holding it are fetched.
      Dataset<Row> slice = array.where(first + " = 0");
      System.out.println("Rows with " + first + " = 0: " + slice.count() + " of " + array.count());
      slice.show(5);
    } finally {
      spark.stop();
    }
  }
}
