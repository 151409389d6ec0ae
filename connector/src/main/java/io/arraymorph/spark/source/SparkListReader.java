package io.arraymorph.spark.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;

/** Serves the rows of a metadata view, converting Java values to Spark's internal ones. */
final class SparkListReader implements PartitionReader<InternalRow> {
  private final List<Object[]> rows;
  private int next;
  private InternalRow current;

  SparkListReader(SparkListPartition part) {
    this.rows = part.rows();
  }

  @Override
  public boolean next() {
    if (next >= rows.size()) {
      return false;
    }
    Object[] src = rows.get(next++);
    Object[] out = new Object[src.length];
    for (int i = 0; i < src.length; i++) {
      out[i] = internal(src[i]);
    }
    current = new GenericInternalRow(out);
    return true;
  }

  private static Object internal(Object v) {
    if (v == null) {
      return null;
    } else if (v instanceof String s) {
      return UTF8String.fromString(s);
    } else if (v instanceof long[] a) {
      return new GenericArrayData(a);
    } else if (v instanceof String[] a) {
      Object[] out = new Object[a.length];
      for (int i = 0; i < a.length; i++) {
        out[i] = UTF8String.fromString(a[i]);
      }
      return new GenericArrayData(out);
    } else if (v instanceof int[] a) {
      return new GenericArrayData(a);
    } else if (v instanceof Map<?, ?> m) {
      List<Object> keys = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      m.forEach(
          (k, x) -> {
            keys.add(internal(k));
            values.add(internal(x));
          });
      return new ArrayBasedMapData(
          new GenericArrayData(keys.toArray()), new GenericArrayData(values.toArray()));
    }
    return v;
  }

  @Override
  public InternalRow get() {
    return current;
  }

  @Override
  public void close() {}
}
