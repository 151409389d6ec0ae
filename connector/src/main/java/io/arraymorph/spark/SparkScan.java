package io.arraymorph.spark;

import io.arraymorph.array.ChunkGrid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.Statistics;
import org.apache.spark.sql.connector.read.SupportsReportStatistics;
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
  private final IndexRegion region;
  private final long limit;
  private InputPartition[] partitions;

  SparkScan(
      SparkOptions options,
      SparkOptions.Layout layout,
      List<SparkFileArrays> files,
      boolean multiFile,
      List<Integer> selected,
      List<String> dimNames,
      IndexRegion region,
      long limit) {
    this.options = options;
    this.layout = layout;
    this.files = files;
    this.multiFile = multiFile;
    this.selected = selected;
    this.dimNames = dimNames;
    this.region = region;
    this.limit = limit;
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
    SparkFileArrays first = files.get(0);
    List<SparkArrayInfo> sel = selectedOf(first);
    List<SparkArrayInfo> withPrimary = sel.isEmpty() ? List.of(first.primary()) : sel;
    StructType full = SparkSchemas.arraySchema(withPrimary, layout, multiFile);
    if (sel.isEmpty()) {
      // Only dimension columns (and the file): no dataset is fetched at all.
      int dimColumns = layout == SparkOptions.Layout.CELLS ? dimNames.size() : 1;
      StructType dims = new StructType();
      for (int d = 0; d < dimColumns; d++) {
        dims = dims.add(full.fields()[d]);
      }
      if (multiFile) {
        dims = dims.add(full.fields()[full.fields().length - 1]);
      }
      return dims;
    }
    return full;
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
            + region
            + (limit >= 0 ? " limit=" + limit : "")
            + "]");
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
    }
    return partitions;
  }

  /** Receives chunks in row-major grid order, each with its boxes; returns false to stop. */
  private interface ChunkVisitor {
    boolean visit(long[] coords, List<IndexRegion.Box> boxes);
  }

  /** The region's boxes cut to one file's shape (files may be smaller than the largest). */
  private List<IndexRegion.Box> boxesWithin(long[] shape) {
    List<IndexRegion.Box> out = new ArrayList<>();
    for (IndexRegion.Box b : region.boxes()) {
      long[] hi = b.hi().clone();
      boolean empty = false;
      for (int d = 0; d < hi.length; d++) {
        hi[d] = Math.min(hi[d], shape[d]);
        empty |= b.lo()[d] >= hi[d];
      }
      if (!empty) {
        out.add(new IndexRegion.Box(b.lo(), hi));
      }
    }
    return out;
  }

  /**
   * Visits the chunks of one file overlapping the region in row-major grid order, each with the
   * parts of the boxes inside it, until the limit (if any) is covered; {@code planned} counts
   * elements planned so far over all files. A single box (no filter, or a range) is walked
   * directly; several boxes are first gathered per chunk.
   */
  private void overlappingChunks(ChunkGrid grid, long[] planned, ChunkVisitor visitor) {
    List<IndexRegion.Box> boxes = boxesWithin(grid.arrayShape());
    if (boxes.isEmpty() || (limit >= 0 && planned[0] >= limit)) {
      return;
    }
    if (boxes.size() == 1) {
      walkBox(
          grid,
          boxes.get(0),
          (coords, parts) -> {
            planned[0] += parts.get(0).size();
            return visitor.visit(coords, parts) && (limit < 0 || planned[0] < limit);
          });
      return;
    }
    TreeMap<Long, List<IndexRegion.Box>> chunks = new TreeMap<>();
    for (IndexRegion.Box box : boxes) {
      boolean more =
          walkBox(
              grid,
              box,
              (coords, parts) -> {
                chunks
                    .computeIfAbsent(grid.linearIndex(coords), k -> new ArrayList<>())
                    .addAll(parts);
                planned[0] += parts.get(0).size();
                return limit < 0 || planned[0] < limit;
              });
      if (!more) {
        break;
      }
    }
    for (Map.Entry<Long, List<IndexRegion.Box>> e : chunks.entrySet()) {
      if (!visitor.visit(grid.chunkCoords(e.getKey()), e.getValue())) {
        return;
      }
    }
  }

  /** Visits the chunks one box overlaps, with the box's part inside each; false if stopped. */
  private static boolean walkBox(ChunkGrid grid, IndexRegion.Box box, ChunkVisitor visitor) {
    int[] chunk = grid.chunkShape();
    long[] shape = grid.arrayShape();
    int rank = chunk.length;
    long[] first = new long[rank];
    long[] last = new long[rank];
    for (int d = 0; d < rank; d++) {
      first[d] = box.lo()[d] / chunk[d];
      last[d] = (box.hi()[d] - 1) / chunk[d];
    }
    long[] c = first.clone();
    while (true) {
      long[] lo = new long[rank];
      long[] hi = new long[rank];
      for (int d = 0; d < rank; d++) {
        long origin = c[d] * chunk[d];
        lo[d] = Math.max(box.lo()[d], origin);
        hi[d] = Math.min(Math.min(box.hi()[d], origin + chunk[d]), shape[d]);
      }
      if (!visitor.visit(c.clone(), List.of(new IndexRegion.Box(lo, hi)))) {
        return false;
      }
      int d = rank - 1;
      while (d >= 0 && ++c[d] > last[d]) {
        c[d] = first[d];
        d--;
      }
      if (d < 0) {
        return true;
      }
    }
  }

  /**
   * Packs chunks of every file, in file then grid order, into partitions of about the target size.
   */
  private InputPartition[] planChunkPartitions() {
    long target = options.partitionBytes();
    List<InputPartition> out = new ArrayList<>();
    List<SparkChunkSegment> segments = new ArrayList<>();
    long[] bytes = {0};
    long[] planned = {0};
    for (SparkFileArrays f : files) {
      SparkArrayInfo primary = f.primary();
      List<SparkArrayInfo> sel = selectedOf(f);
      ChunkGrid grid = primary.grid();
      long chunkCost = 0;
      for (SparkArrayInfo a : sel) {
        chunkCost += a.chunkBytes();
      }
      long perChunk = chunkCost == 0 ? grid.chunkElements() * 8L * grid.rank() : chunkCost;
      List<long[]> coords = new ArrayList<>();
      List<List<IndexRegion.Box>> boxes = new ArrayList<>();
      overlappingChunks(
          grid,
          planned,
          (c, parts) -> {
            coords.add(c);
            boxes.add(parts);
            bytes[0] += perChunk;
            if (bytes[0] >= target) {
              segments.add(segment(f, sel, coords, boxes));
              out.add(new SparkChunkPartition(options, List.copyOf(segments), multiFile));
              coords.clear();
              boxes.clear();
              segments.clear();
              bytes[0] = 0;
            }
            return true;
          });
      if (!coords.isEmpty()) {
        segments.add(segment(f, sel, coords, boxes));
      }
    }
    if (!segments.isEmpty()) {
      out.add(new SparkChunkPartition(options, List.copyOf(segments), multiFile));
    }
    return out.toArray(InputPartition[]::new);
  }

  private static SparkChunkSegment segment(
      SparkFileArrays f,
      List<SparkArrayInfo> sel,
      List<long[]> coords,
      List<List<IndexRegion.Box>> boxes) {
    return new SparkChunkSegment(
        f.location(), f.label(), f.primary(), sel, new ArrayList<>(coords), new ArrayList<>(boxes));
  }

  private InputPartition[] planRowPartitions() {
    SparkFileArrays file = files.get(0);
    List<SparkArrayInfo> sel = selectedOf(file);
    int chunk0 = file.primary().chunkShape()[0];
    long rowBytes = 0;
    for (SparkArrayInfo a : sel) {
      long inner = 1;
      for (int d = 1; d < a.rank(); d++) {
        inner *= a.shape()[d];
      }
      rowBytes += inner * a.elementBytes();
    }
    long target = options.partitionBytes();
    List<InputPartition> out = new ArrayList<>();
    List<long[]> ranges = new ArrayList<>();
    long bytes = 0;
    long planned = 0;
    for (IndexRegion.Box box : region.boxes()) {
      long pos = box.lo()[0];
      while (pos < box.hi()[0] && (limit < 0 || planned < limit)) {
        long end = Math.min(box.hi()[0], (pos / chunk0 + 1) * chunk0);
        ranges.add(new long[] {pos, end});
        bytes += (end - pos) * Math.max(rowBytes, 8);
        planned += end - pos;
        pos = end;
        if (bytes >= target) {
          out.add(
              new SparkRowsPartition(
                  options, file.location(), sel, ranges, file.primary().dimensionTimes()[0]));
          ranges = new ArrayList<>();
          bytes = 0;
        }
      }
    }
    if (!ranges.isEmpty()) {
      out.add(
          new SparkRowsPartition(
              options, file.location(), sel, ranges, file.primary().dimensionTimes()[0]));
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
    for (SparkFileArrays f : files) {
      List<IndexRegion.Box> boxes = boxesWithin(f.primary().shape());
      for (IndexRegion.Box b : boxes) {
        rows += layout == SparkOptions.Layout.CELLS ? b.size() : b.hi()[0] - b.lo()[0];
      }
    }
    if (limit >= 0) {
      rows = Math.min(rows, limit);
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
