package io.arraymorph.hdf5;

import io.jhdf.Utils;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.message.DataTypeMessage;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;

/**
 * The datatype of a dataset whose datatype message is shared: a committed (named) datatype, as
 * netCDF-4 writes for its compound and enum types. jhdf 0.13 parses the shared message's body (a
 * reference to the committed type) as if it were the type itself, yielding a "time type" or a
 * "0-byte floating-point type"; here the raw message is found in the object header (HDF5 format
 * spec, "Object Header" v1 and v2, "Shared Message") and the committed type read from its header.
 */
final class SharedDatatype {
  private static final int DATATYPE_MESSAGE = 0x0003;

  private SharedDatatype() {}

  /** The dataset's real datatype: jhdf's, unless the datatype message is shared. */
  static DataType of(io.jhdf.dataset.DatasetBase ds, HdfBackingStorage storage, String path) {
    DataTypeMessage message = ds.getHeader().getMessageOfType(DataTypeMessage.class);
    if (!message.isMessageShared()) {
      return ds.getDataType();
    }
    return DataType.readDataType(committed(ds, storage, path));
  }

  /**
   * The body of the dataset's real datatype message, as stored: the committed type's when the
   * message is shared, else the dataset's own (its original when {@link DatatypeMask} masked it).
   */
  static ByteBuffer message(
      io.jhdf.dataset.DatasetBase ds, HdfBackingStorage storage, String path) {
    byte[] masked = DatatypeMask.original(storage, ds.getAddress());
    if (masked != null) {
      return ByteBuffer.wrap(masked).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }
    DataTypeMessage message = ds.getHeader().getMessageOfType(DataTypeMessage.class);
    if (message.isMessageShared()) {
      return committed(ds, storage, path);
    }
    ByteBuffer own = ObjectHeaderMessages.first(storage, ds.getAddress(), DATATYPE_MESSAGE, false);
    if (own == null) {
      throw new Hdf5FormatException(
          "Dataset '" + path + "': its datatype message is not in its object header");
    }
    return own;
  }

  /** The committed type's datatype message body, for a dataset whose message is shared. */
  private static ByteBuffer committed(
      io.jhdf.dataset.DatasetBase ds, HdfBackingStorage storage, String path) {
    ByteBuffer body = ObjectHeaderMessages.first(storage, ds.getAddress(), DATATYPE_MESSAGE, true);
    if (body == null) {
      throw new Hdf5FormatException(
          "Dataset '" + path + "': its shared datatype message is not in its object header");
    }
    int so = storage.getSizeOfOffsets();
    int version = body.get() & 0xff;
    int type = body.get() & 0xff;
    long address;
    if (version == 1) {
      // Reserved bytes, then an old symbol table entry: its link name offset, then the address
      // (libhdf5 1.4-era files, e.g. h5dump's tcompound.h5).
      body.position(body.position() + 6 + so);
      address = Utils.readBytesAsUnsignedLong(body, so);
    } else if ((version == 2) || (version == 3 && type == 2)) {
      address = Utils.readBytesAsUnsignedLong(body, so);
    } else if (version != 3 || type != 1) {
      throw new Hdf5FormatException(
          "Dataset '"
              + path
              + "': its shared datatype message has version "
              + version
              + " and type "
              + type
              + " (corrupt file?)");
    } else {
      throw new Hdf5UnsupportedException(
          "datatype shared through the shared object header message heap (shared message version "
              + version
              + ", type "
              + type
              + ")",
          path);
    }
    // The committed type's own datatype message, read alone: jhdf would parse its whole header,
    // and an attribute of a committed type may have that very type (h5repack_named_dtypes.h5),
    // which jhdf follows without end.
    ByteBuffer committed = ObjectHeaderMessages.first(storage, address, DATATYPE_MESSAGE, false);
    if (committed == null) {
      throw new Hdf5FormatException(
          "Dataset '"
              + path
              + "': its committed datatype at address "
              + address
              + " has no datatype message (corrupt file?)");
    }
    return committed;
  }
}
