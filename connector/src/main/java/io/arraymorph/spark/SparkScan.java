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
  private final SparkArrayInfo primary;
  private final List<SparkArrayInfo> selected;
  private final List<String> dimNames;
  private final IndexRegion region;
  private final long limit;
  private InputPartition[] partitions;

  SparkScan(
      SparkOptions options,
      SparkOptions.Layout layout,
      SparkArrayInfo primary,
      List<SparkArrayInfo> selected,
      List<String> dimNames,
      IndexRegion region,
      long limit) {
    this.options = options;
    this.layout = layout;
    this.primary = primary;
    this.selected = selected;
    this.dimNames = dimNames;
    this.region = region;
    this.limit = limit;
  }

  @Override
  public StructType readSchema() {
    List<SparkArrayInfo> withPrimary = selected.isEmpty() ? List.of(primary) : selected;
    StructType full = SparkSchemas.arraySchema(withPrimary, layout);
    if (selected.isEmpty()) {
      // Only dimension columns: no dataset is fetched at all.
      int dimColumns = layout == SparkOptions.Layout.CELLS ? dimNames.size() : 1;
      StructType dims = new StructType();
      for (int d = 0; d < dimColumns; d++) {
        dims = dims.add(full.fields()[d]);
      }
      return dims;
    }
    return full;
  }

  @Override
  public String description() {
    return options.redact(
        "arraymorph["
            + options.get("path", "?")
            + " datasets="
            + selected.stream().map(SparkArrayInfo::path).toList()
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

  /** Chunks overlapping the region, in row-major grid order, each with its boxes. */
  private TreeMap<Long, List<IndexRegion.Box>> overlappingChunks() {
    ChunkGrid grid = primary.grid();
    int[] chunk = grid.chunkShape();
    long[] shape = grid.arrayShape();
    TreeMap<Long, List<IndexRegion.Box>> chunks = new TreeMap<>();
    long planned = 0;
    for (IndexRegion.Box box : region.boxes()) {
      long[] first = new long[box.lo().length];
      long[] last = new long[first.length];
      for (int d = 0; d < first.length; d++) {
        first[d] = box.lo()[d] / chunk[d];
        last[d] = (box.hi()[d] - 1) / chunk[d];
      }
      long[] c = first.clone();
      while (true) {
        long[] lo = new long[c.length];
        long[] hi = new long[c.length];
        for (int d = 0; d < c.length; d++) {
          long origin = c[d] * chunk[d];
          lo[d] = Math.max(box.lo()[d], origin);
          hi[d] = Math.min(Math.min(box.hi()[d], origin + chunk[d]), shape[d]);
        }
        IndexRegion.Box part = new IndexRegion.Box(lo, hi);
        chunks.computeIfAbsent(grid.linearIndex(c), k -> new ArrayList<>()).add(part);
        planned += part.size();
        if (limit >= 0 && planned >= limit) {
          return chunks;
        }
        int d = c.length - 1;
        while (d >= 0 && ++c[d] > last[d]) {
          c[d] = first[d];
          d--;
        }
        if (d < 0) {
          break;
        }
      }
    }
    return chunks;
  }

  private InputPartition[] planChunkPartitions() {
    ChunkGrid grid = primary.grid();
    long perChunk = 0;
    for (SparkArrayInfo a : selected) {
      perChunk += a.chunkBytes();
    }
    if (perChunk == 0) {
      perChunk = grid.chunkElements() * 8L * grid.rank();
    }
    long target = options.partitionBytes();
    List<InputPartition> out = new ArrayList<>();
    List<long[]> coords = new ArrayList<>();
    List<List<IndexRegion.Box>> boxes = new ArrayList<>();
    long bytes = 0;
    for (Map.Entry<Long, List<IndexRegion.Box>> e : overlappingChunks().entrySet()) {
      coords.add(grid.chunkCoords(e.getKey()));
      boxes.add(e.getValue());
      bytes += perChunk;
      if (bytes >= target) {
        out.add(new SparkChunkPartition(options, primary, selected, coords, boxes));
        coords = new ArrayList<>();
        boxes = new ArrayList<>();
        bytes = 0;
      }
    }
    if (!coords.isEmpty()) {
      out.add(new SparkChunkPartition(options, primary, selected, coords, boxes));
    }
    return out.toArray(InputPartition[]::new);
  }

  private InputPartition[] planRowPartitions() {
    int chunk0 = primary.chunkShape()[0];
    long rowBytes = 0;
    for (SparkArrayInfo a : selected) {
      long inner = 1;
      for (int d = 1; d < a.rank(); d++) {
        inner *= a.shape()[d];
      }
      rowBytes += inner * a.dataType().byteSize();
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
          out.add(new SparkRowsPartition(options, selected, ranges));
          ranges = new ArrayList<>();
          bytes = 0;
        }
      }
    }
    if (!ranges.isEmpty()) {
      out.add(new SparkRowsPartition(options, selected, ranges));
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
    long rows =
        layout == SparkOptions.Layout.CELLS ? region.size() : rowsLayoutCount(region.boxes());
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

  private static long rowsLayoutCount(List<IndexRegion.Box> boxes) {
    long n = 0;
    for (IndexRegion.Box b : boxes) {
      n += b.hi()[0] - b.lo()[0];
    }
    return n;
  }
}
