package io.arraymorph.spark;

import io.arraymorph.InterruptedPublicationException;
import io.arraymorph.api.LocalPublications;
import io.arraymorph.spark.source.SparkArraysOpener;
import io.arraymorph.spark.source.SparkFileArrays;
import io.arraymorph.spark.source.SparkListScanBuilder;
import io.arraymorph.spark.source.SparkScanBuilder;
import io.arraymorph.spark.source.SparkSchemas;
import io.arraymorph.spark.write.SparkWriteBuilder;
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

  /** {@link LocalPublications#count()} when the datasets were opened. */
  private long openedAt;

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
    boolean sameOptions = merged.asMap().equals(options.asMap());
    if (sameOptions && opened() == null && interrupted != null) {
      throw interrupted;
    }
    // Spark passes the load options again here: the table's datasets, opened for its schema,
    // serve the scan unless the scan's options differ (one metadata read per query, none when a
    // DataFrame is queried again and nothing was written in between).
    List<SparkFileArrays> arrays =
        sameOptions ? opened() : SparkArraysOpener.open(merged).orElse(null);
    if (arrays == null) {
      throw SparkArraysOpener.missingDatasets(merged);
    }
    if (sameOptions) {
      checkSchemaUnchanged(arrays);
    }
    return new SparkScanBuilder(merged, arrays);
  }

  /**
   * The schema Spark analysed the query with is this table's first one: datasets reopened after a
   * write must still have it (a write may change shape, not column types).
   */
  private void checkSchemaUnchanged(List<SparkFileArrays> arrays) {
    StructType before = schema();
    StructType now = SparkSchemas.tableSchema(options, () -> arrays);
    if (!now.equals(before)) {
      throw new IllegalStateException(
          name()
              + " was written since this DataFrame was loaded and its schema changed from "
              + before.simpleString()
              + " to "
              + now.simpleString()
              + "; load it again");
    }
  }

  /**
   * The datasets of every file, opened once per table and again when this JVM wrote or deleted a
   * dataset since ({@link LocalPublications}): a DataFrame queried again reads what the store holds
   * now; null when they do not exist.
   */
  private synchronized List<SparkFileArrays> opened() {
    long count = LocalPublications.count();
    if (!openTried || count != openedAt) {
      openedAt = count;
      opened = null;
      interrupted = null;
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
