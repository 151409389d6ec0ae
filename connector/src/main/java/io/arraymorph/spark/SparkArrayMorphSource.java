package io.arraymorph.spark;

import io.arraymorph.options.ArrayMorphOptions;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Identifier;
import org.apache.spark.sql.connector.catalog.SupportsCatalogOptions;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code format("arraymorph")} data source. Reads and writes go through the source's own
 * catalog ({@link SparkArrayMorphCatalog}), which also offers the {@code chunk_index} function
 * writes cluster rows by, so that every chunk object is written by exactly one task.
 */
public final class SparkArrayMorphSource implements SupportsCatalogOptions, DataSourceRegister {
  /** The short name: {@code format("arraymorph")}. */
  public static final String SHORT_NAME = "arraymorph";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return getTable(null, new Transform[0], options.asCaseSensitiveMap()).schema();
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new SparkArrayMorphTable(SparkOptions.resolve(properties));
  }

  /** Spark's session setting naming the option keys whose values plans print as redacted. */
  static final String OPTIONS_REDACTION_KEY = "spark.sql.redaction.options.regex";

  /**
   * Option keys holding ArrayMorph's (and Hadoop's) secrets, from the options registry. Spark's
   * default redaction ({@code spark.redaction.regex}) misses {@code connection_string} and {@code
   * account_key}, which write plans ({@code AppendData}, {@code CreateTableAsSelect}) would
   * otherwise print in clear.
   */
  static final String SECRET_OPTION_KEYS = ArrayMorphOptions.secretKeyRegex();

  @Override
  public String extractCatalog(CaseInsensitiveStringMap options) {
    SparkSession session = SparkSession.active();
    String key = "spark.sql.catalog." + SparkArrayMorphCatalog.NAME;
    if (!session.conf().contains(key)) {
      session.conf().set(key, SparkArrayMorphCatalog.class.getName());
    }
    String redaction = session.conf().get(OPTIONS_REDACTION_KEY, "(?i)url");
    if (!redaction.contains(SECRET_OPTION_KEYS)) {
      session.conf().set(OPTIONS_REDACTION_KEY, "(?:" + redaction + ")|" + SECRET_OPTION_KEYS);
    }
    return SparkArrayMorphCatalog.NAME;
  }

  @Override
  public Identifier extractIdentifier(CaseInsensitiveStringMap options) {
    SparkSession session = SparkSession.active();
    extractCatalog(options);
    SparkArrayMorphCatalog catalog =
        (SparkArrayMorphCatalog)
            ((org.apache.spark.sql.classic.SparkSession) session)
                .sessionState()
                .catalogManager()
                .catalog(SparkArrayMorphCatalog.NAME);
    return catalog.register(SparkOptions.resolve(options.asCaseSensitiveMap()));
  }
}
