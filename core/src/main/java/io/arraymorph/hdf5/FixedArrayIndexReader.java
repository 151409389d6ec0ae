package io.arraymorph.hdf5;

import io.jhdf.Utils;
import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a fixed-array chunk index (HDF5 format spec, "Fixed Array Index"). jhdf 0.13.0 has one, but
 * it ignores the page-initialised bitmap of paged arrays (more than 2^pageBits chunks): pages no
 * chunk was ever written to are left uninitialised by libhdf5, and jhdf then fails on their
 * checksum. This reader skips those pages, so partly written large datasets open. Entries are
 * numbered over the dataset's maximum shape ({@link ChunkIndexOrder}); jhdf numbers them over the
 * current shape.
 */
final class FixedArrayIndexReader {
  private static final byte[] HEADER_SIGNATURE = "FAHD".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] BLOCK_SIGNATURE = "FADB".getBytes(StandardCharsets.US_ASCII);
  private static final int CLIENT_UNFILTERED = 0;
  private static final int CLIENT_FILTERED = 1;

  /** Larger chunk counts would be a corrupt header, and the index must fit in memory. */
  private static final long MAX_ENTRIES = 1L << 28;

  private FixedArrayIndexReader() {}

  /** A chunk as found in the index, before validation. */
  record RawChunk(long address, int size, long[] coords, int filterMask) {}

  static List<RawChunk> read(
      HdfBackingStorage storage, long address, ChunkIndexOrder order, int unfilteredChunkBytes) {
    int so = storage.getSizeOfOffsets();
    int sl = storage.getSizeOfLengths();
    ByteBuffer header = storage.readBufferFromAddress(address, 4 + 4 + sl + so + 4);
    header.mark();
    expectSignature(header, HEADER_SIGNATURE, address);
    int version = header.get();
    if (version != 0) {
      throw new Hdf5FormatException("Unknown fixed array header version " + version);
    }
    int clientId = header.get();
    int entrySize = header.get() & 0xff;
    int pageBits = header.get() & 0xff;
    long entries = Utils.readBytesAsUnsignedLong(header, sl);
    long blockAddress = Utils.readBytesAsUnsignedLong(header, so);
    ChecksumUtils.validateChecksumFromMark(header);
    if (entries > MAX_ENTRIES || entries > order.count() || pageBits > 31) {
      throw new Hdf5FormatException(
          "Fixed array header claims "
              + entries
              + " entries, the maximum shape has "
              + order.count()
              + " chunks");
    }
    if (clientId != CLIENT_UNFILTERED && clientId != CLIENT_FILTERED) {
      throw new Hdf5FormatException("Unknown fixed array client id " + clientId);
    }
    int expectedEntrySize = clientId == CLIENT_UNFILTERED ? so : so + 4 + 1;
    if (entrySize < expectedEntrySize || entrySize > so + 4 + 8) {
      throw new Hdf5FormatException("Fixed array entry size " + entrySize + " is invalid");
    }

    long pageSize = 1L << pageBits;
    long pages = (entries + pageSize - 1) / pageSize;
    boolean paged = pages > 1;
    int bitmapBytes = paged ? (int) ((pages + 7) / 8) : 0;
    int prefix = 4 + 1 + 1 + so + bitmapBytes;
    List<RawChunk> out = new ArrayList<>();
    if (!paged) {
      ByteBuffer block =
          storage.readBufferFromAddress(
              blockAddress, Math.toIntExact(prefix + entries * entrySize + 4));
      block.mark();
      checkBlockPrefix(block, clientId, address, so);
      readEntries(block, 0, entries, clientId, entrySize, so, order, unfilteredChunkBytes, out);
      ChecksumUtils.validateChecksumFromMark(block);
      return out;
    }
    ByteBuffer block = storage.readBufferFromAddress(blockAddress, prefix + 4);
    block.mark();
    checkBlockPrefix(block, clientId, address, so);
    byte[] bitmap = new byte[bitmapBytes];
    block.get(bitmap);
    ChecksumUtils.validateChecksumFromMark(block);
    long pageAddress = blockAddress + prefix + 4;
    for (long page = 0; page < pages; page++) {
      long first = page * pageSize;
      long count = Math.min(pageSize, entries - first);
      long pageBytes = count * entrySize + 4;
      // libhdf5 numbers bits from the most significant bit of each byte (H5VM_bit_get).
      boolean initialised = (bitmap[(int) (page / 8)] & (0x80 >>> (page % 8))) != 0;
      if (initialised) {
        ByteBuffer entriesBuf =
            storage.readBufferFromAddress(pageAddress, Math.toIntExact(pageBytes));
        entriesBuf.mark();
        readEntries(
            entriesBuf, first, count, clientId, entrySize, so, order, unfilteredChunkBytes, out);
        ChecksumUtils.validateChecksumFromMark(entriesBuf);
      }
      pageAddress += pageBytes;
    }
    return out;
  }

  private static void readEntries(
      ByteBuffer bb,
      long firstIndex,
      long count,
      int clientId,
      int entrySize,
      int so,
      ChunkIndexOrder order,
      int unfilteredChunkBytes,
      List<RawChunk> out) {
    for (long i = 0; i < count; i++) {
      long chunkAddress = Utils.readBytesAsUnsignedLong(bb, so);
      int size = unfilteredChunkBytes;
      int mask = 0;
      if (clientId == CLIENT_FILTERED) {
        long stored = Utils.readBytesAsUnsignedLong(bb, entrySize - so - 4);
        mask = bb.getInt();
        if (stored > Integer.MAX_VALUE) {
          throw new Hdf5FormatException("Fixed array entry claims a chunk of " + stored + " bytes");
        }
        size = (int) stored;
      }
      long[] coords = order.coords(firstIndex + i);
      if (!Hdf5Address.undefined(chunkAddress, so) && coords != null) { // undefined: never written
        out.add(new RawChunk(chunkAddress, size, coords, mask));
      }
    }
  }

  private static void checkBlockPrefix(ByteBuffer block, int clientId, long headerAddress, int so) {
    expectSignature(block, BLOCK_SIGNATURE, headerAddress);
    int version = block.get();
    int blockClient = block.get();
    long back = Utils.readBytesAsUnsignedLong(block, so);
    if (version != 0 || blockClient != clientId || back != headerAddress) {
      throw new Hdf5FormatException("Fixed array data block does not match its header");
    }
  }

  private static void expectSignature(ByteBuffer bb, byte[] signature, long address) {
    byte[] got = new byte[4];
    bb.get(got);
    if (!java.util.Arrays.equals(got, signature)) {
      throw new Hdf5FormatException(
          "Expected fixed array signature "
              + new String(signature, StandardCharsets.US_ASCII)
              + " near address "
              + address);
    }
  }
}
