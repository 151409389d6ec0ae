package io.arraymorph.spark.source;

import io.arraymorph.scan.CoordinateIndex;
import io.arraymorph.scan.CoordinateResolver;
import io.arraymorph.scan.DimPredicate;
import io.arraymorph.scan.Region;
import io.arraymorph.scan.RegionTranslator;
import io.arraymorph.spark.SparkOptions;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownLimit;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.connector.read.SupportsPushDownV2Filters;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Builds a scan of arrays: predicates on dimension columns become an index region, unselected
 * datasets are skipped, and a limit trims the plan when no predicate is left for Spark. Predicates
 * on a dimension column holding coordinate values (timestamps of a CF time coordinate, or with
 * {@code coordinate_values} a numeric coordinate such as lat/lon) become index intervals through
 * each file's coordinate (core's {@link CoordinateResolver}), so only the chunks, and in a
 * many-files read only the files, that can hold matching values are planned; Spark still evaluates
 * them. Aggregates without grouping over one numeric column are computed by the tasks ({@link
 * SparkAggregates}), Spark adding up one partial row per task, or taking the row of a scan of one
 * task as the answer.
 */
public final class SparkScanBuilder
    implements ScanBuilder,
        SupportsPushDownV2Filters,
        SupportsPushDownRequiredColumns,
        SupportsPushDownLimit,
        SupportsPushDownAggregates {
  private final SparkOptions options;
  private final SparkOptions.Layout layout;
  private final List<SparkFileArrays> files;
  private final boolean multiFile;
  private final List<SparkArrayInfo> arrays;
  private final List<String> dimNames;
  private final long[] shape;
  private List<Integer> selected;
  private List<Integer> dimColumns;
  private Region region;
  private final List<DimPredicate> coordinatePredicates = new ArrayList<>();
  private Predicate[] pushed = new Predicate[0];
  private boolean allExact = true;
  private long limit = -1;
  private SparkAggregates aggregates;

  /** Whether Spark was told the scan's one row is the answer ({@link #supportCompletePushDown}). */
  private boolean oneTask;

  public SparkScanBuilder(SparkOptions options, List<SparkFileArrays> files) {
    this.options = options;
    this.layout = options.layout();
    this.files = files;
    this.multiFile = files.get(0).label() != null;
    if (multiFile && layout == SparkOptions.Layout.ROWS) {
      throw new IllegalArgumentException(
          "layout=rows reads one file or store; many-files reads use the cells layout");
    }
    this.arrays = files.get(0).arrays();
    this.selected = new ArrayList<>();
    for (int k = 0; k < arrays.size(); k++) {
      selected.add(k);
    }
    this.dimNames = SparkSchemas.dimNames(arrays.get(0));
    int dimCount =
        layout == SparkOptions.Layout.CELLS ? dimNames.size() : Math.min(1, dimNames.size());
    this.dimColumns = new ArrayList<>();
    for (int d = 0; d < dimCount; d++) {
      dimColumns.add(d);
    }
    this.shape = maxShape(files);
    this.region = Region.all(shape);
  }

  /** The largest extent of each dimension over the files (files may differ in shape). */
  private static long[] maxShape(List<SparkFileArrays> files) {
    long[] out = files.get(0).primary().shape().clone();
    for (SparkFileArrays f : files) {
      long[] s = f.primary().shape();
      for (int d = 0; d < out.length; d++) {
        out[d] = Math.max(out[d], s[d]);
      }
    }
    return out;
  }

  @Override
  public Predicate[] pushPredicates(Predicate[] predicates) {
    // The rows layout has one index column: only predicates on the first axis narrow the plan.
    int filterableDims = layout == SparkOptions.Layout.CELLS ? dimNames.size() : 1;
    boolean[] timeDims = new boolean[filterableDims];
    boolean[] valueDims = new boolean[filterableDims];
    for (int d = 0; d < filterableDims; d++) {
      timeDims[d] = arrays.get(0).isTimeDimension(d);
      valueDims[d] = arrays.get(0).isValueDimension(d);
    }
    SparkFilterTranslator translator =
        new SparkFilterTranslator(dimNames.subList(0, filterableDims), timeDims, valueDims);
    RegionTranslator regions = new RegionTranslator(shape);
    List<Predicate> postScan = new ArrayList<>();
    List<Predicate> used = new ArrayList<>();
    for (Predicate p : predicates) {
      DimPredicate core = translator.toCore(p);
      if (CoordinateResolver.hasCoordinates(core)) {
        // Resolved per file at build(); a superset at worst, so Spark keeps the predicate.
        coordinatePredicates.add(core);
        postScan.add(p);
        used.add(p);
        allExact = false;
        continue;
      }
      Region r = regions.translate(core);
      if (!r.isExact()) {
        postScan.add(p);
        allExact = false;
      }
      if (r.boxes().size() != 1 || r.size() != Region.all(shape).size() || !r.isExact()) {
        used.add(p);
      }
      region = region.intersect(r);
    }
    pushed = used.toArray(Predicate[]::new);
    return postScan.toArray(Predicate[]::new);
  }

  /**
   * Each file's region: the index region cut by the coordinate predicates resolved through the
   * file's own time coordinates (empty for a file whose times cannot match).
   */
  private List<Region> fileRegions() {
    List<Region> out = new ArrayList<>();
    for (SparkFileArrays f : files) {
      Region r = region;
      if (!coordinatePredicates.isEmpty()) {
        CoordinateResolver resolver = new CoordinateResolver(coordinateIndexes(f.primary()));
        RegionTranslator translator = new RegionTranslator(shape);
        for (DimPredicate p : coordinatePredicates) {
          r = r.intersect(translator.translate(resolver.resolve(p)));
        }
      }
      out.add(r);
    }
    return out;
  }

  /**
   * Per dimension, the index of its time or numeric coordinate's values (null: none, not monotonic
   * or holding NaN).
   */
  private static CoordinateIndex[] coordinateIndexes(SparkArrayInfo info) {
    CoordinateIndex[] out = new CoordinateIndex[info.rank()];
    for (int d = 0; d < out.length; d++) {
      if (info.isTimeDimension(d)) {
        out[d] = CoordinateIndex.sorted(info.dimensionTimes()[d]).orElse(null);
      } else if (info.isValueDimension(d)) {
        out[d] = CoordinateIndex.sorted(info.dimensionValues()[d]).orElse(null);
      }
    }
    return out;
  }

  @Override
  public Predicate[] pushedPredicates() {
    return pushed;
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    List<Integer> keep = new ArrayList<>();
    for (int k = 0; k < arrays.size(); k++) {
      for (StructField f : requiredSchema.fields()) {
        if (f.name().equalsIgnoreCase(arrays.get(k).columnName())) {
          keep.add(k);
          break;
        }
      }
    }
    selected = keep;
    if (layout == SparkOptions.Layout.CELLS) {
      // Index columns the query never reads are not filled at all (a full-scan sum reads values
      // only). A query reading no column at all keeps the first, so every row still has a column.
      List<Integer> dims = new ArrayList<>();
      for (int d = 0; d < dimNames.size(); d++) {
        for (StructField f : requiredSchema.fields()) {
          if (f.name().equalsIgnoreCase(dimNames.get(d))) {
            dims.add(d);
            break;
          }
        }
      }
      if (dims.isEmpty() && keep.isEmpty() && !dimNames.isEmpty()) {
        dims.add(0);
      }
      dimColumns = dims;
    }
  }

  /**
   * Takes the aggregates when every filter was pushed exactly (Spark only offers them then) and
   * {@link SparkAggregates#of} accepts them; the scan then returns one partial row per task.
   */
  @Override
  public boolean pushAggregation(Aggregation aggregation) {
    SparkAggregates aggs = accepted(aggregation);
    if (aggs == null) {
      return false;
    }
    aggregates = aggs;
    selected = aggs.readsValues() ? List.of(aggs.column()) : List.of();
    dimColumns = List.of();
    return true;
  }

  /**
   * Whether the scan's one row is the query's answer: the aggregates are accepted (as by {@link
   * #pushAggregation}, which Spark calls next) and the scan plans one task, whose row then is the
   * final result. Spark then runs no final aggregation and no exchange: a query of a few chunks (a
   * 1% square) is one stage of one task. Its row equals what Spark would compute from it: a sum of
   * one partial sum is that sum (ours starts from +0.0, so it is never -0.0), a count that count, a
   * minimum or maximum that value, and null stays null.
   */
  @Override
  public boolean supportCompletePushDown(Aggregation aggregation) {
    SparkAggregates aggs = accepted(aggregation);
    oneTask =
        aggs != null
            && scan(aggs.readsValues() ? List.of(aggs.column()) : List.of(), List.of(), aggs)
                    .planInputPartitions()
                    .length
                == 1;
    return oneTask;
  }

  /** The aggregates of {@code aggregation} when the scan can compute them, else null. */
  private SparkAggregates accepted(Aggregation aggregation) {
    if (!options.pushAggregates()
        || layout != SparkOptions.Layout.CELLS
        || multiFile
        || !allExact
        || !coordinatePredicates.isEmpty()) {
      return null;
    }
    return SparkAggregates.of(aggregation, arrays);
  }

  @Override
  public boolean pushLimit(int n) {
    // A limit above pushed aggregates limits their rows, never the elements they aggregate.
    if (!allExact || aggregates != null) {
      return false;
    }
    limit = n;
    return true;
  }

  @Override
  public Scan build() {
    SparkScan scan = scan(selected, dimColumns, aggregates);
    if (oneTask && aggregates != null && scan.planInputPartitions().length != 1) {
      // Spark takes the one row as the answer: several would be several answers.
      throw new IllegalStateException(
          "Aggregates were pushed completely for one task, but the scan plans "
              + scan.planInputPartitions().length
              + "; set option push_aggregates=false and report this");
    }
    return scan;
  }

  private SparkScan scan(
      List<Integer> selected, List<Integer> dimColumns, SparkAggregates aggregates) {
    return new SparkScan(
        options,
        layout,
        files,
        multiFile,
        selected,
        dimNames,
        dimColumns,
        region,
        fileRegions(),
        limit,
        aggregates);
  }
}
