package io.arraymorph.spark;

import io.arraymorph.InterruptedPublicationException;
import io.arraymorph.spark.source.SparkArraysOpener;
import io.arraymorph.spark.source.SparkFileArrays;
import io.arraymorph.spark.source.SparkListScanBuilder;
import io.arraymorph.spark.source.SparkScanBuilder;
import io.arraymorph.spark.source.SparkSchemas;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.SupportsWrite;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.write.LogicalWriteInfo;
import org.apache.spark.sql.connector.write.WriteBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * One or more arrays of a store (or a metadata view of it) as a Spark table. The schema comes from
 * the arrays' metadata; writes accept any input schema and check it themselves.
 */
public final class SparkArrayMorphTable implements SupportsRead, SupportsWrite {
  private final SparkOptions options;
  private final boolean createOnly;
  private StructType schema;
  private List<SparkFileArrays> opened;
  private boolean openTried;

  /** Why the datasets cannot be read: a publication left part-way, which a write repairs. */
  private RuntimeException interrupted;

  public SparkArrayMorphTable(SparkOptions options) {
    this(options, false);
  }

  /**
   * A table; {@code createOnly} marks the target of errorifexists/ignore writes, which must not
   * touch an existing dataset.
   */
  SparkArrayMorphTable(SparkOptions options, boolean createOnly) {
    this.options = options;
    this.createOnly = createOnly;
  }

  public SparkOptions options() {
    return options;
  }

  @Override
  public String name() {
    return "arraymorph:"
        + options.redact(options.get("path", "?"))
        + options.listView().map(v -> " list=" + v).orElse("")
        + (options.datasetPaths().isEmpty() ? "" : " " + options.datasetPaths());
  }

  @Override
  public synchronized StructType schema() {
    if (schema == null) {
      schema = SparkSchemas.tableSchema(options, this::opened);
    }
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(
        TableCapability.BATCH_READ,
        TableCapability.BATCH_WRITE,
        TableCapability.TRUNCATE,
        TableCapability.ACCEPT_ANY_SCHEMA);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap readOptions) {
    SparkOptions merged = options.withOverrides(readOptions.asCaseSensitiveMap());
    if (merged.listView().isPresent()) {
      return new SparkListScanBuilder(merged);
    }
    if (merged.asMap().equals(options.asMap()) && opened() == null && interrupted != null) {
      throw interrupted;
    }
    // Spark passes the load options again here: the table's datasets, opened for its schema,
    // serve the scan unless the scan's options differ (one metadata read per query).
    List<SparkFileArrays> arrays =
        merged.asMap().equals(options.asMap())
            ? opened()
            : SparkArraysOpener.open(merged).orElse(null);
    if (arrays == null) {
      throw SparkArraysOpener.missingDatasets(merged);
    }
    return new SparkScanBuilder(merged, arrays);
  }

  /** The datasets of every file, opened once per table; null when they do not exist. */
  private synchronized List<SparkFileArrays> opened() {
    if (!openTried) {
      try {
        opened = SparkArraysOpener.open(options).orElse(null);
      } catch (RuntimeException e) {
        if (!isInterruptedPublication(e)) {
          throw e;
        }
        // A write of this table repairs the dataset first (core's DatasetWrite); a read is
        // refused with this error, which names the state and the repair.
        interrupted = e;
      }
      openTried = true;
    }
    return opened;
  }

  @Override
  public WriteBuilder newWriteBuilder(LogicalWriteInfo info) {
    SparkOptions merged = options.withOverrides(info.options().asCaseSensitiveMap());
    return new SparkWriteBuilder(merged, info, createOnly);
  }

  @Override
  public String toString() {
    return name();
  }

  private static boolean isInterruptedPublication(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof InterruptedPublicationException) {
        return true;
      }
    }
    return false;
  }
}
