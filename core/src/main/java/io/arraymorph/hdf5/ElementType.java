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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HDF5 element type this reader supports: a numeric {@link DataType}, the byte order it is
 * stored in and, for n-bit types, which bits of each element hold the value ({@code precision} bits
 * from bit {@code bitOffset}; the whole element otherwise) and, for n-bit floating-point types,
 * where their sign, exponent and mantissa fields lie ({@code floatFields}; null for IEEE types). A
 * bfloat16 type is read as float32 ({@code dataType}) from uint16 bits ({@link #stored}).
 */
record ElementType(
    DataType dataType,
    boolean bigEndian,
    int precision,
    int bitOffset,
    FloatFields floatFields,
    boolean bfloat16) {

  /** A type whose every bit is significant. */
  ElementType(DataType dataType, boolean bigEndian) {
    this(dataType, bigEndian, dataType.byteSize() * 8, 0, null, false);
  }

  /** An n-bit type, or a plain one when {@code precision} covers the element. */
  ElementType(
      DataType dataType, boolean bigEndian, int precision, int bitOffset, FloatFields floatFields) {
    this(dataType, bigEndian, precision, bitOffset, floatFields, false);
  }

  /** A bfloat16 type read as float32. */
  static ElementType bfloat16(boolean bigEndian) {
    return new ElementType(DataType.FLOAT32, bigEndian, 32, 0, null, true);
  }

  /**
   * The fields of a floating-point type with an implied leading mantissa bit: bit positions of the
   * sign, exponent and mantissa, the widths of the last two, and the exponent bias.
   */
  record FloatFields(
      int sign, int exponentAt, int exponentBits, long bias, int mantissaAt, int mantissaBits) {}

  /** Whether the value occupies only some bits of each element (an n-bit type). */
  boolean packed() {
    return precision != dataType.byteSize() * 8 || bitOffset != 0 || floatFields != null;
  }

  /** The type of the stored bits: uint16 for bfloat16 (widened later), else this type. */
  ElementType stored() {
    return bfloat16 ? new ElementType(DataType.UINT16, bigEndian) : this;
  }

  /**
   * Maps jhdf's view of a datatype message.
   *
   * @throws Hdf5UnsupportedException naming the type class for anything but integers, bitfields
   *     (read as unsigned integers) and floats
   */
  static ElementType of(io.jhdf.object.datatype.DataType type, String path) {
    if (type instanceof BitField b) {
      return bitfield(b, path);
    }
    if (type instanceof FixedPoint fp) {
      int precision = fp.getBitPrecision();
      int offset = fp.getBitOffset();
      if (precision < 1 || offset < 0 || precision + offset > fp.getSize() * 8) {
        throw new Hdf5FormatException(
            "Dataset '"
                + path
                + "' has a "
                + fp.getSize()
                + "-byte integer type with "
                + precision
                + " bits at offset "
                + offset
                + " (corrupt datatype)");
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
      return new ElementType(
          dt, fp.getByteOrder() == ByteOrder.BIG_ENDIAN, precision, offset, null);
    }
    if (type instanceof FloatingPoint f) {
      if (f.getBitOffset() != 0 || f.getBitPrecision() != f.getSize() * 8) {
        return nbitFloat(f, path);
      }
      boolean bigEndian = f.getByteOrder() == ByteOrder.BIG_ENDIAN;
      // Same size, other bit layouts (bfloat16 is 2 bytes as IEEE half is): check the layout.
      int layout = f.getSize() * 10000 + f.getExponentSize() * 100 + f.getMantissaSize();
      return switch (layout) {
        case 20510 -> new ElementType(DataType.FLOAT16, bigEndian);
        case 20807 -> bfloat16(bigEndian);
        case 40823 -> new ElementType(DataType.FLOAT32, bigEndian);
        case 81152 -> new ElementType(DataType.FLOAT64, bigEndian);
        default ->
            throw new Hdf5UnsupportedException(
                f.getSize()
                    + "-byte floating-point type with "
                    + f.getExponentSize()
                    + " exponent and "
                    + f.getMantissaSize()
                    + " mantissa bits",
                path);
      };
    }
    throw new Hdf5UnsupportedException(typeName(type), path);
  }

  /**
   * A bitfield read as the unsigned integer of its size, as h5py reads it; its significant bits
   * ({@code precision} from {@code offset}) are kept as for an n-bit unsigned integer.
   */
  private static ElementType bitfield(BitField b, String path) {
    int precision = b.getBitPrecision();
    int offset = b.getBitOffset();
    if (precision < 1 || offset < 0 || precision + offset > b.getSize() * 8) {
      throw new Hdf5FormatException(
          "Dataset '"
              + path
              + "' has a "
              + b.getSize()
              + "-byte bitfield type with "
              + precision
              + " bits at offset "
              + offset
              + " (corrupt datatype)");
    }
    DataType dt =
        switch (b.getSize()) {
          case 1 -> DataType.UINT8;
          case 2 -> DataType.UINT16;
          case 4 -> DataType.UINT32;
          case 8 -> DataType.UINT64;
          default -> throw new Hdf5UnsupportedException(b.getSize() + "-byte bitfield type", path);
        };
    return new ElementType(dt, b.getByteOrder() == ByteOrder.BIG_ENDIAN, precision, offset, null);
  }

  /**
   * An n-bit floating-point type (fewer significant bits than its size, as the nbit filter packs),
   * read as the IEEE type of its size. Only implied-leading-bit mantissas (libhdf5's and IEEE's
   * normalization) in 4- or 8-byte elements are read.
   */
  private static ElementType nbitFloat(FloatingPoint f, String path) {
    int size = f.getSize();
    int bits = size * 8;
    int expAt = f.getExponentLocation() & 0xff;
    int expBits = f.getExponentSize() & 0xff;
    int mantAt = f.getMantissaLocation() & 0xff;
    int mantBits = f.getMantissaSize() & 0xff;
    int sign = f.getSignLocation();
    String what = "n-bit floating-point type (" + f.getBitPrecision() + " of " + bits + " bits";
    if (size >= 10 && f.getBitPrecision() == 80 && f.getMantissaNormalization() == 0) {
      throw new Hdf5UnsupportedException(
          "80-bit extended-precision floating-point type (C long double, stored in "
              + size
              + " bytes)",
          path,
          "no Java or Spark type holds its values exactly; write a float64 copy first, e.g. with"
              + " h5py: out.create_dataset(name, data=f[name][()].astype('f8'))",
          null);
    }
    if ((size != 4 && size != 8) || f.getMantissaNormalization() != 2) {
      throw new Hdf5UnsupportedException(
          what + ", mantissa normalization " + f.getMantissaNormalization() + ")", path);
    }
    if (expBits < 2
        || expBits > 30
        || mantBits > 52
        || expAt + expBits > bits
        || mantAt + mantBits > bits
        || sign < 0
        || sign >= bits) {
      throw new Hdf5FormatException(
          "Dataset '"
              + path
              + "' has an "
              + what
              + ") with fields outside its bits (corrupt datatype)");
    }
    DataType dt = size == 4 ? DataType.FLOAT32 : DataType.FLOAT64;
    return new ElementType(
        dt,
        f.getByteOrder() == ByteOrder.BIG_ENDIAN,
        f.getBitPrecision(),
        f.getBitOffset(),
        new FloatFields(sign, expAt, expBits, f.getExponentBias() & 0xffffffffL, mantAt, mantBits));
  }

  /**
   * Describes any element type this reader supports: numbers, fixed and variable-length strings,
   * compounds of supported members and enums of integers.
   *
   * @throws Hdf5UnsupportedException naming the type class (and the compound member) otherwise
   */
  static Hdf5ElementType kindOf(io.jhdf.object.datatype.DataType type, String path) {
    if (type instanceof FixedPoint || type instanceof FloatingPoint || type instanceof BitField) {
      ElementType numeric = of(type, path);
      return new Hdf5ElementType.Numeric(
          numeric.dataType(), numeric.bigEndian(), type instanceof BitField);
    }
    if (type instanceof StringData s) {
      return new Hdf5ElementType.Text(s.getCharset().name(), s.getSize());
    }
    if (type instanceof VariableLength v && v.isVariableLengthString()) {
      return new Hdf5ElementType.Text(v.getEncoding().name(), -1);
    }
    if (type instanceof EnumDataType e) {
      return isH5pyBool(e) ? new Hdf5ElementType.Bool() : enumeration(e, path);
    }
    if (type instanceof ArrayDataType a) {
      return new Hdf5ElementType.Array(member(a.getBaseType(), path), arrayDimensions(a, path));
    }
    if (type instanceof CompoundDataType c) {
      List<Hdf5ElementType.Member> members = new ArrayList<>();
      for (CompoundDataType.CompoundDataMember m : c.getMembers()) {
        if (m.getDimensionSize() != null && m.getDimensionSize().length > 0) {
          // Version-1 compounds (libhdf5 before 1.4) gave members dimensions of their own.
          throw new Hdf5UnsupportedException(
              "version-1 array member '" + m.getName() + "' of a compound type", path);
        }
        try {
          members.add(new Hdf5ElementType.Member(m.getName(), member(m.getDataType(), path)));
        } catch (Hdf5UnsupportedException ex) {
          throw new Hdf5UnsupportedException(
              ex.feature() + " of compound member '" + m.getName() + "'", path);
        }
      }
      return new Hdf5ElementType.Compound(members);
    }
    throw new Hdf5UnsupportedException(typeName(type), path);
  }

  /**
   * The kind of a compound member or array item. Bitfields are read only as whole datasets: values
   * decoded inside compounds and arrays go through jhdf, which has no numbers for them.
   */
  private static Hdf5ElementType member(io.jhdf.object.datatype.DataType type, String path) {
    if (type instanceof BitField) {
      throw new Hdf5UnsupportedException("bitfield type", path);
    }
    return kindOf(type, path);
  }

  /**
   * An enum's labels and codes. jhdf reads the codes from the header as unsigned little-endian
   * numbers into an int, but libhdf5 stores them in the base type's byte order and sign: both are
   * fixed here. (Codes jhdf cannot fit in an int fail in jhdf before this: see {@link Jhdf}.)
   */
  private static Hdf5ElementType.Enumeration enumeration(EnumDataType e, String path) {
    ElementType base = of(e.getBaseType(), path);
    int size = base.dataType().byteSize();
    Map<String, Long> codes = new LinkedHashMap<>();
    for (Map.Entry<Integer, String> m : new TreeMap<>(e.getEnumMapping()).entrySet()) {
      codes.put(m.getValue(), code(m.getKey(), size, base));
    }
    Map<String, Long> sorted = new LinkedHashMap<>();
    codes.entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(x -> sorted.put(x.getKey(), x.getValue()));
    return new Hdf5ElementType.Enumeration(base.dataType(), base.bigEndian(), sorted);
  }

  /**
   * The code libhdf5 stored, from the int jhdf made of its bytes read as a little-endian number:
   * for 8-byte bases jhdf only accepts values that fit a signed int (so the int is the whole long),
   * for smaller ones the int holds the unsigned bytes.
   */
  static long code(int jhdfValue, int size, ElementType base) {
    long bits = size == 8 ? jhdfValue : jhdfValue & 0xffffffffL;
    if (base.bigEndian()) {
      bits = Long.reverseBytes(bits) >>> (64 - 8 * size);
    }
    if (base.dataType().kind() == DataType.Kind.SIGNED && size < 8) {
      bits = (bits << (64 - 8 * size)) >> (64 - 8 * size);
    }
    return bits;
  }

  /**
   * An array type's dimensions. Array types before version 3 store all sizes, then all (unused)
   * permutation indices; jhdf 0.13 reads them interleaved, so it gets sizes 0, 2, 4, ... right and
   * the others wrong. One wrong size follows from the element size; more cannot be recovered.
   */
  private static List<Integer> arrayDimensions(ArrayDataType a, String path) {
    int[] read = a.getArrayTypeDimensions();
    int rank = read.length;
    List<Integer> dims = new ArrayList<>();
    if (a.getVersion() >= 3 || rank < 2) {
      for (int d : read) {
        dims.add(d);
      }
      return dims;
    }
    if (rank > 3) {
      throw new Hdf5UnsupportedException(
          "array type of rank " + rank + " in the version-" + a.getVersion() + " encoding", path);
    }
    long known = a.getBaseType().getSize();
    for (int k = 0; k < rank; k += 2) {
      known *= read[k / 2];
    }
    for (int k = 0; k < rank; k++) {
      dims.add(k % 2 == 0 ? read[k / 2] : (int) (a.getSize() / Math.max(1, known)));
    }
    return dims;
  }

  /** Whether an enum is how h5py stores numpy's bool: int8 with exactly FALSE=0 and TRUE=1. */
  static boolean isH5pyBool(EnumDataType e) {
    if (!(e.getBaseType() instanceof FixedPoint fp) || fp.getSize() != 1 || !fp.isSigned()) {
      return false;
    }
    Map<Integer, String> m = e.getEnumMapping();
    return m.size() == 2 && "FALSE".equals(m.get(0)) && "TRUE".equals(m.get(1));
  }

  /** A readable name of a datatype class, for errors and listings. */
  static String typeName(io.jhdf.object.datatype.DataType type) {
    if (type instanceof CompoundDataType) {
      return "compound type";
    }
    if (type instanceof VariableLength v) {
      return v.isVariableLengthString()
          ? "variable-length string type"
          : "variable-length sequence type";
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
