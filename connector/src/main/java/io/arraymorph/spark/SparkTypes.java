package io.arraymorph.spark;

import io.arraymorph.array.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/** Maps array element types to Spark SQL types and back. */
public final class SparkTypes {
  /** The Spark type of uint64 values: every one fits exactly. */
  public static final DecimalType UINT64_TYPE = DataTypes.createDecimalType(20, 0);

  private SparkTypes() {}

  /** The Spark type that holds every value of an element type exactly (float16 widens to float). */
  public static org.apache.spark.sql.types.DataType toSpark(DataType type) {
    return switch (type) {
      case BOOL -> DataTypes.BooleanType;
      case INT8 -> DataTypes.ByteType;
      case INT16, UINT8 -> DataTypes.ShortType;
      case INT32, UINT16 -> DataTypes.IntegerType;
      case INT64, UINT32 -> DataTypes.LongType;
      case UINT64 -> UINT64_TYPE;
      case FLOAT16, FLOAT32 -> DataTypes.FloatType;
      case FLOAT64 -> DataTypes.DoubleType;
    };
  }

  /**
   * The element type a Spark column is written as by default.
   *
   * @throws IllegalArgumentException naming the column when its type cannot be stored
   */
  public static DataType fromSpark(String column, org.apache.spark.sql.types.DataType type) {
    if (type.equals(DataTypes.BooleanType)) {
      return DataType.BOOL;
    } else if (type.equals(DataTypes.ByteType)) {
      return DataType.INT8;
    } else if (type.equals(DataTypes.ShortType)) {
      return DataType.INT16;
    } else if (type.equals(DataTypes.IntegerType)) {
      return DataType.INT32;
    } else if (type.equals(DataTypes.LongType)) {
      return DataType.INT64;
    } else if (type.equals(DataTypes.FloatType)) {
      return DataType.FLOAT32;
    } else if (type.equals(DataTypes.DoubleType)) {
      return DataType.FLOAT64;
    } else if (type instanceof DecimalType d && d.scale() == 0 && d.precision() <= 20) {
      return d.precision() <= 18 ? DataType.INT64 : DataType.UINT64;
    }
    throw new IllegalArgumentException(
        "Column '"
            + column
            + "' has type "
            + type.simpleString()
            + ", which arraymorph cannot store; value columns must be boolean, byte, short, int,"
            + " long, float, double or decimal(20,0) (use option 'dtype' to pick the stored type)");
  }

  /**
   * Checks that a column can be converted to a chosen element type: numbers and booleans can.
   *
   * @throws IllegalArgumentException naming the column otherwise
   */
  public static void checkConvertible(String column, org.apache.spark.sql.types.DataType type) {
    if (!(type instanceof DecimalType)) {
      fromSpark(column, type);
    }
  }

  /** Whether a Spark type is an integral type usable as an index column. */
  public static boolean isIntegral(org.apache.spark.sql.types.DataType type) {
    return type.equals(DataTypes.ByteType)
        || type.equals(DataTypes.ShortType)
        || type.equals(DataTypes.IntegerType)
        || type.equals(DataTypes.LongType);
  }
}
