package io.arraymorph.spark;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
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
final class SparkListScanBuilder implements ScanBuilder, Scan, Batch {
  private final SparkOptions options;
  private final String view;

  SparkListScanBuilder(SparkOptions options) {
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
    List<Object[]> rows = new ArrayList<>();
    try (ArrayStore store = ArrayStore.open(options.location(), options.storeSettings())) {
      List<NodeInfo> nodes = store.list();
      if (view.equals("datasets")) {
        for (NodeInfo n : nodes) {
          rows.add(datasetRow(n));
        }
      } else {
        List<String> paths = options.datasetPaths();
        if (paths.isEmpty()) {
          paths =
              nodes.stream()
                  .filter(n -> n.kind() == NodeInfo.Kind.DATASET)
                  .map(NodeInfo::path)
                  .toList();
        }
        for (String p : paths) {
          chunkRows(store, store.dataset(p), rows);
        }
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(options.redact(e.getMessage()), e);
    }
    return new InputPartition[] {new SparkListPartition(rows)};
  }

  private static Object[] datasetRow(NodeInfo n) {
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
      attrs
    };
  }

  private static void chunkRows(ArrayStore store, Dataset ds, List<Object[]> rows) {
    String prefix = ds.path().isEmpty() ? "c/" : ds.path() + "/c/";
    for (ObjectInfo o : Futures.join(store.objectStore().list(prefix))) {
      String[] parts = o.key().substring(prefix.length()).split("/");
      if (parts.length != ds.shape().length) {
        continue;
      }
      long[] coords = new long[parts.length];
      try {
        for (int d = 0; d < parts.length; d++) {
          coords[d] = Long.parseLong(parts[d]);
        }
      } catch (NumberFormatException e) {
        continue;
      }
      rows.add(new Object[] {ds.path(), coords, o.key(), o.size()});
    }
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new SparkPartitionReaderFactory();
  }
}
