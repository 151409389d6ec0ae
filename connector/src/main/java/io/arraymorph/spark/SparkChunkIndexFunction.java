package io.arraymorph.spark;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.catalog.functions.BoundFunction;
import org.apache.spark.sql.connector.catalog.functions.ScalarFunction;
import org.apache.spark.sql.connector.catalog.functions.UnboundFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * {@code chunk_index(i_0, ..., i_{n-1}, c_0, ..., c_{n-1})}: a key equal for all indices of one
 * chunk (chunk extents {@code c_d}), used to cluster a write's rows so one task owns each chunk.
 * Different chunks may share a key; writers handle that. Null indices give null (rejected by the
 * writer).
 */
public final class SparkChunkIndexFunction implements UnboundFunction {
  public static final String NAME = "chunk_index";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return NAME
        + "(i_0, ..., i_{n-1}, chunk_0, ..., chunk_{n-1}): a key shared by the indices of one chunk";
  }

  @Override
  public BoundFunction bind(StructType inputType) {
    StructField[] f = inputType.fields();
    if (f.length == 0 || f.length % 2 != 0) {
      throw new UnsupportedOperationException(
          NAME + " takes n index arguments followed by n chunk extents");
    }
    for (StructField field : f) {
      if (!SparkTypes.isIntegral(field.dataType())) {
        throw new UnsupportedOperationException(
            NAME + " takes integral arguments, not " + field.dataType().simpleString());
      }
    }
    DataType[] types = new DataType[f.length];
    for (int i = 0; i < f.length; i++) {
      types[i] = f[i].dataType();
    }
    return new Bound(types);
  }

  /** The bound function: mixes the chunk coordinates into one long. */
  static final class Bound implements ScalarFunction<Long> {
    private final DataType[] types;

    Bound(DataType[] types) {
      this.types = types;
    }

    @Override
    public DataType[] inputTypes() {
      return types;
    }

    @Override
    public DataType resultType() {
      return DataTypes.LongType;
    }

    @Override
    public boolean isResultNullable() {
      return true;
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public String canonicalName() {
      return "arraymorph." + NAME;
    }

    @Override
    public String toString() {
      return canonicalName();
    }

    @Override
    public Long produceResult(InternalRow row) {
      int n = types.length / 2;
      long key = 0;
      for (int d = 0; d < n; d++) {
        if (row.isNullAt(d)) {
          return null;
        }
        long chunk = get(row, n + d);
        key = key * 0x9E3779B97F4A7C15L + Math.floorDiv(get(row, d), Math.max(1, chunk));
      }
      return key;
    }

    private long get(InternalRow row, int i) {
      DataType t = types[i];
      if (t.equals(DataTypes.LongType)) {
        return row.getLong(i);
      } else if (t.equals(DataTypes.IntegerType)) {
        return row.getInt(i);
      } else if (t.equals(DataTypes.ShortType)) {
        return row.getShort(i);
      }
      return row.getByte(i);
    }
  }
}
