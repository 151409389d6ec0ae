package io.arraymorph.spark.write;

import io.arraymorph.array.DataType;
import io.arraymorph.write.DatasetWrite;
import io.arraymorph.write.WriteMode;
import java.io.Serializable;

/**
 * One dataset a write produces: which input column feeds core's {@link DatasetWrite} of it.
 *
 * @param column the input column's ordinal
 * @param sparkType the input column's type (for rows layout, the innermost element type)
 */
record SparkWriteTarget(
    String columnName,
    int column,
    org.apache.spark.sql.types.DataType sparkType,
    DatasetWrite write)
    implements Serializable {

  String path() {
    return write.path();
  }

  DataType dataType() {
    return write.dataType();
  }

  WriteMode mode() {
    return write.mode();
  }
}
