package io.arraymorph.hdf5;

import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Hides from jhdf a dataset's datatype message it cannot parse (jhdf 0.13 fails the whole object
 * on, e.g., an enum whose codes are negative or big-endian int32s, even inside a compound): in a
 * patched view of the file ({@link BoundedHdfFileChannel#patch}) the message reads as a
 * fixed-length string type of the same size, so jhdf builds the dataset's dataspace, layout and
 * filters as usual, and the original message is kept for {@link Hdf5TypeTree} to read the type
 * from. The file itself is never written.
 */
final class DatatypeMask {
  private static final int DATATYPE_MESSAGE = 0x0003;
  private static final int FIXED_STRING_V1 = 0x13;

  private DatatypeMask() {}

  /**
   * Masks the datatype message of the object header at {@code header} if jhdf cannot parse it but
   * {@link Hdf5TypeTree} can (or refuses it by name: the dataset then opens and is refused).
   *
   * @return whether it was masked (false also when {@code storage} cannot be patched)
   */
  static boolean maskIfUnparseable(HdfBackingStorage storage, long header, String path) {
    if (!(storage instanceof BoundedHdfFileChannel patchable)) {
      return false;
    }
    if (patchable.datatype(header) != null) {
      return true;
    }
    for (ObjectHeaderMessages.Message m : ObjectHeaderMessages.read(storage, header)) {
      ByteBuffer body = m.body();
      if (m.type() != DATATYPE_MESSAGE
          || (m.flags() & ObjectHeaderMessages.SHARED_FLAG) != 0
          || body.remaining() < 8) {
        continue;
      }
      if (jhdfParses(body) || !ourParserReads(body, path)) {
        return false;
      }
      // Version 1, class 3 (string), NUL-terminated ASCII; the 4-byte size stays the element's.
      byte[] original =
          ObjectHeaderMessages.maskBodyStart(patchable, m, new byte[] {FIXED_STRING_V1, 0, 0, 0});
      patchable.rememberDatatype(header, original);
      return true;
    }
    return false;
  }

  /** The original datatype message body of a masked dataset, or null. */
  static byte[] original(HdfBackingStorage storage, long header) {
    return storage instanceof BoundedHdfFileChannel patchable ? patchable.datatype(header) : null;
  }

  private static boolean jhdfParses(ByteBuffer body) {
    try {
      io.jhdf.object.datatype.DataType.readDataType(
          body.duplicate().order(ByteOrder.LITTLE_ENDIAN));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean ourParserReads(ByteBuffer body, String path) {
    try {
      Hdf5TypeTree.parse(body, path);
      return true;
    } catch (Hdf5UnsupportedException e) {
      return true; // the dataset opens and is refused by name, as it should be
    } catch (RuntimeException e) {
      return false;
    }
  }
}
