package io.arraymorph.hdf5;

import io.arraymorph.ArrayMorphException;
import io.jhdf.Constants;
import io.jhdf.GroupSymbolTableNode;
import io.jhdf.LocalHeap;
import io.jhdf.ObjectHeader;
import io.jhdf.SymbolTableEntry;
import io.jhdf.Utils;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.btree.BTreeV1;
import io.jhdf.btree.BTreeV2;
import io.jhdf.btree.record.LinkNameForIndexedGroupRecord;
import io.jhdf.dataset.DatasetLoader;
import io.jhdf.links.ExternalLink;
import io.jhdf.links.SoftLink;
import io.jhdf.object.message.DataSpaceMessage;
import io.jhdf.object.message.DataTypeMessage;
import io.jhdf.storage.HdfBackingStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group's members, read link by link. jhdf builds all of a group's members at once and fails the
 * whole group when one member's header cannot be parsed (an opaque type with an empty tag, an enum
 * with codes it cannot hold, a datatype version 4, an attribute holding a region reference, a
 * shared message version it does not know), and fails the group itself when one of its links is
 * user-defined or one of its own messages is beyond it: then the group's link messages are read
 * here from its object header (HDF5 format spec, "Link Info", "Link" and "Symbol Table" messages),
 * each member is built on its own, and the ones that fail are kept as errors naming them.
 *
 * @param nodes the members jhdf could build, in link order
 * @param unreadable the error of each member that could not be built, by name
 * @param userDefinedLinks the link class of each user-defined link (class 65 to 255), by name:
 *     links this reader cannot follow, which name no object of this file it could list
 */
record GroupMembers(
    Map<String, Node> nodes,
    Map<String, ArrayMorphException> unreadable,
    Map<String, Integer> userDefinedLinks) {
  private static final int LINK_INFO_MESSAGE = 0x0002;
  private static final int LINK_MESSAGE = 0x0006;
  private static final int SYMBOL_TABLE_MESSAGE = 0x0011;

  GroupMembers {
    nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    unreadable = Collections.unmodifiableMap(new LinkedHashMap<>(unreadable));
    userDefinedLinks = Collections.unmodifiableMap(new LinkedHashMap<>(userDefinedLinks));
  }

  /** Members jhdf built all at once. */
  GroupMembers(Map<String, Node> nodes) {
    this(nodes, Map.of(), Map.of());
  }

  /** Reads the links of {@code group} (at {@code groupPath}) and builds each member alone. */
  static GroupMembers read(HdfBackingStorage storage, Group group, String key, String groupPath) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    Map<String, ArrayMorphException> unreadable = new LinkedHashMap<>();
    Map<String, Integer> userDefined = new LinkedHashMap<>();
    for (Link link : links(storage, group.getAddress(), groupPath)) {
      String path = groupPath.endsWith("/") ? groupPath + link.name : groupPath + "/" + link.name;
      if (link.userDefinedType >= 0) {
        userDefined.put(link.name, link.userDefinedType);
      } else if (link.softTarget != null) {
        nodes.put(link.name, new SoftLink(link.softTarget, link.name, group));
      } else if (link.externalFile != null) {
        nodes.put(
            link.name, new ExternalLink(link.externalFile, link.externalPath, link.name, group));
      } else {
        try {
          nodes.put(link.name, Jhdf.call(() -> node(storage, link, group, path), key, path));
        } catch (ArrayMorphException e) {
          // Unsupported or unparseable (e.g. a datatype version jhdf does not know): this member
          // is reported by name, its neighbours are still read.
          unreadable.put(link.name, e);
        }
      }
    }
    return new GroupMembers(nodes, unreadable, userDefined);
  }

  /**
   * One link: a hard link's address, a soft link's target, an external link's file and path, or a
   * user-defined link's class (else -1).
   */
  private record Link(
      String name,
      long address,
      String softTarget,
      String externalFile,
      String externalPath,
      int userDefinedType) {
    static Link hard(String name, long address) {
      return new Link(name, address, null, null, null, -1);
    }

    static Link soft(String name, String target) {
      return new Link(name, -1, target, null, null, -1);
    }
  }

  /**
   * The links of the group whose object header is at {@code header}, from its raw messages: jhdf's
   * parse of the header would fail on a user-defined link or on any other message beyond it.
   */
  private static List<Link> links(HdfBackingStorage storage, long header, String groupPath) {
    int so = storage.getSizeOfOffsets();
    List<Link> out = new ArrayList<>();
    List<ByteBuffer> compact = new ArrayList<>();
    ByteBuffer linkInfo = null;
    for (ObjectHeaderMessages.Message m : ObjectHeaderMessages.read(storage, header)) {
      if (m.type() == SYMBOL_TABLE_MESSAGE) {
        ByteBuffer b = m.body();
        return oldStyle(
            storage,
            Utils.readBytesAsUnsignedLong(b, so),
            Utils.readBytesAsUnsignedLong(b, so),
            out);
      } else if (m.type() == LINK_INFO_MESSAGE) {
        linkInfo = m.body();
      } else if (m.type() == LINK_MESSAGE) {
        compact.add(m.body());
      }
    }
    List<ByteBuffer> messages = compact;
    if (linkInfo != null) {
      linkInfo.get(); // version 0
      int flags = linkInfo.get() & 0xff;
      if ((flags & 0x01) != 0) {
        linkInfo.getLong(); // maximum creation index
      }
      long heapAddress = Utils.readBytesAsUnsignedLong(linkInfo, so);
      long nameIndex = Utils.readBytesAsUnsignedLong(linkInfo, so);
      if (nameIndex != Constants.UNDEFINED_ADDRESS && heapAddress != Constants.UNDEFINED_ADDRESS) {
        // Dense: link messages in a fractal heap, indexed by a v2 B-tree of name hashes.
        io.jhdf.FractalHeap heap = new io.jhdf.FractalHeap(storage, heapAddress);
        messages = new ArrayList<>();
        for (LinkNameForIndexedGroupRecord r :
            new BTreeV2<LinkNameForIndexedGroupRecord>(storage, nameIndex).getRecords()) {
          messages.add(heap.getId(r.getId()).order(ByteOrder.LITTLE_ENDIAN));
        }
      }
    }
    for (ByteBuffer m : messages) {
      out.add(link(m.duplicate().order(ByteOrder.LITTLE_ENDIAN), so, groupPath));
    }
    return out;
  }

  /** An "old style" group: a v1 B-tree of symbol table nodes, names in a local heap. */
  private static List<Link> oldStyle(
      HdfBackingStorage storage, long bTree, long localHeap, List<Link> out) {
    ByteBuffer names = new LocalHeap(storage, localHeap).getDataBuffer().duplicate();
    for (long node : BTreeV1.createGroupBTree(storage, bTree).getChildAddresses()) {
      for (SymbolTableEntry e : new GroupSymbolTableNode(storage, node).getSymbolTableEntries()) {
        String name = cString(names, e.getLinkNameOffset());
        out.add(
            e.getCacheType() == 2
                ? Link.soft(name, cString(names, e.getLinkValueOffset()))
                : Link.hard(name, e.getObjectHeaderAddress()));
      }
    }
    return out;
  }

  /**
   * One link message (format spec "Link Message", version 1): jhdf's parser refuses user-defined
   * link types (65 to 255), which libhdf5 writes through H5Lcreate_ud.
   */
  private static Link link(ByteBuffer b, int sizeOfOffsets, String groupPath) {
    int version = b.get() & 0xff;
    if (version != 1) {
      throw new Hdf5FormatException(
          "A link message of group '"
              + groupPath
              + "' has version "
              + version
              + " (corrupt file?)");
    }
    int flags = b.get() & 0xff;
    int type = (flags & 0x08) != 0 ? b.get() & 0xff : 0;
    if ((flags & 0x04) != 0) {
      b.getLong(); // creation order
    }
    if ((flags & 0x10) != 0) {
      b.get(); // character set of the name: ASCII or UTF-8, both read as UTF-8
    }
    int nameLength = Math.toIntExact(Utils.readBytesAsUnsignedLong(b, 1 << (flags & 0x03)));
    String name = string(b, nameLength);
    switch (type) {
      case 0:
        return Link.hard(name, Utils.readBytesAsUnsignedLong(b, sizeOfOffsets));
      case 1:
        return Link.soft(name, string(b, b.getShort() & 0xffff));
      case 64:
        {
          int length = b.getShort() & 0xffff;
          ByteBuffer data = b.slice(b.position(), length);
          data.get(); // version and flags
          String file = cString(data, data.position());
          data.position(data.position() + file.getBytes(StandardCharsets.UTF_8).length + 1);
          return new Link(name, -1, null, file, cString(data, data.position()), -1);
        }
      default:
        if (type < 65) {
          throw new Hdf5FormatException(
              "Link '"
                  + name
                  + "' of group '"
                  + groupPath
                  + "' has link type "
                  + type
                  + ", which HDF5 reserves (corrupt file?)");
        }
        return new Link(name, -1, null, null, null, type);
    }
  }

  private static String string(ByteBuffer b, int length) {
    byte[] bytes = new byte[length];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Builds a hard-linked member as jhdf would: a dataset, a committed datatype or a group. */
  private static Node node(HdfBackingStorage storage, Link link, Group parent, String path) {
    ObjectHeader oh;
    // Messages in the shared-message heap go back into the header first: jhdf misreads them, and
    // on an attribute without failing.
    HeaderRewrite.inlineSharedMessages(storage, link.address, path);
    try {
      oh = ObjectHeader.readObjectHeader(storage, link.address);
    } catch (RuntimeException e) {
      if (isGroup(storage, link.address)) {
        // A group holding a link (or a message) jhdf cannot parse: its members are then read
        // link by link, on their own.
        return group(storage, link, parent, path);
      }
      // A virtual layout jhdf refuses is read by DatasetOpener; attributes jhdf cannot parse cost
      // only themselves: the rest of the object reads.
      boolean virtual = VirtualLayoutMask.maskIfVirtual(storage, link.address);
      // A datatype jhdf cannot parse (e.g. enum codes it cannot hold) is read by Hdf5TypeTree.
      boolean datatype = DatatypeMask.maskIfUnparseable(storage, link.address, path);
      boolean attributes = !HeaderMask.unparseableAttributes(storage, link.address, path).isEmpty();
      if (!attributes && !virtual && !datatype) {
        throw e;
      }
      oh = ObjectHeader.readObjectHeader(storage, link.address);
    }
    if (oh.hasMessageOfType(DataSpaceMessage.class)) {
      return DatasetLoader.createDataset(storage, oh, link.name, parent);
    }
    if (oh.hasMessageOfType(DataTypeMessage.class)) {
      return new io.jhdf.CommittedDatatype(storage, link.address, link.name, parent);
    }
    return group(storage, link, parent, path);
  }

  /** Whether the object header at {@code header} is a group's: it holds links or a symbol table. */
  private static boolean isGroup(HdfBackingStorage storage, long header) {
    return ObjectHeaderMessages.read(storage, header).stream()
        .anyMatch(
            m ->
                m.type() == LINK_INFO_MESSAGE
                    || m.type() == LINK_MESSAGE
                    || m.type() == SYMBOL_TABLE_MESSAGE);
  }

  /**
   * A jhdf group for a member: jhdf has no public factory for groups, so its package-private one is
   * called reflectively (jhdf is pinned; a mismatch fails as an unsupported feature naming it).
   */
  private static Group group(HdfBackingStorage storage, Link link, Group parent, String path) {
    try {
      Method create =
          io.jhdf.GroupImpl.class.getDeclaredMethod(
              "createGroup", HdfBackingStorage.class, long.class, String.class, Group.class);
      create.setAccessible(true);
      return (Group) create.invoke(null, storage, link.address, link.name, parent);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new Hdf5UnsupportedException(
          "group beside a member jhdf cannot parse (this jhdf version has no GroupImpl.createGroup)",
          path,
          e);
    }
  }

  /** The NUL-terminated string at {@code offset} of a local heap or link value. */
  private static String cString(ByteBuffer heap, int offset) {
    int end = offset;
    while (end < heap.limit() && heap.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - offset];
    heap.get(offset, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
