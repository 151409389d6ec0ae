package io.arraymorph.spark.source;

import io.arraymorph.array.ChunkGrid;
import io.arraymorph.scan.ChunkTask;
import io.arraymorph.scan.Region;
import io.arraymorph.scan.RegionChunks;
import io.arraymorph.scan.ScanPlanner;
import io.arraymorph.spark.SparkOptions;
import io.arraymorph.spark.metrics.SparkReadMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A planned read of arrays: input partitions group whole chunks overlapping the index region, up to
 * the target decoded size per partition ({@code partition_bytes}).
 */
final class SparkScan implements Scan, Batch, SupportsReportStatistics {
  private final SparkOptions options;
  private final SparkOptions.Layout layout;
  private final List<SparkFileArrays> files;
  private final boolean multiFile;
  private final List<Integer> selected;
  private final List<String> dimNames;
  private final List<Integer> dimColumns;
  private final Region region;
  private final List<Region> fileRegions;
  private final long limit;
  private final SparkAggregates aggregates;
  private InputPartition[] partitions;

  SparkScan(
      SparkOptions options,
      SparkOptions.Layout layout,
      List<SparkFileArrays> files,
      boolean multiFile,
      List<Integer> selected,
      List<String> dimNames,
      List<Integer> dimColumns,
      Region region,
      List<Region> fileRegions,
      long limit,
      SparkAggregates aggregates) {
    this.options = options;
    this.layout = layout;
    this.files = files;
    this.multiFile = multiFile;
    this.selected = selected;
    this.dimNames = dimNames;
    this.dimColumns = dimColumns;
    this.region = region;
    this.fileRegions = fileRegions;
    this.limit = limit;
    this.aggregates = aggregates;
  }

  private List<SparkArrayInfo> selectedOf(SparkFileArrays f) {
    List<SparkArrayInfo> out = new ArrayList<>();
    for (int k : selected) {
      out.add(f.arrays().get(k));
    }
    return out;
  }

  @Override
  public StructType readSchema() {
    if (aggregates != null) {
      return aggregates.schema();
    }
    SparkFileArrays first = files.get(0);
    List<SparkArrayInfo> sel = selectedOf(first);
    List<SparkArrayInfo> withPrimary = sel.isEmpty() ? List.of(first.primary()) : sel;
    StructField[] full = SparkSchemas.arraySchema(withPrimary, layout, multiFile).fields();
    int allDims = layout == SparkOptions.Layout.CELLS ? dimNames.size() : 1;
    // The index columns the query reads, then the value columns (none when only indices are
    // read: no dataset is fetched at all), then the file.
    StructType out = new StructType();
    for (int d : dimColumns) {
      out = out.add(full[d]);
    }
    for (int k = 0; k < sel.size(); k++) {
      out = out.add(full[allDims + k]);
    }
    if (multiFile) {
      out = out.add(full[full.length - 1]);
    }
    return out;
  }

  @Override
  public String description() {
    return options.redact(
        "arraymorph["
            + (multiFile ? files.size() + " files" : files.get(0).location())
            + " datasets="
            + selectedOf(files.get(0)).stream().map(SparkArrayInfo::path).toList()
            + " layout="
            + layout.name().toLowerCase(java.util.Locale.ROOT)
            + " region="
            + (multiFile
                ? region + " files=" + filesPlanned() + "/" + files.size()
                : fileRegions.get(0))
            + (limit >= 0 ? " limit=" + limit : "")
            + (aggregates != null ? " pushedAggregates=" + aggregates : "")
            + "]");
  }

  /** How many files hold some of the selected region (the others are never opened by tasks). */
  private long filesPlanned() {
    long n = 0;
    for (int f = 0; f < files.size(); f++) {
      if (!RegionChunks.within(fileRegions.get(f), files.get(f).primary().shape()).isEmpty()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public synchronized InputPartition[] planInputPartitions() {
    if (partitions == null) {
      partitions =
          layout == SparkOptions.Layout.CELLS ? planChunkPartitions() : planRowPartitions();
      if (aggregates != null) {
        partitions = aggregatePartitions(partitions);
      }
    }
    return partitions;
  }

  /**
   * Packs chunks of every file, in file then grid order, into partitions of about the target size
   * (core's {@link ScanPlanner}); each partition carries the datasets' metadata, each dataset's
   * narrowed to the chunks of its own grid (a file's datasets may be chunked differently).
   */
  private InputPartition[] planChunkPartitions() {
    List<ScanPlanner.Source> sources = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      SparkFileArrays f = files.get(i);
      List<SparkArrayInfo> sel = selectedOf(f);
      ChunkGrid grid = f.primary().grid();
      long chunkCost = 0;
      for (SparkArrayInfo a : sel) {
        // Decoded bytes of one chunk of the walked grid, whatever the dataset's own chunking.
        chunkCost += grid.chunkElements() * a.elementBytes();
      }
      // Index columns alone cost their longs per element emitted, not per element of the chunk:
      // a point series of 80,000 chunks emits one row from each.
      long perChunk =
          chunkCost == 0
              ? indexElementsPerChunk(grid, fileRegions.get(i)) * 8L * Math.max(1, grid.rank())
              : chunkCost;
      sources.add(
          new ScanPlanner.Source(
              f.location(),
              sel.stream().map(SparkArrayInfo::ref).toList(),
              grid,
              perChunk,
              sel.stream().map(SparkArrayInfo::grid).toList()));
    }
    List<InputPartition> out = new ArrayList<>();
    for (List<ScanPlanner.Planned> group :
        ScanPlanner.plan(sources, fileRegions, limit, options.partitionBytes())) {
      List<SparkChunkSegment> segments = new ArrayList<>();
      for (ScanPlanner.Planned p : group) {
        SparkFileArrays f = files.get(p.source());
        segments.add(new SparkChunkSegment(p.task(), f.label(), f.primary(), selectedOf(f)));
      }
      out.add(new SparkChunkPartition(options, segments, multiFile, dimColumns));
    }
    return out.toArray(InputPartition[]::new);
  }

  /**
   * At most how many elements of {@code region} one chunk of {@code grid} holds: per box, its
   * extent capped by the chunk's in each dimension, summed over the boxes.
   */
  private static long indexElementsPerChunk(ChunkGrid grid, Region region) {
    long total = 0;
    for (Region.Box b : RegionChunks.within(region, grid.arrayShape())) {
      long n = 1;
      for (int d = 0; d < grid.rank(); d++) {
        n *= Math.min(grid.chunkShape()[d], b.hi()[d] - b.lo()[d]);
      }
      total += n;
    }
    return Math.max(1, Math.min(total, grid.chunkElements()));
  }

  /**
   * The chunk partitions as partial-aggregate partitions; at least one, so an empty region still
   * gives Spark one partial row (count 0, not null).
   */
  private InputPartition[] aggregatePartitions(InputPartition[] chunkPartitions) {
    if (chunkPartitions.length == 0) {
      return new InputPartition[] {
        new SparkAggregatePartition(
            new SparkChunkPartition(options, List.of(), false, dimColumns), aggregates)
      };
    }
    InputPartition[] out = new InputPartition[chunkPartitions.length];
    for (int p = 0; p < out.length; p++) {
      out[p] = new SparkAggregatePartition((SparkChunkPartition) chunkPartitions[p], aggregates);
    }
    return out;
  }

  /**
   * Packs the row bands of the first file (chunk-aligned along the first axis, whole along the
   * others) into partitions of about the target size (core's {@link ScanPlanner#planRows}).
   */
  private InputPartition[] planRowPartitions() {
    SparkFileArrays file = files.get(0);
    List<SparkArrayInfo> sel = selectedOf(file);
    ChunkGrid grid = file.primary().grid();
    long rowBytes = 0;
    for (SparkArrayInfo a : sel) {
      long inner = 1;
      for (int d = 1; d < a.rank(); d++) {
        inner *= a.shape()[d];
      }
      rowBytes += inner * a.elementBytes();
    }
    ScanPlanner.Source source =
        new ScanPlanner.Source(
            file.location(),
            sel.stream().map(SparkArrayInfo::ref).toList(),
            grid,
            grid.chunkShape()[0] * Math.max(rowBytes, 8),
            sel.stream().map(SparkArrayInfo::grid).toList());
    int[] bandShape = ScanPlanner.bands(grid).chunkShape();
    List<InputPartition> out = new ArrayList<>();
    for (ChunkTask task :
        ScanPlanner.planRows(source, fileRegions.get(0), limit, options.partitionBytes())) {
      out.add(
          new SparkRowsPartition(
              options, task, bandShape, sel, file.primary().dimensionTimes()[0]));
    }
    return out.toArray(InputPartition[]::new);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new SparkPartitionReaderFactory();
  }

  @Override
  public CustomMetric[] supportedCustomMetrics() {
    return SparkReadMetrics.all();
  }

  @Override
  public Statistics estimateStatistics() {
    long rows = 0;
    for (int k = 0; k < files.size(); k++) {
      SparkFileArrays f = files.get(k);
      List<Region.Box> boxes = RegionChunks.within(fileRegions.get(k), f.primary().shape());
      for (Region.Box b : boxes) {
        rows += layout == SparkOptions.Layout.CELLS ? b.size() : b.hi()[0] - b.lo()[0];
      }
    }
    if (limit >= 0) {
      rows = Math.min(rows, limit);
    }
    if (aggregates != null) {
      rows = Math.max(1, planInputPartitions().length);
    }
    long rowBytes = 0;
    for (var f : readSchema().fields()) {
      rowBytes += f.dataType().defaultSize();
    }
    long finalRows = rows;
    long size = rows * Math.max(1, rowBytes);
    return new Statistics() {
      @Override
      public OptionalLong sizeInBytes() {
        return OptionalLong.of(size);
      }

      @Override
      public OptionalLong numRows() {
        return OptionalLong.of(finalRows);
      }
    };
  }
}
