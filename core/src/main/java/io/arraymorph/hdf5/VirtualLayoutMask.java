package io.arraymorph.hdf5;

import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

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
      byte[] original = new byte[body.remaining()];
      body.duplicate().get(original);
      byte[] bytes = m.block().bytes().clone();
      ObjectHeaderMessages.Block block = m.block();
      int bodyStart = m.at() + (block.v2() ? 4 + (block.creationOrder() ? 2 : 0) : 8);
      // Compact class with a 2-byte size of 0 (format spec, Data Layout message version 3/4).
      bytes[bodyStart + 1] = 0;
      bytes[bodyStart + 2] = 0;
      bytes[bodyStart + 3] = 0;
      if (block.v2()) {
        int sum = ChecksumUtils.checksum(Arrays.copyOf(bytes, bytes.length - 4));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, sum);
      }
      patchable.rememberVirtualLayout(header, original);
      patchable.patch(block.address(), bytes);
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
