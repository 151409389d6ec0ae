package io.arraymorph.hdf5;

import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;

/**
 * Hides a virtual dataset's layout from jhdf, which refuses the whole object at "Virtual storage is
 * not supported": in a patched view of the file ({@link BoundedHdfFileChannel#patch}) the layout
 * message reads as an empty compact layout, so jhdf builds the dataset's dataspace, type and fill
 * value as usual, and the original message is kept for {@link DatasetOpener} to read the mappings
 * from. The file itself is never written.
 */
final class VirtualLayoutMask {
  static final int LAYOUT_MESSAGE = 0x0008;
  private static final int VIRTUAL_CLASS = 3;

  private VirtualLayoutMask() {}

  /**
   * Masks the layout message of the object header at {@code header} if it is a virtual one.
   *
   * @return whether it was (false also when {@code storage} cannot be patched)
   */
  static boolean maskIfVirtual(HdfBackingStorage storage, long header) {
    if (!(storage instanceof BoundedHdfFileChannel patchable)) {
      return false;
    }
    if (patchable.virtualLayout(header) != null) {
      return true;
    }
    for (ObjectHeaderMessages.Message m : ObjectHeaderMessages.read(storage, header)) {
      ByteBuffer body = m.body();
      if (m.type() != LAYOUT_MESSAGE
          || body.remaining() < 2
          || (body.get(0) & 0xff) < 3
          || body.get(1) != VIRTUAL_CLASS) {
        continue;
      }
      // Compact class with a 2-byte size of 0 (format spec, Data Layout message version 3/4).
      byte[] original =
          ObjectHeaderMessages.maskBodyStart(patchable, m, new byte[] {body.get(0), 0, 0, 0});
      patchable.rememberVirtualLayout(header, original);
      return true;
    }
    return false;
  }

  /** The original layout message body of a masked virtual dataset, or null. */
  static byte[] original(HdfBackingStorage storage, long header) {
    return storage instanceof BoundedHdfFileChannel patchable
        ? patchable.virtualLayout(header)
        : null;
  }
}
