package io.arraymorph.hdf5;

import io.arraymorph.array.DataType;
import io.jhdf.object.datatype.ArrayDataType;
import io.jhdf.object.datatype.BitField;
import io.jhdf.object.datatype.CompoundDataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.datatype.OpaqueDataType;
import io.jhdf.object.datatype.Reference;
import io.jhdf.object.datatype.StringData;
import io.jhdf.object.datatype.TimeDataType;
import io.jhdf.object.datatype.VariableLength;
import java.nio.ByteOrder;

/**
 * An HDF5 element type this reader supports: a numeric {@link DataType} and the byte order it is
 * stored in.
 */
record ElementType(DataType dataType, boolean bigEndian) {

  /**
   * Maps jhdf's view of a datatype message.
   *
   * @throws Hdf5UnsupportedException naming the type class for anything but plain integers and IEEE
   *     floats
   */
  static ElementType of(io.jhdf.object.datatype.DataType type, String path) {
    if (type instanceof FixedPoint fp) {
      if (fp.getBitOffset() != 0 || fp.getBitPrecision() != fp.getSize() * 8) {
        throw new Hdf5UnsupportedException("n-bit integer type", path);
      }
      DataType dt =
          switch (fp.getSize()) {
            case 1 -> fp.isSigned() ? DataType.INT8 : DataType.UINT8;
            case 2 -> fp.isSigned() ? DataType.INT16 : DataType.UINT16;
            case 4 -> fp.isSigned() ? DataType.INT32 : DataType.UINT32;
            case 8 -> fp.isSigned() ? DataType.INT64 : DataType.UINT64;
            default ->
                throw new Hdf5UnsupportedException(fp.getSize() + "-byte integer type", path);
          };
      return new ElementType(dt, fp.getByteOrder() == ByteOrder.BIG_ENDIAN);
    }
    if (type instanceof FloatingPoint f) {
      DataType dt =
          switch (f.getSize()) {
            case 2 -> DataType.FLOAT16;
            case 4 -> DataType.FLOAT32;
            case 8 -> DataType.FLOAT64;
            default ->
                throw new Hdf5UnsupportedException(f.getSize() + "-byte floating-point type", path);
          };
      return new ElementType(dt, f.getByteOrder() == ByteOrder.BIG_ENDIAN);
    }
    throw new Hdf5UnsupportedException(typeName(type), path);
  }

  /** A readable name of a datatype class, for errors and listings. */
  static String typeName(io.jhdf.object.datatype.DataType type) {
    if (type instanceof CompoundDataType) {
      return "compound type";
    }
    if (type instanceof VariableLength v) {
      return v.isVariableLengthString() ? "variable-length string type" : "variable-length type";
    }
    if (type instanceof StringData) {
      return "fixed-length string type";
    }
    if (type instanceof EnumDataType) {
      return "enum type";
    }
    if (type instanceof ArrayDataType) {
      return "array type";
    }
    if (type instanceof Reference) {
      return "reference type";
    }
    if (type instanceof BitField) {
      return "bitfield type";
    }
    if (type instanceof OpaqueDataType) {
      return "opaque type";
    }
    if (type instanceof TimeDataType) {
      return "time type";
    }
    return "datatype class " + type.getDataClass();
  }
}
