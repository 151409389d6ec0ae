package io.arraymorph.hdf5;

import io.arraymorph.hdf5.FixedArrayIndexReader.RawChunk;
import io.jhdf.Utils;
import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an extensible-array chunk index (HDF5 format spec, "Extensible Array"; used by libhdf5 with
 * {@code libver="latest"} for datasets with one unlimited dimension). Hand-written because jhdf
 * 0.13.0's reader numbers chunks over the current shape and stops at the first never-written chunk,
 * which reads chunks at the wrong place; this one follows the spec's block layout (index block,
 * super blocks, data blocks, paged data blocks) and numbers positions as libhdf5 does ({@link
 * ChunkIndexOrder#extensible}).
 */
final class ExtensibleArrayIndexReader {
  private static final byte[] HEADER = "EAHD".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INDEX_BLOCK = "EAIB".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SECONDARY_BLOCK = "EASB".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA_BLOCK = "EADB".getBytes(StandardCharsets.US_ASCII);
  private static final int CLIENT_UNFILTERED = 0;
  private static final int CLIENT_FILTERED = 1;

  private final HdfBackingStorage storage;
  private final long headerAddress;
  private final ChunkIndexOrder order;
  private final int unfilteredChunkBytes;
  private final String path;
  private final int so;
  private int clientId;
  private int elementSize;
  private int arrayOffsetSize;
  private long pageElements;
  private long maxIndexSet;
  private final List<RawChunk> out = new ArrayList<>();

  private ExtensibleArrayIndexReader(
      HdfBackingStorage storage,
      long headerAddress,
      ChunkIndexOrder order,
      int unfilteredChunkBytes,
      String path) {
    this.storage = storage;
    this.headerAddress = headerAddress;
    this.order = order;
    this.unfilteredChunkBytes = unfilteredChunkBytes;
    this.path = path;
    this.so = storage.getSizeOfOffsets();
  }

  /** Every written chunk of the index whose header is at {@code address}. */
  static List<RawChunk> read(
      HdfBackingStorage storage,
      long address,
      ChunkIndexOrder order,
      int unfilteredChunkBytes,
      String path) {
    ExtensibleArrayIndexReader r =
        new ExtensibleArrayIndexReader(storage, address, order, unfilteredChunkBytes, path);
    r.read();
    return r.out;
  }

  private void read() {
    int sl = storage.getSizeOfLengths();
    ByteBuffer h = storage.readBufferFromAddress(headerAddress, 12 + 6 * sl + so + 4);
    h.mark();
    expect(h, HEADER, headerAddress);
    if (h.get() != 0) {
      throw corrupt("unknown header version");
    }
    clientId = h.get();
    elementSize = h.get() & 0xff;
    int maxElementsBits = h.get() & 0xff;
    int indexBlockElements = h.get() & 0xff;
    int dataBlockMinElements = h.get() & 0xff;
    int superBlockMinDataPointers = h.get() & 0xff;
    int pageBits = h.get() & 0xff;
    for (int i = 0; i < 4; i++) {
      Utils.readBytesAsUnsignedLong(h, sl); // statistics: super/data block counts and sizes
    }
    maxIndexSet = Utils.readBytesAsUnsignedLong(h, sl);
    Utils.readBytesAsUnsignedLong(h, sl); // elements realised
    long indexBlockAddress = Utils.readBytesAsUnsignedLong(h, so);
    ChecksumUtils.validateChecksumFromMark(h);
    int expectedElementSize = clientId == CLIENT_UNFILTERED ? so : so + 1 + 4;
    if ((clientId != CLIENT_UNFILTERED && clientId != CLIENT_FILTERED)
        || elementSize < expectedElementSize
        || elementSize > so + 8 + 4
        || maxElementsBits == 0
        || maxElementsBits > 63
        || pageBits > 31
        || Integer.bitCount(dataBlockMinElements) != 1
        || Integer.bitCount(superBlockMinDataPointers) != 1
        || maxIndexSet < 0) {
      throw corrupt("invalid header parameters");
    }
    if (Hdf5Address.undefined(indexBlockAddress, so) || maxIndexSet == 0) {
      return;
    }
    arrayOffsetSize = (maxElementsBits + 7) / 8;
    pageElements = 1L << pageBits;

    // Super block s holds 2^(s/2) data blocks of 2^((s+1)/2) * min elements (H5EA__hdr_init).
    int superBlocks = 1 + maxElementsBits - Integer.numberOfTrailingZeros(dataBlockMinElements);
    int indexSuperBlocks = 2 * Integer.numberOfTrailingZeros(superBlockMinDataPointers);
    int directDataBlocks = 2 * (superBlockMinDataPointers - 1);
    int superBlockAddresses = Math.max(0, superBlocks - indexSuperBlocks);

    int prefix = 4 + 1 + 1 + so;
    ByteBuffer ib =
        storage.readBufferFromAddress(
            indexBlockAddress,
            Math.toIntExact(
                prefix
                    + (long) indexBlockElements * elementSize
                    + (long) (directDataBlocks + superBlockAddresses) * so
                    + 4));
    ib.mark();
    checkPrefix(ib, INDEX_BLOCK, indexBlockAddress);
    readElements(ib, 0, indexBlockElements);
    long[] dataBlocks = new long[directDataBlocks];
    for (int i = 0; i < directDataBlocks; i++) {
      dataBlocks[i] = Utils.readBytesAsUnsignedLong(ib, so);
    }
    long[] superBlockAddress = new long[superBlockAddresses];
    for (int i = 0; i < superBlockAddresses; i++) {
      superBlockAddress[i] = Utils.readBytesAsUnsignedLong(ib, so);
    }
    ChecksumUtils.validateChecksumFromMark(ib);

    long start = indexBlockElements;
    int directUsed = 0;
    for (int s = 0; s < superBlocks && start < maxIndexSet; s++) {
      long blocks = 1L << (s / 2);
      long blockElements = (1L << ((s + 1) / 2)) * dataBlockMinElements;
      if (s < indexSuperBlocks) {
        for (long b = 0; b < blocks && start < maxIndexSet; b++) {
          if (directUsed >= directDataBlocks) {
            throw corrupt("index block has too few data block addresses");
          }
          long address = dataBlocks[directUsed++];
          if (!Hdf5Address.undefined(address, so)) {
            readDataBlock(address, start, blockElements, null, 0);
          }
          start += blockElements;
        }
      } else {
        long address = superBlockAddress[s - indexSuperBlocks];
        if (!Hdf5Address.undefined(address, so)) {
          readSuperBlock(address, start, blocks, blockElements);
        }
        start += blocks * blockElements;
      }
    }
  }

  private void readSuperBlock(long address, long start, long blocks, long blockElements) {
    long pagesPerBlock = blockElements > pageElements ? blockElements / pageElements : 0;
    int bitmapBytes = (int) ((blocks * pagesPerBlock + 7) / 8);
    int prefix = 4 + 1 + 1 + so + arrayOffsetSize;
    ByteBuffer sb =
        storage.readBufferFromAddress(
            address, Math.toIntExact(prefix + bitmapBytes + blocks * so + 4));
    sb.mark();
    checkPrefix(sb, SECONDARY_BLOCK, address);
    Utils.readBytesAsUnsignedLong(sb, arrayOffsetSize); // offset of its first element
    byte[] bitmap = new byte[bitmapBytes];
    sb.get(bitmap);
    long[] dataBlocks = new long[(int) blocks];
    for (int i = 0; i < blocks; i++) {
      dataBlocks[i] = Utils.readBytesAsUnsignedLong(sb, so);
    }
    ChecksumUtils.validateChecksumFromMark(sb);
    for (int b = 0; b < blocks; b++) {
      long first = start + b * blockElements;
      if (first >= maxIndexSet) {
        break;
      }
      if (!Hdf5Address.undefined(dataBlocks[b], so)) {
        readDataBlock(dataBlocks[b], first, blockElements, bitmap, b * pagesPerBlock);
      }
    }
  }

  /**
   * A data block of {@code elements} entries numbered from {@code first}. A block of more entries
   * than a page is paged: its pages follow its prefix, each with its own checksum, and pages the
   * super block's bitmap marks uninitialised were never written (libhdf5 numbers bits from the most
   * significant bit of each byte, H5VM_bit_get).
   */
  private void readDataBlock(
      long address, long first, long elements, byte[] pageBitmap, long firstPageBit) {
    int prefix = 4 + 1 + 1 + so + arrayOffsetSize;
    boolean paged = elements > pageElements;
    if (!paged) {
      ByteBuffer db =
          storage.readBufferFromAddress(
              address, Math.toIntExact(prefix + elements * elementSize + 4));
      db.mark();
      checkPrefix(db, DATA_BLOCK, address);
      Utils.readBytesAsUnsignedLong(db, arrayOffsetSize);
      readElements(db, first, elements);
      ChecksumUtils.validateChecksumFromMark(db);
      return;
    }
    ByteBuffer db = storage.readBufferFromAddress(address, prefix + 4);
    db.mark();
    checkPrefix(db, DATA_BLOCK, address);
    Utils.readBytesAsUnsignedLong(db, arrayOffsetSize);
    ChecksumUtils.validateChecksumFromMark(db);
    long pageBytes = pageElements * elementSize + 4;
    long pages = elements / pageElements;
    for (long p = 0; p < pages; p++) {
      long pageFirst = first + p * pageElements;
      if (pageFirst >= maxIndexSet) {
        break;
      }
      long bit = firstPageBit + p;
      boolean initialised =
          pageBitmap == null || (pageBitmap[(int) (bit / 8)] & (0x80 >>> (bit % 8))) != 0;
      if (initialised) {
        ByteBuffer page =
            storage.readBufferFromAddress(
                address + prefix + 4 + p * pageBytes, Math.toIntExact(pageBytes));
        page.mark();
        readElements(page, pageFirst, pageElements);
        ChecksumUtils.validateChecksumFromMark(page);
      }
    }
  }

  private void readElements(ByteBuffer bb, long first, long count) {
    for (long i = 0; i < count; i++) {
      long address = Utils.readBytesAsUnsignedLong(bb, so);
      int size = unfilteredChunkBytes;
      int mask = 0;
      if (clientId == CLIENT_FILTERED) {
        long stored = Utils.readBytesAsUnsignedLong(bb, elementSize - so - 4);
        mask = bb.getInt();
        if (stored > Integer.MAX_VALUE) {
          throw corrupt("an entry claims a chunk of " + stored + " bytes");
        }
        size = (int) stored;
      }
      long position = first + i;
      if (position >= maxIndexSet || Hdf5Address.undefined(address, so)) {
        continue; // past the last chunk ever written, or a chunk never written
      }
      long[] coords = order.coords(position);
      if (coords != null) {
        out.add(new RawChunk(address, size, coords, mask));
      }
    }
  }

  private void checkPrefix(ByteBuffer bb, byte[] signature, long address) {
    expect(bb, signature, address);
    int version = bb.get();
    int client = bb.get();
    long back = Utils.readBytesAsUnsignedLong(bb, so);
    if (version != 0 || client != clientId || back != headerAddress) {
      throw corrupt(
          new String(signature, StandardCharsets.US_ASCII)
              + " block at "
              + address
              + " does not match its header");
    }
  }

  private void expect(ByteBuffer bb, byte[] signature, long address) {
    byte[] got = new byte[4];
    bb.get(got);
    if (!Arrays.equals(got, signature)) {
      throw corrupt(
          "expected signature "
              + new String(signature, StandardCharsets.US_ASCII)
              + " at address "
              + address);
    }
  }

  private Hdf5FormatException corrupt(String what) {
    return new Hdf5FormatException(
        "Corrupt extensible array chunk index of dataset '" + path + "': " + what);
  }
}
