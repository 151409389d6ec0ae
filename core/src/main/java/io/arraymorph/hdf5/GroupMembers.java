package io.arraymorph.hdf5;

import io.arraymorph.ArrayMorphException;
import io.jhdf.Constants;
import io.jhdf.GroupSymbolTableNode;
import io.jhdf.LocalHeap;
import io.jhdf.ObjectHeader;
import io.jhdf.SymbolTableEntry;
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
import io.jhdf.object.message.LinkInfoMessage;
import io.jhdf.object.message.LinkMessage;
import io.jhdf.object.message.SymbolTableMessage;
import io.jhdf.storage.HdfBackingStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
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
 * shared message version it does not know): then the group's links are read here with jhdf's public
 * building blocks, each member is built on its own, and the ones that fail are kept as errors
 * naming them.
 *
 * @param nodes the members jhdf could build, in link order
 * @param unreadable the error of each member that could not be built, by name
 */
record GroupMembers(Map<String, Node> nodes, Map<String, ArrayMorphException> unreadable) {

  GroupMembers {
    nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    unreadable = Collections.unmodifiableMap(new LinkedHashMap<>(unreadable));
  }

  /** Reads the links of {@code group} (at {@code groupPath}) and builds each member alone. */
  static GroupMembers read(HdfBackingStorage storage, Group group, String key, String groupPath) {
    ObjectHeader oh = ObjectHeader.readObjectHeader(storage, group.getAddress());
    Map<String, Node> nodes = new LinkedHashMap<>();
    Map<String, ArrayMorphException> unreadable = new LinkedHashMap<>();
    for (Link link : links(storage, oh)) {
      String path = groupPath.endsWith("/") ? groupPath + link.name : groupPath + "/" + link.name;
      if (link.softTarget != null) {
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
    return new GroupMembers(nodes, unreadable);
  }

  /** One link: a hard link's address, a soft link's target or an external link's file and path. */
  private record Link(
      String name, long address, String softTarget, String externalFile, String externalPath) {}

  private static List<Link> links(HdfBackingStorage storage, ObjectHeader oh) {
    List<Link> out = new ArrayList<>();
    if (oh.hasMessageOfType(SymbolTableMessage.class)) {
      // An "old style" group: a v1 B-tree of symbol table nodes, names in a local heap.
      SymbolTableMessage stm = oh.getMessageOfType(SymbolTableMessage.class);
      ByteBuffer names =
          new LocalHeap(storage, stm.getLocalHeapAddress()).getDataBuffer().duplicate();
      for (long node :
          BTreeV1.createGroupBTree(storage, stm.getBTreeAddress()).getChildAddresses()) {
        for (SymbolTableEntry e : new GroupSymbolTableNode(storage, node).getSymbolTableEntries()) {
          String name = cString(names, e.getLinkNameOffset());
          out.add(
              e.getCacheType() == 2
                  ? new Link(name, -1, cString(names, e.getLinkValueOffset()), null, null)
                  : new Link(name, e.getObjectHeaderAddress(), null, null, null));
        }
      }
      return out;
    }
    List<LinkMessage> messages;
    LinkInfoMessage info = oh.getMessageOfType(LinkInfoMessage.class);
    if (info.getBTreeNameIndexAddress() == Constants.UNDEFINED_ADDRESS) {
      messages = oh.getMessagesOfType(LinkMessage.class); // compact: links in the header
    } else {
      // Dense: link messages in a fractal heap, indexed by a v2 B-tree of name hashes.
      io.jhdf.FractalHeap heap = new io.jhdf.FractalHeap(storage, info.getFractalHeapAddress());
      messages = new ArrayList<>();
      for (LinkNameForIndexedGroupRecord r :
          new BTreeV2<LinkNameForIndexedGroupRecord>(storage, info.getBTreeNameIndexAddress())
              .getRecords()) {
        messages.add(LinkMessage.fromBuffer(heap.getId(r.getId()), storage.getSuperblock()));
      }
    }
    for (LinkMessage m : messages) {
      out.add(
          switch (m.getLinkType()) {
            case HARD -> new Link(m.getLinkName(), m.getHardLinkAddress(), null, null, null);
            case SOFT -> new Link(m.getLinkName(), -1, m.getSoftLink(), null, null);
            case EXTERNAL ->
                new Link(m.getLinkName(), -1, null, m.getExternalFile(), m.getExternalPath());
          });
    }
    return out;
  }

  /** Builds a hard-linked member as jhdf would: a dataset, a committed datatype or a group. */
  private static Node node(HdfBackingStorage storage, Link link, Group parent, String path) {
    ObjectHeader oh = ObjectHeader.readObjectHeader(storage, link.address);
    if (oh.hasMessageOfType(DataSpaceMessage.class)) {
      return DatasetLoader.createDataset(storage, oh, link.name, parent);
    }
    if (oh.hasMessageOfType(DataTypeMessage.class)) {
      return new io.jhdf.CommittedDatatype(storage, link.address, link.name, parent);
    }
    return group(storage, link, parent, path);
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

  /** The NUL-terminated string at {@code offset} of a local heap. */
  private static String cString(ByteBuffer heap, int offset) {
    int end = offset;
    while (end < heap.limit() && heap.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - offset];
    heap.get(offset, bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
