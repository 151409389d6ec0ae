package io.arraymorph.hdf5;

import io.jhdf.checksum.ChecksumUtils;
import io.jhdf.object.message.AttributeMessage;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hides the attribute messages jhdf cannot parse from jhdf. jhdf parses every message of an object
 * header at once and fails the whole object on one attribute it does not know: a datatype version 4
 * (HDF5 1.12 references, e.g. the DIMENSION_LIST of dimension scales written by libhdf5 1.12), a
 * region reference. Such attributes are turned into NIL messages in a patched view of the file
 * ({@link BoundedHdfFileChannel#patch}; a version-2 block's checksum is recomputed), so the
 * object's data and its other attributes read. The file itself is never written.
 */
final class HeaderMask {
  private static final Logger LOG = LoggerFactory.getLogger(HeaderMask.class);
  private static final int ATTRIBUTE_MESSAGE = 0x000C;

  private HeaderMask() {}

  /**
   * Masks the attribute messages of the object header at {@code header} that jhdf cannot parse.
   *
   * @return a description of each masked attribute (empty when none was masked, or when {@code
   *     storage} cannot be patched)
   */
  static List<String> unparseableAttributes(HdfBackingStorage storage, long header, String path) {
    if (!(storage instanceof BoundedHdfFileChannel patchable)) {
      return List.of();
    }
    IdentityHashMap<ObjectHeaderMessages.Block, byte[]> patched = new IdentityHashMap<>();
    List<String> masked = new ArrayList<>();
    for (ObjectHeaderMessages.Message m : ObjectHeaderMessages.read(storage, header)) {
      if (m.type() != ATTRIBUTE_MESSAGE) {
        continue;
      }
      String failure = jhdfFailure(m, storage);
      if (failure == null) {
        continue;
      }
      masked.add("attribute '" + attributeName(m.body()) + "' (" + failure + ")");
      byte[] bytes = patched.computeIfAbsent(m.block(), b -> b.bytes().clone());
      // NIL message type: 1 byte in version-2 headers, 2 bytes in version 1.
      bytes[m.at()] = 0;
      if (!m.block().v2()) {
        bytes[m.at() + 1] = 0;
      }
    }
    for (Map.Entry<ObjectHeaderMessages.Block, byte[]> e : patched.entrySet()) {
      byte[] bytes = e.getValue();
      if (e.getKey().v2()) {
        int sum = ChecksumUtils.checksum(Arrays.copyOf(bytes, bytes.length - 4));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, sum);
      }
      patchable.patch(e.getKey().address(), bytes);
    }
    if (!masked.isEmpty()) {
      LOG.warn("Skipping, at '{}', {}: jhdf 0.13 cannot parse them", path, masked);
    }
    return masked;
  }

  /** Why jhdf cannot parse this attribute message, or null when it can. */
  private static String jhdfFailure(ObjectHeaderMessages.Message m, HdfBackingStorage storage) {
    try {
      new AttributeMessage(
          m.body().duplicate().order(ByteOrder.LITTLE_ENDIAN),
          storage,
          BitSet.valueOf(new byte[] {(byte) m.flags()}));
      return null;
    } catch (RuntimeException e) {
      return String.valueOf(e.getMessage());
    }
  }

  /**
   * The attribute's name, for messages (format spec "Attribute Message": versions 1 and 2 have a
   * NUL-terminated name after 8 bytes, version 3 after 9).
   */
  private static String attributeName(ByteBuffer body) {
    ByteBuffer b = body.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int version = b.get(0) & 0xff;
    int nameSize = b.getShort(2) & 0xffff;
    int start = version == 3 ? 9 : 8;
    if (start + nameSize > b.limit() || nameSize == 0) {
      return "?";
    }
    byte[] name = new byte[nameSize];
    b.get(start, name);
    int end = 0;
    while (end < name.length && name[end] != 0) {
      end++;
    }
    return new String(name, 0, end, java.nio.charset.StandardCharsets.UTF_8);
  }
}
