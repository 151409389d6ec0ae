package io.arraymorph.spark;

import io.arraymorph.manifest.GranuleIndex;
import io.arraymorph.manifest.GranuleLocations;
import io.arraymorph.manifest.ManifestIndex;
import io.arraymorph.manifest.ManifestWriter;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreSettings;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Builds a granule manifest with one Spark job: executors read each granule's metadata and chunk
 * index ({@link ManifestIndex#granule}), the driver checks them and writes the manifest ({@link
 * ManifestWriter}). Read the result with {@code spark.read.format("arraymorph").option("dataset",
 * "tas").load(manifest)}.
 *
 * <pre>{@code
 * SparkGranuleManifest.index(spark, List.of("s3://bucket/granules/*.nc"), "s3://bucket/tas.manifest",
 *     ManifestWriter.Options.DEFAULT, Map.of("endpoint", "http://127.0.0.1:9000"));
 * }</pre>
 */
public final class SparkGranuleManifest {
  private SparkGranuleManifest() {}

  /**
   * Indexes the granules (files, directories or globs, resolved as {@code arraymorph index} and the
   * many-files read resolve them) into the manifest at {@code manifest}, or appends to it.
   *
   * @param options store options (credentials, endpoint), resolved with the session's {@code
   *     spark.datasource.arraymorph.*} settings and the environment like a read's
   * @return what was written
   * @throws io.arraymorph.ArrayMorphException naming the granule when one disagrees with the
   *     others; nothing is written then
   */
  public static ManifestWriter.Result index(
      SparkSession spark,
      List<String> granules,
      String manifest,
      ManifestWriter.Options writeOptions,
      Map<String, String> options) {
    StoreSettings settings = SparkOptions.resolve(options).storeSettings();
    List<String> files = GranuleLocations.resolve(granules, settings);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.max(1, Math.min(files.size(), sc.defaultParallelism() * 4));
    sc.setJobDescription("arraymorph: index " + files.size() + " granules into " + manifest);
    List<GranuleIndex> indexed =
        sc.parallelize(files, slices).map(f -> ManifestIndex.granule(f, settings)).collect();
    try (ObjectStore store = ObjectStores.open(manifest, settings)) {
      return ManifestWriter.write(store, "", indexed, writeOptions);
    }
  }
}
