package io.arraymorph.hdf5;

import io.jhdf.CommittedDatatype;
import io.jhdf.Utils;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.message.DataTypeMessage;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The datatype of a dataset whose datatype message is shared: a committed (named) datatype, as
 * netCDF-4 writes for its compound and enum types. jhdf 0.13 parses the shared message's body (a
 * reference to the committed type) as if it were the type itself, yielding a "time type" or a
 * "0-byte floating-point type"; here the raw message is found in the object header (HDF5 format
 * spec, "Object Header" v1 and v2, "Shared Message") and the committed type read from its header.
 */
final class SharedDatatype {
  private static final int DATATYPE_MESSAGE = 0x0003;
  private static final int CONTINUATION_MESSAGE = 0x0010;
  private static final int SHARED_FLAG = 0x02;

  /** Bound on header blocks followed, against continuation loops in corrupt files. */
  private static final int MAX_BLOCKS = 1024;

  private SharedDatatype() {}

  /** The dataset's real datatype: jhdf's, unless the datatype message is shared. */
  static DataType of(io.jhdf.dataset.DatasetBase ds, HdfBackingStorage storage, String path) {
    DataTypeMessage message = ds.getHeader().getMessageOfType(DataTypeMessage.class);
    if (!message.isMessageShared()) {
      return ds.getDataType();
    }
    ByteBuffer body = rawMessage(storage, ds.getAddress(), DATATYPE_MESSAGE, true);
    if (body == null) {
      throw new Hdf5FormatException(
          "Dataset '" + path + "': its shared datatype message is not in its object header");
    }
    int so = storage.getSizeOfOffsets();
    int version = body.get() & 0xff;
    int type = body.get() & 0xff;
    long address;
    if (version == 1) {
      body.position(body.position() + 6); // reserved
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
    return new CommittedDatatype(storage, address, "committed datatype of " + path, null)
        .getDataType();
  }

  /**
   * The body of the first message of {@code messageType} (shared, if {@code shared}) in the object
   * header at {@code header}, little-endian, positioned at its start; null when there is none.
   */
  static ByteBuffer rawMessage(
      HdfBackingStorage storage, long header, int messageType, boolean shared) {
    int so = storage.getSizeOfOffsets();
    int sl = storage.getSizeOfLengths();
    ByteBuffer first = storage.readBufferFromAddress(header, 4).order(ByteOrder.LITTLE_ENDIAN);
    byte[] sig = new byte[4];
    first.get(sig);
    boolean v2 = new String(sig, StandardCharsets.US_ASCII).equals("OHDR");
    Deque<long[]> blocks = new ArrayDeque<>();
    int flags = 0;
    if (v2) {
      ByteBuffer pre = storage.readBufferFromAddress(header, 4 + 2 + 16 + 4 + 8);
      pre.order(ByteOrder.LITTLE_ENDIAN).position(5);
      flags = pre.get() & 0xff;
      int skip = ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
      pre.position(6 + skip);
      int sizeBytes = 1 << (flags & 0x03);
      long size = Utils.readBytesAsUnsignedLong(pre, sizeBytes);
      blocks.add(new long[] {header + 6 + skip + sizeBytes, size});
    } else {
      ByteBuffer pre = storage.readBufferFromAddress(header, 16).order(ByteOrder.LITTLE_ENDIAN);
      pre.position(8);
      long size = pre.getInt() & 0xffffffffL;
      blocks.add(new long[] {header + 16, size});
    }
    boolean creationOrder = (flags & 0x04) != 0;
    for (int n = 0; !blocks.isEmpty() && n < MAX_BLOCKS; n++) {
      long[] block = blocks.poll();
      ByteBuffer bb =
          storage
              .readBufferFromAddress(block[0], Math.toIntExact(block[1]))
              .order(ByteOrder.LITTLE_ENDIAN);
      if (v2 && n > 0) {
        bb.position(4); // "OCHK"
      }
      int end = bb.limit() - (v2 ? 4 : 0); // v2 blocks end with a checksum
      int headerBytes = v2 ? 4 + (creationOrder ? 2 : 0) : 8;
      while (bb.position() + headerBytes <= end) {
        int type = v2 ? bb.get() & 0xff : bb.getShort() & 0xffff;
        int size = bb.getShort() & 0xffff;
        int messageFlags = bb.get() & 0xff;
        bb.position(bb.position() + (v2 ? (creationOrder ? 2 : 0) : 3));
        int bodyStart = bb.position();
        if (bodyStart + size > bb.limit()) {
          break;
        }
        if (type == messageType && (!shared || (messageFlags & SHARED_FLAG) != 0)) {
          return bb.slice(bodyStart, size).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (type == CONTINUATION_MESSAGE) {
          long address = Utils.readBytesAsUnsignedLong(bb, so);
          long length = Utils.readBytesAsUnsignedLong(bb, sl);
          blocks.add(new long[] {address, length});
        }
        bb.position(bodyStart + size);
      }
    }
    return null;
  }
}
