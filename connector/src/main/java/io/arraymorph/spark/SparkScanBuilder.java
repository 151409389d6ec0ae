package io.arraymorph.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.connector.read.SupportsPushDownV2Filters;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds a scan of arrays: predicates on dimension columns become an index region, unselected
 * datasets are skipped, and a limit trims the plan when no predicate is left for Spark.
 */
final class SparkScanBuilder
    implements ScanBuilder,
        SupportsPushDownV2Filters,
        SupportsPushDownRequiredColumns,
        SupportsPushDownLimit {
  private final SparkOptions options;
  private final SparkOptions.Layout layout;
  private final List<SparkArrayInfo> arrays;
  private final List<String> dimNames;
  private List<SparkArrayInfo> selected;
  private IndexRegion region;
  private Predicate[] pushed = new Predicate[0];
  private boolean allExact = true;
  private long limit = -1;

  SparkScanBuilder(SparkOptions options) {
    this.options = options;
    this.layout = options.layout();
    this.arrays = SparkSchemas.openArrays(options);
    this.selected = arrays;
    this.dimNames = SparkSchemas.dimNames(arrays.get(0));
    this.region = IndexRegion.all(arrays.get(0).shape());
  }

  @Override
  public Predicate[] pushPredicates(Predicate[] predicates) {
    long[] shape = arrays.get(0).shape();
    // The rows layout has one index column: only predicates on the first axis narrow the plan.
    List<String> filterable =
        layout == SparkOptions.Layout.CELLS ? dimNames : dimNames.subList(0, 1);
    SparkFilterTranslator translator = new SparkFilterTranslator(filterable, shape);
    List<Predicate> postScan = new ArrayList<>();
    List<Predicate> used = new ArrayList<>();
    for (Predicate p : predicates) {
      IndexRegion r = translator.translate(p);
      if (!r.isExact()) {
        postScan.add(p);
        allExact = false;
      }
      if (r.boxes().size() != 1 || r.size() != IndexRegion.all(shape).size() || !r.isExact()) {
        used.add(p);
      }
      region = region.intersect(r);
    }
    pushed = used.toArray(Predicate[]::new);
    return postScan.toArray(Predicate[]::new);
  }

  @Override
  public Predicate[] pushedPredicates() {
    return pushed;
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    List<SparkArrayInfo> keep = new ArrayList<>();
    for (SparkArrayInfo a : arrays) {
      for (StructField f : requiredSchema.fields()) {
        if (f.name().equalsIgnoreCase(a.columnName())) {
          keep.add(a);
          break;
        }
      }
    }
    selected = keep;
  }

  @Override
  public boolean pushLimit(int n) {
    if (!allExact) {
      return false;
    }
    limit = n;
    return true;
  }

  @Override
  public Scan build() {
    return new SparkScan(options, layout, arrays.get(0), selected, dimNames, region, limit);
  }
}
