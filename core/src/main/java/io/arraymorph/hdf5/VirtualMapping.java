package io.arraymorph.hdf5;

import io.jhdf.GlobalHeap;
import io.jhdf.Utils;
import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One mapping of a virtual dataset, as stored (HDF5 format spec, Data Layout message version 4,
 * layout class 3, and its global heap object): the source file and dataset names, and the source
 * and virtual selections, dimension by dimension. A selection that is not a product of
 * per-dimension coordinate sets (points, or blocks that do not form one) is refused by name.
 *
 * @param sourceFile the source file's name ({@code .} for this file; may hold printf-style {@code
 *     %b})
 * @param sourceDataset the source dataset's path (may hold {@code %b})
 * @param source the source selection; null for "all", resolved against the source's extent
 * @param virtual the virtual selection; null for "all"
 * @param empty whether either selection selects nothing
 */
record VirtualMapping(
    String sourceFile,
    String sourceDataset,
    SelectionAxis[] source,
    SelectionAxis[] virtual,
    boolean empty) {

  /** The axes of a selection ({@code null} meaning all) of a space of {@code extent}. */
  static SelectionAxis[] axes(SelectionAxis[] selection, long[] extent) {
    if (selection != null) {
      return selection.clone();
    }
    SelectionAxis[] all = new SelectionAxis[extent.length];
    for (int d = 0; d < extent.length; d++) {
      all[d] = SelectionAxis.all(extent[d]);
    }
    return all;
  }

  /** Whether the source names hold printf-style {@code %b} (one source per block). */
  boolean printf() {
    return hasBlockFormat(sourceFile) || hasBlockFormat(sourceDataset);
  }

  /** The name with {@code %b} replaced by {@code block} and {@code %%} by {@code %}. */
  static String format(String name, long block) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '%' && i + 1 < name.length()) {
        char next = name.charAt(i + 1);
        if (next == 'b') {
          out.append(block);
          i++;
          continue;
        }
        if (next == '%') {
          out.append('%');
          i++;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static boolean hasBlockFormat(String name) {
    return !format(name, 0).equals(format(name, 1));
  }

  /**
   * The mappings of the virtual dataset at {@code path}, from its layout message body (version 4,
   * class 3: a global heap collection address and an object index).
   */
  static List<VirtualMapping> read(HdfBackingStorage storage, byte[] layout, String path) {
    ByteBuffer b = ByteBuffer.wrap(layout).order(ByteOrder.LITTLE_ENDIAN);
    int version = b.get() & 0xff;
    b.get(); // layout class 3
    if (version != 4) {
      throw new Hdf5FormatException(
          "Virtual dataset '" + path + "' has a layout message of version " + version);
    }
    long heap = Utils.readBytesAsUnsignedLong(b, storage.getSizeOfOffsets());
    int index = b.getInt();
    ByteBuffer object = new GlobalHeap(storage, heap).getObjectData(index);
    return parse(object.order(ByteOrder.LITTLE_ENDIAN), storage.getSizeOfLengths(), path);
  }

  static List<VirtualMapping> parse(ByteBuffer object, int sizeOfLengths, String path) {
    byte[] all = new byte[object.remaining()];
    object.duplicate().get(all);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    try {
      int version = b.get() & 0xff;
      if (version != 0) {
        throw new Hdf5FormatException(
            "Virtual dataset '" + path + "' stores its mappings in encoding version " + version);
      }
      long count = Utils.readBytesAsUnsignedLong(b, sizeOfLengths);
      List<VirtualMapping> out = new ArrayList<>();
      for (long i = 0; i < count; i++) {
        String file = cString(b);
        String dataset = cString(b);
        Selection source = selection(b, path);
        Selection virtual = selection(b, path);
        out.add(
            new VirtualMapping(
                file, dataset, source.axes, virtual.axes, source.empty || virtual.empty));
      }
      if (b.remaining() >= 4) {
        int stored = b.getInt(b.position());
        byte[] covered = new byte[b.position()];
        System.arraycopy(all, 0, covered, 0, covered.length);
        if (ChecksumUtils.checksum(covered) != stored) {
          throw new Hdf5FormatException(
              "The mappings of virtual dataset '" + path + "' fail their checksum (corrupt file?)");
        }
      }
      return out;
    } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
      throw new Hdf5FormatException(
          "The mappings of virtual dataset '" + path + "' are truncated (corrupt file?)", e);
    }
  }

  /** A parsed selection: its axes ({@code null} for all) and whether it selects nothing. */
  private record Selection(SelectionAxis[] axes, boolean empty) {}

  /** A serialized dataspace selection (format spec: H5S selection encodings, versions 1 to 3). */
  private static Selection selection(ByteBuffer b, String path) {
    int type = b.getInt();
    int version = b.getInt();
    switch (type) {
      case 0: // none
      case 3: // all
        if (version == 1 || version == 2) {
          b.getInt(); // reserved
          b.getInt(); // length
        }
        return new Selection(null, type == 0);
      case 2:
        return hyperslab(b, version, path);
      case 1:
        throw new Hdf5UnsupportedException("point selection in a virtual dataset mapping", path);
      default:
        throw new Hdf5FormatException(
            "Virtual dataset '" + path + "' has a mapping of selection type " + type);
    }
  }

  private static Selection hyperslab(ByteBuffer b, int version, String path) {
    if (version == 1) {
      b.getInt(); // reserved
      b.getInt(); // length
      int rank = b.getInt();
      long blocks = b.getInt() & 0xffffffffL;
      return blockList(b, rank, blocks, 4, path);
    }
    if (version == 2 || version == 3) {
      int flags = b.get() & 0xff;
      int size = 8;
      if (version == 2) {
        b.getInt(); // length
      } else {
        size = b.get() & 0xff;
      }
      int rank = b.getInt();
      if ((flags & 0x01) == 0) {
        if (version == 2) {
          throw new Hdf5FormatException(
              "Virtual dataset '" + path + "' has an irregular version-2 hyperslab selection");
        }
        return blockList(b, rank, unsigned(b, size), size, path);
      }
      SelectionAxis[] axes = new SelectionAxis[rank];
      for (int d = 0; d < rank; d++) {
        long start = unsigned(b, size);
        long stride = unsigned(b, size);
        long count = unlimited(unsigned(b, size), size);
        long block = unlimited(unsigned(b, size), size);
        axes[d] = SelectionAxis.regular(start, stride, count, block, path);
      }
      return new Selection(axes, false);
    }
    throw new Hdf5FormatException(
        "Virtual dataset '" + path + "' has a hyperslab selection of version " + version);
  }

  /**
   * A list of blocks (start and end corners), read as one coordinate set per dimension: valid when
   * the blocks cover exactly the product of those sets, as a regular hyperslab stored as blocks
   * does.
   */
  private static Selection blockList(ByteBuffer b, int rank, long blocks, int size, String path) {
    if (blocks > b.remaining()) {
      throw new Hdf5FormatException(
          "Virtual dataset '" + path + "' claims " + blocks + " selection blocks (corrupt file?)");
    }
    List<TreeSet<Long>> sets = new ArrayList<>();
    for (int d = 0; d < rank; d++) {
      sets.add(new TreeSet<>());
    }
    long points = 0;
    for (long k = 0; k < blocks; k++) {
      long[] start = new long[rank];
      long[] end = new long[rank];
      for (int d = 0; d < rank; d++) {
        start[d] = unsigned(b, size);
      }
      long volume = 1;
      for (int d = 0; d < rank; d++) {
        end[d] = unsigned(b, size);
        if (end[d] < start[d] || end[d] - start[d] >= 1 << 24) {
          throw new Hdf5FormatException(
              "Virtual dataset '" + path + "' has a selection block it cannot hold");
        }
        for (long c = start[d]; c <= end[d]; c++) {
          sets.get(d).add(c);
        }
        volume = Math.multiplyExact(volume, end[d] - start[d] + 1);
      }
      points = Math.addExact(points, volume);
    }
    long product = 1;
    SelectionAxis[] axes = new SelectionAxis[rank];
    for (int d = 0; d < rank; d++) {
      product = Math.multiplyExact(product, sets.get(d).size());
      axes[d] = SelectionAxis.explicit(sets.get(d).stream().mapToLong(Long::longValue).toArray());
    }
    if (product != points) {
      throw new Hdf5UnsupportedException(
          "virtual dataset mapping whose selection is no product of per-dimension ranges", path);
    }
    return new Selection(axes, blocks == 0);
  }

  /** An unsigned value of {@code size} bytes; 8-byte values above 2^63-1 come out negative. */
  private static long unsigned(ByteBuffer b, int size) {
    return switch (size) {
      case 1 -> b.get() & 0xffL;
      case 2 -> b.getShort() & 0xffffL;
      case 4 -> b.getInt() & 0xffffffffL;
      case 8 -> b.getLong();
      default -> throw new IllegalArgumentException("selection encoding of " + size + " bytes");
    };
  }

  /** HDF5 stores an unlimited count or block as all ones in the encoding's width. */
  private static long unlimited(long value, int size) {
    return size == 8 ? value : value == (1L << (8 * size)) - 1 ? SelectionAxis.UNLIMITED : value;
  }

  private static String cString(ByteBuffer b) {
    int start = b.position();
    while (b.get() != 0) {
      // scan to the terminating NUL
    }
    byte[] bytes = new byte[b.position() - start - 1];
    b.get(start, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
