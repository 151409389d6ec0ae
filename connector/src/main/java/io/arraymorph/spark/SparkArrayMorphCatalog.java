package io.arraymorph.spark;

import io.arraymorph.api.ArrayStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.catalyst.analysis.NoSuchFunctionException;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.connector.catalog.Column;
import org.apache.spark.sql.connector.catalog.FunctionCatalog;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCatalog;
import org.apache.spark.sql.connector.catalog.TableChange;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The catalog {@code format("arraymorph")} resolves tables through, registered by the source itself
 * (like Apache Iceberg's path-based catalog). A table identifier names a set of resolved options
 * held by this catalog instance (one per session) under a digest, so secrets never appear in
 * identifiers or plans. As a {@link FunctionCatalog} it offers {@code chunk_index}, which the
 * write's required distribution uses; Spark resolves distribution functions only through the
 * write's own catalog.
 */
public final class SparkArrayMorphCatalog implements TableCatalog, FunctionCatalog {
  /** The name the source registers this catalog under. */
  public static final String NAME = "arraymorph_catalog";

  private static final String[] NAMESPACE = {"arraymorph"};
  private final Map<String, SparkOptions> registered = new ConcurrentHashMap<>();
  private String name = NAME;

  @Override
  public void initialize(String name, CaseInsensitiveStringMap options) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  /** Registers resolved options and returns the identifier naming them. */
  Identifier register(SparkOptions options) {
    String location = options.redact(options.get("path", ""));
    String id = location + "#" + digest(options.asMap());
    registered.put(id, options);
    return Identifier.of(NAMESPACE, id);
  }

  private SparkOptions optionsFor(Identifier ident) throws NoSuchTableException {
    SparkOptions o = registered.get(ident.name());
    if (o == null) {
      throw new NoSuchTableException(ident);
    }
    return o;
  }

  private static String digest(Map<String, String> values) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      values.forEach(
          (k, v) -> {
            md.update(k.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(v.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
          });
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Identifier[] listTables(String[] namespace) {
    return new Identifier[0];
  }

  @Override
  public Table loadTable(Identifier ident) throws NoSuchTableException {
    return new SparkArrayMorphTable(optionsFor(ident));
  }

  /** Whether every dataset the options name exists (what errorifexists and ignore check). */
  @Override
  public boolean tableExists(Identifier ident) {
    SparkOptions options;
    try {
      options = optionsFor(ident);
    } catch (NoSuchTableException e) {
      return false;
    }
    if (options.listView().isPresent()) {
      return true;
    }
    try (ArrayStore store = ArrayStore.openShared(options.location(), options.storeSettings())) {
      var paths = options.datasetPaths();
      return !paths.isEmpty() && paths.stream().anyMatch(store::exists);
    }
  }

  /** Nothing is created before the write commits; the table only carries the write. */
  @Override
  public Table createTable(
      Identifier ident, Column[] columns, Transform[] partitions, Map<String, String> properties) {
    SparkOptions options = registered.get(ident.name());
    if (options == null) {
      throw new UnsupportedOperationException(
          "arraymorph tables are created by writing: df.write.format(\"arraymorph\").save(uri)");
    }
    return new SparkArrayMorphTable(options, true);
  }

  @Override
  public Table alterTable(Identifier ident, TableChange... changes) {
    throw new UnsupportedOperationException("arraymorph tables cannot be altered");
  }

  /** A failed create-as-select needs no cleanup here: the aborted write removed its chunks. */
  @Override
  public boolean dropTable(Identifier ident) {
    return false;
  }

  @Override
  public void renameTable(Identifier oldIdent, Identifier newIdent) {
    throw new UnsupportedOperationException("arraymorph tables cannot be renamed");
  }

  @Override
  public Identifier[] listFunctions(String[] namespace) {
    return new Identifier[] {Identifier.of(new String[0], SparkChunkIndexFunction.NAME)};
  }

  @Override
  public UnboundFunction loadFunction(Identifier ident) throws NoSuchFunctionException {
    if (ident.name().equalsIgnoreCase(SparkChunkIndexFunction.NAME)) {
      return new SparkChunkIndexFunction();
    }
    throw new NoSuchFunctionException(ident);
  }
}
