package io.arraymorph.spark.source;

import io.arraymorph.api.Dataset;
import io.arraymorph.hdf5.Hdf5ElementType;
import io.arraymorph.hdf5.Hdf5Values;
import io.arraymorph.spark.SparkTypes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Columns of HDF5 string, compound, enum, bool and array-type datasets: strings become {@code
 * string}, compounds a {@code struct} of their members (nested compounds nested structs), enums the
 * {@code string} label of each code (null for a code without one) with the label-to-code mapping in
 * the column's metadata under {@value #ENUM_METADATA_KEY}, h5py booleans {@code boolean}, array
 * types an {@code array} (nested arrays for more dimensions).
 */
public final class SparkValueColumns {
  /** The column metadata key holding an enum's labels and codes, e.g. {@code {"RED": 0}}. */
  public static final String ENUM_METADATA_KEY = "hdf5_enum";

  private SparkValueColumns() {}

  /** Whether a dataset is read as values (strings, compounds, enums) rather than numbers. */
  static boolean isValues(Dataset ds) {
    return ds.readsValues();
  }

  /** The Spark type of an element type. */
  static DataType sparkType(Hdf5ElementType type) {
    if (type instanceof Hdf5ElementType.Numeric n) {
      return SparkTypes.toSpark(n.dataType());
    }
    if (type instanceof Hdf5ElementType.Compound c) {
      List<StructField> fields = new ArrayList<>();
      for (Hdf5ElementType.Member m : c.members()) {
        fields.add(new StructField(m.name(), sparkType(m.type()), true, metadata(m.type())));
      }
      return new StructType(fields.toArray(StructField[]::new));
    }
    if (type instanceof Hdf5ElementType.Bool) {
      return DataTypes.BooleanType;
    }
    if (type instanceof Hdf5ElementType.Array a) {
      DataType item = sparkType(a.element());
      boolean nullable =
          !(a.element() instanceof Hdf5ElementType.Numeric)
              && !(a.element() instanceof Hdf5ElementType.Bool);
      DataType t = new ArrayType(item, nullable);
      for (int d = 1; d < a.dimensions().size(); d++) {
        t = new ArrayType(t, false);
      }
      return t;
    }
    return DataTypes.StringType; // strings, and enum labels
  }

  /** The column metadata of an element type: an enum's label-to-code mapping. */
  static Metadata metadata(Hdf5ElementType type) {
    if (!(type instanceof Hdf5ElementType.Enumeration e)) {
      return Metadata.empty();
    }
    MetadataBuilder codes = new MetadataBuilder();
    e.codes().forEach(codes::putLong);
    return new MetadataBuilder().putMetadata(ENUM_METADATA_KEY, codes.build()).build();
  }

  /** Element {@code i} as Spark's internal value of {@code type}. */
  static Object internal(Hdf5Values values, int i, DataType type) {
    if (type instanceof ArrayType array) {
      Hdf5ElementType.Array a = (Hdf5ElementType.Array) values.type();
      return arrayData(values.items(), i * a.items(), a.dimensions(), 0, array);
    }
    if (type instanceof StructType struct) {
      Map<String, Hdf5Values> members = values.members();
      Object[] row = new Object[struct.fields().length];
      for (int f = 0; f < row.length; f++) {
        StructField field = struct.fields()[f];
        row[f] = internal(members.get(field.name()), i, field.dataType());
      }
      return new GenericInternalRow(row);
    }
    Object v = values.get(i);
    if (v == null) {
      return null;
    }
    if (v instanceof String s) {
      return UTF8String.fromString(s);
    }
    if (v instanceof Boolean b) {
      return b;
    }
    Number n = (Number) v;
    if (type.equals(DataTypes.ByteType)) {
      return n.byteValue();
    } else if (type.equals(DataTypes.ShortType)) {
      return n.shortValue();
    } else if (type.equals(DataTypes.IntegerType)) {
      return n.intValue();
    } else if (type.equals(DataTypes.LongType)) {
      return n.longValue();
    } else if (type.equals(DataTypes.FloatType)) {
      return n.floatValue();
    } else if (type.equals(DataTypes.DoubleType)) {
      return n.doubleValue();
    }
    DecimalType d = (DecimalType) type;
    return Decimal.apply(new BigDecimal(n.toString()), d.precision(), d.scale());
  }

  /** One array (level {@code level} of {@code dims}) of the flattened items from {@code first}. */
  private static ArrayData arrayData(
      Hdf5Values items, int first, List<Integer> dims, int level, ArrayType type) {
    int n = dims.get(level);
    int stride = stride(dims, level);
    Object[] out = new Object[n];
    for (int j = 0; j < n; j++) {
      out[j] =
          level + 1 < dims.size()
              ? arrayData(
                  items, first + j * stride, dims, level + 1, (ArrayType) type.elementType())
              : internal(items, first + j, type.elementType());
    }
    return new GenericArrayData(out);
  }

  /** Items in one array of level {@code level + 1}. */
  private static int stride(List<Integer> dims, int level) {
    int stride = 1;
    for (int d = level + 1; d < dims.size(); d++) {
      stride *= dims.get(d);
    }
    return stride;
  }

  /**
   * Writes level {@code level} of the array of flattened items from {@code first} into row {@code
   * rowId}: its items are appended to the child vector, which {@code putArray} then points at.
   */
  private static void putArray(
      WritableColumnVector v,
      int rowId,
      Hdf5Values items,
      int first,
      List<Integer> dims,
      int level,
      ArrayType type) {
    int n = dims.get(level);
    int stride = stride(dims, level);
    WritableColumnVector child = v.arrayData();
    int offset = child.getElementsAppended();
    child.reserve(offset + n);
    child.addElementsAppended(n);
    for (int j = 0; j < n; j++) {
      if (level + 1 < dims.size()) {
        putArray(
            child,
            offset + j,
            items,
            first + j * stride,
            dims,
            level + 1,
            (ArrayType) type.elementType());
      } else {
        put(child, offset + j, items, first + j, type.elementType());
      }
    }
    v.putArray(rowId, offset, n);
  }

  /** Writes element {@code i} into row {@code rowId} of a column vector of {@code type}. */
  static void put(WritableColumnVector v, int rowId, Hdf5Values values, int i, DataType type) {
    if (type instanceof ArrayType array) {
      Hdf5ElementType.Array a = (Hdf5ElementType.Array) values.type();
      putArray(v, rowId, values.items(), i * a.items(), a.dimensions(), 0, array);
      return;
    }
    if (type instanceof StructType struct) {
      Map<String, Hdf5Values> members = values.members();
      for (int f = 0; f < struct.fields().length; f++) {
        StructField field = struct.fields()[f];
        put(v.getChild(f), rowId, members.get(field.name()), i, field.dataType());
      }
      return;
    }
    Object value = internal(values, i, type);
    if (value == null) {
      v.putNull(rowId);
    } else if (value instanceof UTF8String s) {
      byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
      v.putByteArray(rowId, bytes, 0, bytes.length);
    } else if (value instanceof Boolean b) {
      v.putBoolean(rowId, b);
    } else if (value instanceof Byte b) {
      v.putByte(rowId, b);
    } else if (value instanceof Short s) {
      v.putShort(rowId, s);
    } else if (value instanceof Integer x) {
      v.putInt(rowId, x);
    } else if (value instanceof Long x) {
      v.putLong(rowId, x);
    } else if (value instanceof Float x) {
      v.putFloat(rowId, x);
    } else if (value instanceof Double x) {
      v.putDouble(rowId, x);
    } else {
      v.putDecimal(rowId, (Decimal) value, ((DecimalType) type).precision());
    }
  }
}
