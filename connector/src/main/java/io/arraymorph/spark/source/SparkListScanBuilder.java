package io.arraymorph.spark.source;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.hdf5.Hdf5ChunkLocation;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.scan.StoredChunk;
import io.arraymorph.scan.StoredChunks;
import io.arraymorph.spark.SparkOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;

/**
 * The metadata views: {@code list=datasets} (one row per dataset or group) and {@code list=chunks}
 * (one row per stored chunk). Rows are gathered on the driver and served from one partition.
 */
public final class SparkListScanBuilder implements ScanBuilder, Scan, Batch {
  private final SparkOptions options;
  private final String view;

  public SparkListScanBuilder(SparkOptions options) {
    this.options = options;
    this.view = options.listView().orElseThrow();
  }

  @Override
  public Scan build() {
    return this;
  }

  @Override
  public StructType readSchema() {
    return view.equals("datasets") ? SparkSchemas.LIST_DATASETS : SparkSchemas.LIST_CHUNKS;
  }

  @Override
  public String description() {
    return options.redact("arraymorph[" + options.get("path", "?") + " list=" + view + "]");
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    SparkFileSet files = SparkFileSet.resolve(options);
    int parallelism = options.get(ArrayMorphOptions.OPEN_PARALLELISM);
    List<List<Object[]>> perFile = SparkParallel.map(files.locations(), parallelism, this::rows);
    List<Object[]> rows = new ArrayList<>();
    perFile.forEach(rows::addAll);
    return new InputPartition[] {new SparkListPartition(rows)};
  }

  /** The view's rows for one location. */
  private List<Object[]> rows(String location) {
    List<Object[]> rows = new ArrayList<>();
    String file = options.redact(location);
    try (ArrayStore store = ArrayStore.openShared(location, options.storeSettings())) {
      if (view.equals("datasets")) {
        for (NodeInfo n : store.list()) {
          rows.add(datasetRow(n, file));
        }
      } else {
        List<String> paths = options.datasetPaths();
        if (paths.isEmpty()) {
          paths =
              store.list().stream()
                  .filter(n -> n.kind() == NodeInfo.Kind.DATASET)
                  .filter(n -> n.chunkShape() != null)
                  .map(NodeInfo::path)
                  .toList();
        }
        for (String p : paths) {
          if (store.hdf5File().isPresent()) {
            hdf5ChunkRows(store.hdf5File().get(), p, file, rows);
          } else {
            chunkRows(store, store.dataset(p), file, rows);
          }
        }
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(options.redact(e.getMessage()), e);
    }
    return rows;
  }

  private static Object[] datasetRow(NodeInfo n, String file) {
    Map<String, String> attrs = new java.util.TreeMap<>();
    if (n.attributes() != null) {
      n.attributes().forEach((k, v) -> attrs.put(k, String.valueOf(v)));
    }
    return new Object[] {
      n.path(),
      n.kind().name().toLowerCase(java.util.Locale.ROOT),
      n.shape(),
      n.dataType(),
      n.chunkShape(),
      n.codecs(),
      attrs,
      n.kind() == NodeInfo.Kind.DATASET && n.dimensionNames() != null
          ? n.dimensionNames().toArray(String[]::new)
          : null,
      file
    };
  }

  /** The HDF5 chunk index: each stored chunk's byte offset and stored size in the file. */
  private static void hdf5ChunkRows(Hdf5File h5, String path, String file, List<Object[]> rows) {
    Hdf5Dataset ds = h5.dataset(path);
    for (Hdf5ChunkLocation c : ds.chunkIndex()) {
      rows.add(
          new Object[] {
            ds.path(),
            c.chunkCoords(),
            h5.key(),
            (long) c.storedSize(),
            c.offset(),
            c.filterMask(),
            file
          });
    }
  }

  private static void chunkRows(ArrayStore store, Dataset ds, String file, List<Object[]> rows) {
    for (StoredChunk c : StoredChunks.of(store.objectStore(), ds)) {
      rows.add(
          new Object[] {ds.path(), c.chunkCoords(), c.key(), c.size(), c.offset(), null, file});
    }
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new SparkPartitionReaderFactory();
  }
}
