package io.arraymorph.hdf5;

import io.jhdf.Superblock;
import io.jhdf.Utils;
import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.storage.HdfBackingStorage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puts the messages an object header keeps in the shared object header message heap (SOHM: HDF5
 * format spec "Shared Message Table", "Shared Message" version 3 type 1) back into the header, for
 * jhdf 0.13, which reads their heap IDs as if they were the messages ("Unrecognized version = 3").
 * In a patched view of the file ({@link BoundedHdfFileChannel}; the file is never written) the
 * header's chunk #0 then holds one continuation message pointing at a block past the file's end
 * that holds every message, the shared ones resolved from the heap.
 */
final class HeaderRewrite {
  private static final int SHARED_MESSAGE_TABLE = 0x000F;
  private static final int CONTINUATION = 0x0010;
  private static final int ATTRIBUTE = 0x000C;
  private static final int DATASPACE = 0x0001;
  private static final int DATATYPE = 0x0003;

  private HeaderRewrite() {}

  /**
   * Rewrites the object header at {@code header} when it holds messages shared through the heap.
   *
   * @return whether it was rewritten
   */
  static boolean inlineSharedMessages(HdfBackingStorage storage, long header, String path) {
    if (!(storage instanceof BoundedHdfFileChannel patchable)) {
      return false;
    }
    List<ObjectHeaderMessages.Message> messages = ObjectHeaderMessages.read(storage, header);
    if (messages.stream().noneMatch(HeaderRewrite::inHeap)) {
      return false;
    }
    List<Index> indexes = indexes(storage, path);
    int so = storage.getSizeOfOffsets();
    int sl = storage.getSizeOfLengths();
    ObjectHeaderMessages.Block first = messages.get(0).block();
    boolean v2 = first.v2();
    int headerBytes = v2 ? 4 + (first.creationOrder() ? 2 : 0) : 8;
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    if (v2) {
      block.writeBytes("OCHK".getBytes(StandardCharsets.US_ASCII));
    }
    int count = 0;
    for (ObjectHeaderMessages.Message m : messages) {
      if (m.type() == 0 || m.type() == CONTINUATION) {
        continue;
      }
      byte[] body;
      int flags = m.flags();
      if (inHeap(m)) {
        body = resolve(storage, indexes, m.type(), m.body(), path);
        flags &= ~ObjectHeaderMessages.SHARED_FLAG;
      } else {
        body = bytes(m.body());
      }
      if (m.type() == ATTRIBUTE) {
        body = attributeWithOwnTypeAndSpace(storage, indexes, body, path);
      }
      int size = v2 ? body.length : (body.length + 7) & ~7;
      writeMessageHeader(block, v2, first.creationOrder(), m.type(), size, flags);
      block.writeBytes(Arrays.copyOf(body, size));
      count++;
    }
    if (v2) {
      block.writeBytes(new byte[4]);
    }
    byte[] continued = block.toByteArray();
    if (v2) {
      checksum(continued);
    }
    long at = patchable.addVirtual(continued);

    // Chunk #0: a continuation message to the new block, then a NIL message over the rest.
    byte[] chunk0 = first.bytes().clone();
    ByteBuffer b = ByteBuffer.wrap(chunk0).order(ByteOrder.LITTLE_ENDIAN);
    int room = first.end() - first.start();
    int continuation = headerBytes + so + sl;
    if (room < continuation) {
      throw new Hdf5UnsupportedException(
          "messages in the shared object header message heap, in a header too small to rewrite",
          path);
    }
    Arrays.fill(chunk0, first.start(), first.end(), (byte) 0);
    b.position(first.start());
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    writeMessageHeader(m, v2, first.creationOrder(), CONTINUATION, so + sl, 0);
    b.put(m.toByteArray());
    writeUnsigned(b, at, so);
    writeUnsigned(b, continued.length, sl);
    int rest = first.end() - b.position();
    if (rest >= headerBytes) {
      ByteArrayOutputStream nil = new ByteArrayOutputStream();
      writeMessageHeader(nil, v2, first.creationOrder(), 0, rest - headerBytes, 0);
      b.put(nil.toByteArray());
    }
    if (v2) {
      checksum(chunk0);
    }
    patchable.patch(first.address(), chunk0);
    if (!v2) {
      // Version 1 counts its messages in the prefix: the continuation, the NIL, the moved ones.
      byte[] prefix = bytes(storage.readBufferFromAddress(header, 16));
      int total = count + 1 + (rest >= headerBytes ? 1 : 0);
      prefix[2] = (byte) total;
      prefix[3] = (byte) (total >>> 8);
      patchable.patch(header, prefix);
    }
    return true;
  }

  /** Whether the message is a reference into the shared-message heap (version 3, type 1). */
  private static boolean inHeap(ObjectHeaderMessages.Message m) {
    ByteBuffer body = m.body();
    return (m.flags() & ObjectHeaderMessages.SHARED_FLAG) != 0
        && body.remaining() >= 10
        && body.get(body.position()) == 3
        && body.get(body.position() + 1) == 1;
  }

  /** One index of the shared message table: the message types it holds, and its heap. */
  private record Index(int typeFlags, long heapAddress) {}

  /**
   * Whether the file has a shared message table: its object headers may then keep messages in the
   * heap, which jhdf misreads, sometimes without failing (an attribute).
   */
  static boolean fileHasSharedMessages(HdfBackingStorage storage) {
    Superblock sb = storage.getSuperblock();
    long extension =
        sb instanceof Superblock.SuperblockV2V3 v23 ? v23.getSuperblockExtensionAddress() : -1;
    return extension >= 0
        && !Hdf5Address.undefined(extension, storage)
        && ObjectHeaderMessages.first(storage, extension, SHARED_MESSAGE_TABLE, false) != null;
  }

  /** The indexes of the shared message table the superblock extension names. */
  private static List<Index> indexes(HdfBackingStorage storage, String path) {
    Superblock sb = storage.getSuperblock();
    long extension =
        sb instanceof Superblock.SuperblockV2V3 v23 ? v23.getSuperblockExtensionAddress() : -1;
    ByteBuffer table =
        extension < 0 || Hdf5Address.undefined(extension, storage)
            ? null
            : ObjectHeaderMessages.first(storage, extension, SHARED_MESSAGE_TABLE, false);
    if (table == null) {
      throw new Hdf5FormatException(
          "'"
              + path
              + "' refers to the shared object header message heap, but the file has no shared"
              + " message table (corrupt file?)");
    }
    int so = storage.getSizeOfOffsets();
    table.get(); // version 0
    long address = Utils.readBytesAsUnsignedLong(table, so);
    int n = table.get() & 0xff;
    int entry = 1 + 1 + 2 + 4 + 2 + 2 + 2 + so + so;
    ByteBuffer t =
        storage.readBufferFromAddress(address, 4 + n * entry + 4).order(ByteOrder.LITTLE_ENDIAN);
    byte[] sig = new byte[4];
    t.get(sig);
    if (!"SMTB".equals(new String(sig, StandardCharsets.US_ASCII))) {
      throw new Hdf5FormatException(
          "The shared message table of '" + path + "' has no SMTB signature (corrupt file?)");
    }
    List<Index> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      t.get(); // version
      t.get(); // index type: list or B-tree; the heap ID finds the message either way
      int flags = t.getShort() & 0xffff;
      t.position(t.position() + 4 + 2 + 2 + 2); // minimum size, cutoffs, number of messages
      Utils.readBytesAsUnsignedLong(t, so); // index address
      out.add(new Index(flags, Utils.readBytesAsUnsignedLong(t, so)));
    }
    return out;
  }

  /**
   * An attribute message (versions 2 and 3) whose datatype or dataspace is itself kept in the heap
   * (attribute flag bits 0 and 1), rewritten to hold them: jhdf refuses heap-shared ones.
   */
  private static byte[] attributeWithOwnTypeAndSpace(
      HdfBackingStorage storage, List<Index> indexes, byte[] body, String path) {
    ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    int version = b.get(0) & 0xff;
    int flags = b.get(1) & 0xff;
    if ((version != 2 && version != 3) || (flags & 0x03) == 0) {
      return body;
    }
    int nameSize = b.getShort(2) & 0xffff;
    int typeSize = b.getShort(4) & 0xffff;
    int spaceSize = b.getShort(6) & 0xffff;
    int nameAt = version == 3 ? 9 : 8;
    int typeAt = nameAt + nameSize;
    int spaceAt = typeAt + typeSize;
    int dataAt = spaceAt + spaceSize;
    if (dataAt > body.length) {
      throw new Hdf5FormatException(
          "An attribute message of '" + path + "' runs past its end (corrupt file?)");
    }
    byte[] type = Arrays.copyOfRange(body, typeAt, spaceAt);
    byte[] space = Arrays.copyOfRange(body, spaceAt, dataAt);
    if ((flags & 0x01) != 0 && isHeapReference(type)) {
      type = resolve(storage, indexes, DATATYPE, ByteBuffer.wrap(type), path);
      flags &= ~0x01;
    }
    if ((flags & 0x02) != 0 && isHeapReference(space)) {
      space = resolve(storage, indexes, DATASPACE, ByteBuffer.wrap(space), path);
      flags &= ~0x02;
    }
    ByteBuffer out =
        ByteBuffer.allocate(typeAt + type.length + space.length + body.length - dataAt)
            .order(ByteOrder.LITTLE_ENDIAN);
    out.put(body, 0, typeAt);
    out.put(1, (byte) flags).putShort(4, (short) type.length).putShort(6, (short) space.length);
    out.put(type).put(space).put(body, dataAt, body.length - dataAt);
    return out.array();
  }

  private static boolean isHeapReference(byte[] shared) {
    return shared.length >= 10 && shared[0] == 3 && shared[1] == 1;
  }

  /** The body of a heap-shared message, from the heap of the index holding its type. */
  private static byte[] resolve(
      HdfBackingStorage storage,
      List<Index> indexes,
      int messageType,
      ByteBuffer reference,
      String path) {
    // An index's message type flags have bit t set for message type t (libhdf5's H5O_SHMESG_*).
    // The old fill value message shares the new one's index (libhdf5's H5SM__type_to_flag).
    int type = messageType == 0x0004 ? 0x0005 : messageType;
    boolean shareable =
        type == 0x0001 || type == 0x0003 || type == 0x0005 || type == 0x000B || type == 0x000C;
    int flag = shareable ? 1 << type : 0;
    Index index =
        indexes.stream().filter(i -> (i.typeFlags() & flag) != 0).findFirst().orElse(null);
    if (flag == 0 || index == null) {
      throw new Hdf5FormatException(
          "'"
              + path
              + "' keeps a message of type "
              + messageType
              + " in the shared message heap, which no index of its shared message table holds"
              + " (corrupt file?)");
    }
    ByteBuffer id = reference.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    id.position(id.position() + 2);
    byte[] heapId = new byte[8];
    id.get(heapId);
    if ((heapId[0] & 0xC0) == 0 && (heapId[0] & 0x30) == 0x20) {
      // A tiny object lives in its 8-byte heap ID itself (format spec "Fractal Heap ID", type 2:
      // length - 1 in the low 4 bits, then the bytes); jhdf 0.13 refuses tiny objects.
      int length = (heapId[0] & 0x0F) + 1;
      if (length > heapId.length - 1) {
        throw new Hdf5FormatException(
            "'" + path + "' names a tiny heap object of " + length + " bytes (corrupt file?)");
      }
      return Arrays.copyOfRange(heapId, 1, 1 + length);
    }
    io.jhdf.FractalHeap heap = new io.jhdf.FractalHeap(storage, index.heapAddress());
    return bytes(heap.getId(ByteBuffer.wrap(heapId).order(ByteOrder.LITTLE_ENDIAN)));
  }

  private static void writeMessageHeader(
      ByteArrayOutputStream out, boolean v2, boolean creationOrder, int type, int size, int flags) {
    ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    if (v2) {
      h.put((byte) type).putShort((short) size).put((byte) flags);
      if (creationOrder) {
        h.putShort((short) 0);
      }
    } else {
      h.putShort((short) type).putShort((short) size).put((byte) flags).put(new byte[3]);
    }
    out.write(h.array(), 0, h.position());
  }

  private static void writeUnsigned(ByteBuffer b, long value, int size) {
    for (int i = 0; i < size; i++) {
      b.put((byte) (value >>> (8 * i)));
    }
  }

  /** Writes a version-2 block's checksum into its last 4 bytes. */
  private static void checksum(byte[] block) {
    int sum = ChecksumUtils.checksum(Arrays.copyOf(block, block.length - 4));
    ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN).putInt(block.length - 4, sum);
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
