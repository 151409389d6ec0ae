package io.arraymorph.hdf5;

import io.jhdf.Utils;
import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The raw messages of an object header (HDF5 format spec, "Object Header" v1 and v2, continuation
 * blocks followed), unparsed. jhdf parses every message of a header at once and fails the whole
 * object when one message is beyond it (a user-defined link, a shared message version it does not
 * know); reading the few messages needed here leaves the others alone.
 */
final class ObjectHeaderMessages {
  private static final int CONTINUATION_MESSAGE = 0x0010;

  /** Bound on header blocks followed, against continuation loops in corrupt files. */
  private static final int MAX_BLOCKS = 1024;

  /** Message flag bit 1: the body is a reference to a shared message, not the message itself. */
  static final int SHARED_FLAG = 0x02;

  /**
   * One message: its type, its flags and its body (little-endian, positioned at its start).
   *
   * @param type the message type, e.g. 0x0006 for a link message
   * @param flags the message flags
   * @param body the message body
   * @param block the header block holding the message
   * @param at where the message's own header (its type field) starts in {@code block}
   */
  record Message(int type, int flags, ByteBuffer body, Block block, int at) {}

  /**
   * One block of an object header as stored: chunk #0 (its prefix included) or a continuation
   * block.
   *
   * @param address the block's address (jhdf's addressing: relative to the base address)
   * @param bytes the block's bytes, checksum included
   * @param v2 whether the header is version 2: its blocks end with a checksum and its message types
   *     are one byte (two in version 1)
   * @param start where its messages start in {@code bytes}
   * @param end where its messages end in {@code bytes}
   * @param creationOrder whether each message's own header holds a 2-byte creation order (v2)
   */
  record Block(long address, byte[] bytes, boolean v2, int start, int end, boolean creationOrder) {}

  private ObjectHeaderMessages() {}

  /**
   * Every message of the object header at {@code header}, in header order.
   *
   * @throws Hdf5FormatException when the header is damaged (a wrong version or signature, a
   *     checksum mismatch, a message running past its block): a group's links are read from here,
   *     and a damaged header must fail, never yield fewer links
   */
  static List<Message> read(HdfBackingStorage storage, long header) {
    int so = storage.getSizeOfOffsets();
    int sl = storage.getSizeOfLengths();
    ByteBuffer first = storage.readBufferFromAddress(header, 5).order(ByteOrder.LITTLE_ENDIAN);
    byte[] sig = new byte[4];
    first.get(sig);
    boolean v2 = new String(sig, StandardCharsets.US_ASCII).equals("OHDR");
    int version = v2 ? first.get(4) : first.get(0);
    if (version != (v2 ? 2 : 1)) {
      throw damaged(header, "object header version " + version);
    }
    // Blocks to read: address, length, start and end of their messages.
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
      long prefix = 6L + skip + sizeBytes;
      // Chunk #0's size counts its messages only; its checksum follows them.
      blocks.add(new long[] {header, prefix + size + 4, prefix, prefix + size});
    } else {
      ByteBuffer pre = storage.readBufferFromAddress(header, 16).order(ByteOrder.LITTLE_ENDIAN);
      pre.position(8);
      long size = pre.getInt() & 0xffffffffL;
      blocks.add(new long[] {header + 16, size, 0, size});
    }
    boolean creationOrder = (flags & 0x04) != 0;
    List<Message> out = new ArrayList<>();
    for (int n = 0; !blocks.isEmpty(); n++) {
      if (n >= MAX_BLOCKS) {
        throw damaged(header, "more than " + MAX_BLOCKS + " continuation blocks");
      }
      long[] block = blocks.poll();
      ByteBuffer bb =
          storage
              .readBufferFromAddress(block[0], Math.toIntExact(block[1]))
              .order(ByteOrder.LITTLE_ENDIAN);
      Block stored =
          new Block(
              block[0],
              bytes(bb, 0, bb.limit()),
              v2,
              Math.toIntExact(block[2]),
              Math.toIntExact(block[3]),
              creationOrder);
      if (v2) {
        if (n > 0 && !"OCHK".equals(new String(bytes(bb, 0, 4), StandardCharsets.US_ASCII))) {
          throw damaged(header, "continuation block at " + block[0] + " without its signature");
        }
        if (ChecksumUtils.checksum(bytes(bb, 0, bb.limit() - 4)) != bb.getInt(bb.limit() - 4)) {
          throw damaged(header, "checksum mismatch in the block at " + block[0]);
        }
      }
      int end = Math.toIntExact(block[3]);
      bb.position(Math.toIntExact(block[2]));
      int headerBytes = v2 ? 4 + (creationOrder ? 2 : 0) : 8;
      while (bb.position() + headerBytes <= end) {
        int at = bb.position();
        int type = v2 ? bb.get() & 0xff : bb.getShort() & 0xffff;
        int size = bb.getShort() & 0xffff;
        int messageFlags = bb.get() & 0xff;
        bb.position(bb.position() + (v2 ? (creationOrder ? 2 : 0) : 3));
        int bodyStart = bb.position();
        if (bodyStart + size > end) {
          throw damaged(header, "a message of " + size + " bytes runs past its block");
        }
        out.add(
            new Message(
                type,
                messageFlags,
                bb.slice(bodyStart, size).order(ByteOrder.LITTLE_ENDIAN),
                stored,
                at));
        if (type == CONTINUATION_MESSAGE) {
          long address = Utils.readBytesAsUnsignedLong(bb, so);
          long length = Utils.readBytesAsUnsignedLong(bb, sl);
          blocks.add(
              v2
                  ? new long[] {address, length, 4, length - 4}
                  : new long[] {address, length, 0, length});
        }
        bb.position(bodyStart + size);
      }
    }
    return out;
  }

  /**
   * Masks a message in a patched view of the file ({@link BoundedHdfFileChannel#patch}): its block
   * reads with the first bytes of the message's body replaced by {@code head}, the checksum of a
   * version-2 block redone. The file itself is never written.
   *
   * @return the message's original body
   */
  static byte[] maskBodyStart(BoundedHdfFileChannel view, Message m, byte[] head) {
    byte[] original = new byte[m.body().remaining()];
    m.body().duplicate().get(original);
    Block block = m.block();
    byte[] bytes = block.bytes().clone();
    int bodyStart = m.at() + (block.v2() ? 4 + (block.creationOrder() ? 2 : 0) : 8);
    System.arraycopy(head, 0, bytes, bodyStart, head.length);
    if (block.v2()) {
      int sum = ChecksumUtils.checksum(Arrays.copyOf(bytes, bytes.length - 4));
      ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, sum);
    }
    view.patch(block.address(), bytes);
    return original;
  }

  private static byte[] bytes(ByteBuffer bb, int from, int length) {
    byte[] b = new byte[length];
    bb.get(from, b);
    return b;
  }

  private static Hdf5FormatException damaged(long header, String what) {
    return new Hdf5FormatException(
        "The object header at " + header + " is damaged (corrupt file?): " + what);
  }

  /**
   * The body of the first message of {@code messageType} (shared, if {@code shared}) in the object
   * header at {@code header}; null when there is none.
   */
  static ByteBuffer first(HdfBackingStorage storage, long header, int messageType, boolean shared) {
    for (Message m : read(storage, header)) {
      if (m.type() == messageType && (!shared || (m.flags() & SHARED_FLAG) != 0)) {
        return m.body();
      }
    }
    return null;
  }
}
