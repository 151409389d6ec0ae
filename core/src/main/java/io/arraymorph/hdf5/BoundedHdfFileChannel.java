package io.arraymorph.hdf5;

import io.jhdf.Superblock;
import io.jhdf.storage.HdfFileChannel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * jhdf's storage for one file, refusing any metadata read that reaches past the end of the file
 * before jhdf allocates its buffer. jhdf allocates the size a header declares (up to 2 GiB) and
 * only then reads; a corrupt size in a 10 KB file would otherwise cost a 2 GiB allocation, or an
 * {@code OutOfMemoryError}, before the read fails.
 *
 * <p>It also holds the patches of {@link HeaderMask}: object header blocks whose messages jhdf
 * cannot parse are served with those messages turned into NIL messages, so jhdf reads the rest of
 * the object.
 */
final class BoundedHdfFileChannel extends HdfFileChannel {
  private final String key;
  private final long size;

  /** Patched metadata blocks by address (jhdf's addressing); none overlap. */
  private final ConcurrentSkipListMap<Long, byte[]> patches = new ConcurrentSkipListMap<>();

  /**
   * The original layout message body of each virtual dataset's object header, by header address:
   * {@link VirtualLayoutMask} shows jhdf an empty compact layout instead.
   */
  private final Map<Long, byte[]> virtualLayouts = new java.util.concurrent.ConcurrentHashMap<>();

  private final Map<Long, byte[]> datatypes = new java.util.concurrent.ConcurrentHashMap<>();

  /** Bytes of virtual blocks added so far. */
  private long virtualBytes;

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
    Map.Entry<Long, byte[]> virtual = patches.floorEntry(address);
    if (virtual != null
        && virtual.getKey() >= virtualStart()
        && address + length <= virtual.getKey() + virtual.getValue().length) {
      // A block that exists only in this view (past the file's end).
      return ByteBuffer.wrap(virtual.getValue(), (int) (address - virtual.getKey()), length)
          .slice()
          .order(ByteOrder.LITTLE_ENDIAN);
    }
    checkInside(address + getUserBlockSize(), length);
    ByteBuffer read = super.readBufferFromAddress(address, length);
    return patches.isEmpty() ? read : patched(read, address, length);
  }

  /**
   * Serves {@code bytes} instead of the file's bytes at {@code address} from now on.
   *
   * @param address where the block starts (jhdf's addressing, as {@link #readBufferFromAddress})
   * @param bytes the block's replacement, exactly as long as the block
   */
  void patch(long address, byte[] bytes) {
    if (address < virtualStart()) {
      checkInside(address + getUserBlockSize(), bytes.length);
    }
    patches.put(address, bytes.clone());
  }

  /**
   * Adds a block that exists only in this view, past the end of the file (an object header
   * continuation block holding the messages {@link HeaderRewrite} took out of the shared-message
   * heap).
   *
   * @return its address (jhdf's addressing)
   */
  synchronized long addVirtual(byte[] bytes) {
    long address = virtualStart() + virtualBytes;
    virtualBytes += (bytes.length + 7) & ~7L;
    patches.put(address, bytes.clone());
    return address;
  }

  /** Keeps the original layout message of the virtual dataset whose header is at {@code header}. */
  void rememberVirtualLayout(long header, byte[] body) {
    virtualLayouts.put(header, body.clone());
  }

  /**
   * The original layout message of the virtual dataset whose header is at {@code header}, or null
   * when that object is no virtual dataset.
   */
  byte[] virtualLayout(long header) {
    byte[] body = virtualLayouts.get(header);
    return body == null ? null : body.clone();
  }

  /** Keeps the original datatype message of the dataset whose header is at {@code header}. */
  void rememberDatatype(long header, byte[] body) {
    datatypes.put(header, body.clone());
  }

  /**
   * The original datatype message of the dataset whose header is at {@code header}, when {@link
   * DatatypeMask} masked it; else null.
   */
  byte[] datatype(long header) {
    byte[] body = datatypes.get(header);
    return body == null ? null : body.clone();
  }

  /** Where blocks past the file's end start (jhdf's addressing), well clear of its last byte. */
  private long virtualStart() {
    return ((size - getUserBlockSize() + 7) & ~7L) + 4096;
  }

  private ByteBuffer patched(ByteBuffer read, long address, int length) {
    ByteBuffer out = null;
    for (Map.Entry<Long, byte[]> p : patches.entrySet()) {
      long from = Math.max(address, p.getKey());
      long to = Math.min(address + length, p.getKey() + p.getValue().length);
      if (from < to) {
        if (out == null) {
          out = ByteBuffer.allocate(length).order(read.order());
          out.put(0, read.duplicate(), read.position(), length);
        }
        out.put((int) (from - address), p.getValue(), (int) (from - p.getKey()), (int) (to - from));
      }
    }
    return out == null ? read : out;
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
