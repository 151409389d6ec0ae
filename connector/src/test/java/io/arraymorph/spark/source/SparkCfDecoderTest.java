package io.arraymorph.spark.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.DataType;
import io.arraymorph.cf.CfEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** CF decoding into column vectors, without Spark sessions. */
class SparkCfDecoderTest {

  private static byte[] ints(int... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putInt(x);
    }
    return b.array();
  }

  @Test
  void packedIntsWithAMissingValueUnpackToDoublesAndNulls() {
    CfEncoding cf =
        CfEncoding.of(
            Map.of("scale_factor", List.of(0.001), "missing_value", List.of(-1)), DataType.INT32);
    SparkCfDecoder d = new SparkCfDecoder(cf);
    assertEquals(DataTypes.DoubleType, d.sparkType());
    try (OnHeapColumnVector v = new OnHeapColumnVector(4, DataTypes.DoubleType)) {
      d.fill(v, 1, 3, ints(5, 67135, -1, 2000), 1);
      assertEquals(67135 * 0.001, v.getDouble(1));
      assertTrue(v.isNullAt(2));
      assertEquals(2000 * 0.001, v.getDouble(3));
    }
  }

  @Test
  void fillValuesOfUnpackedIntsBecomeNullsInTheStoredType() {
    SparkCfDecoder d =
        new SparkCfDecoder(CfEncoding.of(Map.of("_FillValue", List.of(-9)), DataType.INT32));
    assertEquals(DataTypes.IntegerType, d.sparkType());
    try (OnHeapColumnVector v = new OnHeapColumnVector(3, DataTypes.IntegerType)) {
      d.fill(v, 0, 3, ints(4, -9, 7), 0);
      assertEquals(4, v.getInt(0));
      assertTrue(v.isNullAt(1));
      assertEquals(7, v.getInt(2));
    }
  }
}
