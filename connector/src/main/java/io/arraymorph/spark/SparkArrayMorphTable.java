package io.arraymorph.spark;

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
      schema = SparkSchemas.tableSchema(options, this::open);
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
    List<SparkFileArrays> arrays;
    synchronized (this) {
      arrays = merged == options && opened != null ? opened : SparkArraysOpener.open(merged);
    }
    return new SparkScanBuilder(merged, arrays);
  }

  /** Opens the datasets of every file once; scans of this table reuse them. */
  private synchronized List<SparkFileArrays> open(SparkFileSet files) {
    if (opened == null) {
      opened = SparkArraysOpener.open(options, files);
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
}
