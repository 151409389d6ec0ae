package io.arraymorph.hdf5;

import io.jhdf.Superblock;
import io.jhdf.storage.HdfFileChannel;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * jhdf's storage for one file, refusing any metadata read that reaches past the end of the file
 * before jhdf allocates its buffer. jhdf allocates the size a header declares (up to 2 GiB) and
 * only then reads; a corrupt size in a 10 KB file would otherwise cost a 2 GiB allocation, or an
 * {@code OutOfMemoryError}, before the read fails.
 */
final class BoundedHdfFileChannel extends HdfFileChannel {
  private final String key;
  private final long size;

  /**
   * @param size the file's size in bytes (user block included): no read may pass it
   */
  BoundedHdfFileChannel(FileChannel channel, Superblock superblock, String key, long size) {
    super(channel, superblock);
    this.key = key;
    this.size = size;
  }

  @Override
  public ByteBuffer readBufferFromAddress(long address, int length) {
    checkInside(address + getUserBlockSize(), length);
    return super.readBufferFromAddress(address, length);
  }

  /** Both {@code map} and {@code mapNoOffset(address, length)} end here. */
  @Override
  public ByteBuffer mapNoOffset(long address, long length, FileChannel.MapMode mode) {
    checkInside(address, length);
    return super.mapNoOffset(address, length, mode);
  }

  private void checkInside(long rawAddress, long length) {
    if (rawAddress < 0 || length < 0 || rawAddress > size || length > size - rawAddress) {
      throw new Hdf5FormatException(pastTheEnd(length, rawAddress, key, size));
    }
  }

  /** The one message for a metadata read outside the file, wherever it is refused. */
  static String pastTheEnd(long length, long offset, String key, long size) {
    return "HDF5 metadata asks for "
        + length
        + " bytes at offset "
        + offset
        + " of '"
        + key
        + "', past its end at "
        + size
        + " (corrupt or truncated file)";
  }
}
