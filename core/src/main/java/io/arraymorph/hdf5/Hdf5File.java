package io.arraymorph.hdf5;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.hdf5.channel.ChannelOptions;
import io.arraymorph.hdf5.channel.ChannelStats;
import io.arraymorph.hdf5.channel.StoreByteChannel;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.links.ExternalLink;
import io.jhdf.links.SoftLink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HDF5 or netCDF-4 file in an object store, read in place: metadata through jhdf over a
 * block-cached range-reading channel ({@link StoreByteChannel}), chunk data by one range request
 * per chunk. No native libhdf5 and no download of the whole file.
 *
 * <pre>{@code
 * try (Hdf5File file = Hdf5File.open(store, "climate.nc")) {
 *   Hdf5Dataset t = file.dataset("/temperature");
 *   NdArray slab = t.read(Hyperslab.box(new long[] {0, 0, 0}, new long[] {1, 10, 10}));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Datasets stay usable only while the file is open (chunk indexes are read lazily).
 */
public final class Hdf5File implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Hdf5File.class);

  private final ObjectStore store;
  private final String key;
  private final StoreByteChannel channel;
  private final HdfFile hdf;
  private final DatasetOpener opener;
  private final VirtualSources virtualSources;
  private final Map<String, Hdf5Dataset> datasets = new ConcurrentHashMap<>();
  private final Map<Long, GroupMembers> linkByLink = new ConcurrentHashMap<>();

  /** Whether the file has a shared object header message table (SOHM), checked once. */
  private final Memo<Boolean> sharedMessages;

  private Hdf5File(
      ObjectStore store,
      String key,
      StoreByteChannel channel,
      HdfFile hdf,
      Hdf5ReadOptions options) {
    this.store = store;
    this.key = key;
    this.channel = channel;
    this.hdf = hdf;
    this.sharedMessages =
        new Memo<>(
            () ->
                Jhdf.call(
                    () -> HeaderRewrite.fileHasSharedMessages(hdf.getHdfBackingStorage()),
                    key,
                    "/"));
    this.virtualSources = new VirtualSources(store, key, options, this::dataset);
    this.opener =
        new DatasetOpener(
            store,
            key,
            hdf.getHdfBackingStorage(),
            hdf.size(),
            options.contiguousChunkBytes(),
            virtualSources);
  }

  /** Opens a file with the default options. */
  public static Hdf5File open(ObjectStore store, String key) {
    return open(store, key, Hdf5ReadOptions.DEFAULT);
  }

  /** Opens a file with these channel options and the default contiguous run size. */
  public static Hdf5File open(ObjectStore store, String key, ChannelOptions channelOptions) {
    return open(store, key, Hdf5ReadOptions.DEFAULT.withChannel(channelOptions));
  }

  /**
   * Opens a file: one HEAD request for its size, then the superblock and root group through the
   * channel (normally one range request).
   *
   * @throws io.arraymorph.store.ObjectNotFoundException when the object does not exist
   * @throws Hdf5FormatException when it is not a readable HDF5 file
   */
  public static Hdf5File open(ObjectStore store, String key, Hdf5ReadOptions options) {
    ObjectInfo info =
        Futures.join(store.head(key)).orElseThrow(() -> new ObjectNotFoundException(key));
    // Every later read of the file (metadata, chunks) comes only from the version this HEAD saw,
    // where the store checks that within the reads (If-Match on S3 and Azure, a stat locally).
    ObjectStore read =
        new PlannedFile("File", key, info.size(), info.tag())
            .readFrom(store, key, store.describe());
    StoreByteChannel channel = StoreByteChannel.open(read, key, info, options.channel());
    try {
      HdfFile hdf =
          Jhdf.call(() -> BoundedJhdf.open(new WholeReadsChannel(channel), key), key, "/");
      checkNotTruncated(hdf, hdf.size(), key);
      try {
        Jhdf.call(hdf::getChildren, key, "/");
      } catch (ArrayMorphException e) {
        // A member jhdf cannot parse: the root's members are then read link by link, and that
        // fails (on first use) only if the root group itself cannot be read.
      }
      return new Hdf5File(read, key, channel, hdf, options);
    } catch (RuntimeException e) {
      channel.close();
      if (e instanceof Hdf5FormatException && e.getMessage().contains("signature")) {
        throw new Hdf5FormatException(
            "'" + key + "' in " + store.describe() + " is not an HDF5 file (no HDF5 signature)", e);
      }
      throw e;
    }
  }

  /**
   * The superblock records where the file ends; a shorter object lost its tail. libhdf5 writes that
   * address counting the user block (checked with a 512-byte user block), so it compares with the
   * size.
   */
  private static void checkNotTruncated(HdfFile hdf, long size, String key) {
    long end = hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
    if (end != -1L && end > size) {
      throw new Hdf5FormatException(
          "HDF5 file '"
              + key
              + "' is truncated: it has "
              + size
              + " bytes, its superblock says "
              + end);
    }
  }

  public String key() {
    return key;
  }

  /**
   * Reads {@code size} bytes of the file from {@code offset} (user block included) with one ranged
   * request, bypassing the metadata cache: e.g. a stored chunk as {@link Hdf5ChunkLocation} names
   * it.
   */
  public java.util.concurrent.CompletableFuture<byte[]> readBytes(long offset, int size) {
    return store.getRange(key, offset, size);
  }

  /** The file's size in bytes. */
  public long size() {
    return hdf.size();
  }

  /**
   * The file's entity tag when it was opened ({@link io.arraymorph.store.ObjectInfo#tag}), or null.
   */
  public String tag() {
    return channel.tag();
  }

  /** Requests and cache use of the metadata channel (chunk reads go to the store directly). */
  public ChannelStats metadataStats() {
    return channel.stats();
  }

  /**
   * Every group and dataset, sorted by path. Datasets this reader cannot read are listed with data
   * type {@code unsupported: <feature>} and no chunk shape (and no shape when jhdf cannot parse
   * their header at all, e.g. an opaque type with an empty tag); links (soft, external,
   * user-defined) are not followed, user-defined ones are logged as not listed. A group whose own
   * header jhdf cannot parse is listed without its attributes (see {@code Attributes}), its members
   * as usual.
   */
  public List<NodeInfo> nodes() {
    List<NodeInfo> out = new ArrayList<>();
    out.add(groupInfo(hdf, "/"));
    walk(hdf, "/", out, new HashSet<>());
    out.sort(Comparator.comparing(NodeInfo::path));
    return out;
  }

  /** The datasets of {@link #nodes()}. */
  public List<NodeInfo> datasets() {
    return nodes().stream().filter(n -> n.kind() == NodeInfo.Kind.DATASET).toList();
  }

  private void walk(Group group, String groupPath, List<NodeInfo> out, Set<Long> visited) {
    if (!visited.add(group.getAddress())) {
      return; // a hard link back to an ancestor
    }
    GroupMembers members;
    try {
      members = children(group, groupPath);
    } catch (Hdf5UnsupportedException e) {
      // Even link by link the group cannot be read: list the rest of the file. (A damaged group
      // fails the listing: its members would otherwise vanish from it.)
      LOG.warn("Not listing the members of group '{}': {}", groupPath, e.getMessage());
      return;
    }
    // Like soft and external links, user-defined links are not followed; a user-defined link
    // names no object of this file, so it is left out, with a warning since it cannot be read.
    members
        .userDefinedLinks()
        .forEach(
            (name, type) ->
                LOG.warn(
                    "Not listing '{}' in HDF5 file '{}': user-defined link (link type {})",
                    join(groupPath, name),
                    key,
                    type));
    for (Map.Entry<String, Node> e : members.nodes().entrySet()) {
      Node child = e.getValue();
      String path = join(groupPath, e.getKey());
      if (child.isLink()) {
        continue;
      }
      if (child instanceof Group g) {
        out.add(groupInfo(g, path));
        walk(g, path, out, visited);
      } else if (child instanceof io.jhdf.api.Dataset ds) {
        out.add(datasetInfo(ds, path));
      }
    }
    members
        .unreadable()
        .forEach(
            (name, e) ->
                out.add(
                    new NodeInfo(
                        join(groupPath, name),
                        NodeInfo.Kind.DATASET,
                        null,
                        e instanceof Hdf5UnsupportedException u
                            ? "unsupported: " + u.feature()
                            : "unreadable: " + e.getMessage(),
                        null,
                        null,
                        null,
                        Map.of())));
  }

  private NodeInfo datasetInfo(io.jhdf.api.Dataset ds, String path) {
    try {
      return open(ds, path).info();
    } catch (ArrayMorphException e) {
      // Listed with its reason; the rest of the file is listed as usual.
      long[] shape;
      try {
        shape = Jhdf.call(ds::getDimensionsAsLong, key, path);
      } catch (ArrayMorphException unknown) {
        shape = null;
      }
      return new NodeInfo(
          path,
          NodeInfo.Kind.DATASET,
          shape,
          e instanceof Hdf5UnsupportedException u
              ? "unsupported: " + u.feature()
              : "unreadable: " + e.getMessage(),
          null,
          null,
          null,
          Map.of());
    }
  }

  /**
   * A group's members. jhdf builds them all at once and fails the group when one member's header
   * cannot be parsed; the group is then read link by link ({@link GroupMembers}), once.
   */
  private GroupMembers children(Group group, String groupPath) {
    try {
      if (sharedMessages.get()) {
        // jhdf would misread messages kept in the shared-message heap: read link by link.
        throw new ArrayMorphException("shared object header messages");
      }
      return new GroupMembers(Jhdf.call(group::getChildren, key, groupPath));
    } catch (ArrayMorphException e) {
      // Unsupported or unparseable for jhdf: one member's header may be to blame, not the group.
      return linkByLink.computeIfAbsent(
          group.getAddress(),
          a ->
              Jhdf.call(
                  () -> GroupMembers.read(hdf.getHdfBackingStorage(), group, key, groupPath),
                  key,
                  groupPath));
    }
  }

  private NodeInfo groupInfo(Group g, String path) {
    return new NodeInfo(
        path,
        NodeInfo.Kind.GROUP,
        null,
        null,
        null,
        null,
        List.of(),
        Jhdf.call(() -> Attributes.of(g), key, path));
  }

  /**
   * The dataset at {@code path} ({@code /group/name} or {@code group/name}); soft links are
   * followed.
   *
   * @throws ArrayMorphException when there is no such dataset
   * @throws Hdf5UnsupportedException naming the feature when it cannot be read (external link,
   *     opaque or reference type, a filter with no decoder, ...)
   */
  public Hdf5Dataset dataset(String path) {
    String p = normalize(path);
    Hdf5Dataset cached = datasets.get(p);
    if (cached != null) {
      return cached;
    }
    Node node = resolve(p);
    if (!(node instanceof io.jhdf.api.Dataset ds)) {
      throw new ArrayMorphException("'" + p + "' in HDF5 file '" + key + "' is a group");
    }
    return open(ds, p);
  }

  /**
   * Whether the dataset at {@code path} is netCDF-4's placeholder for a dimension that has no
   * coordinate variable (a dimension scale named "This is a netCDF dimension but not a netCDF
   * variable"): it holds no values a netCDF reader shows.
   */
  public boolean isDimensionWithoutVariable(String path) {
    String p = normalize(path);
    Node node = resolve(p);
    return Jhdf.call(() -> DimensionNames.isPlaceholder(node), key, p);
  }

  /** The user attributes of the group or dataset at {@code path}. */
  public Map<String, Object> attributes(String path) {
    String p = normalize(path);
    Node node = resolve(p);
    return Jhdf.call(() -> Attributes.of(node), key, p);
  }

  private Hdf5Dataset open(io.jhdf.api.Dataset ds, String path) {
    Hdf5Dataset cached = datasets.get(path);
    if (cached != null) {
      return cached;
    }
    // Not computeIfAbsent: a virtual dataset opens its sources in this file while being opened.
    Hdf5Dataset opened = Jhdf.call(() -> opener.open(ds, path), key, path);
    Hdf5Dataset raced = datasets.putIfAbsent(path, opened);
    return raced == null ? opened : raced;
  }

  private Node resolve(String path) {
    return resolve(path, 0);
  }

  /**
   * Walks the path one link at a time, so an external link is reported, never followed: jhdf would
   * open its target as a path on the local file system.
   */
  private Node resolve(String path, int softLinkDepth) {
    if (softLinkDepth > 16) {
      throw new Hdf5FormatException("Soft links nest deeper than 16 levels at '" + path + "'");
    }
    Node node = hdf;
    String at = "";
    for (String name : path.substring(1).split("/", -1)) {
      if (name.isEmpty()) {
        continue;
      }
      if (!(node instanceof Group group)) {
        throw noNode(path);
      }
      String groupPath = at.isEmpty() ? "/" : at;
      GroupMembers members;
      try {
        members = children(group, groupPath);
      } catch (Hdf5UnsupportedException e) {
        throw new Hdf5UnsupportedException(
            e.feature(), path, "met while listing group '" + groupPath + "'", e.getCause());
      }
      Node child = members.nodes().get(name);
      at = at + "/" + name;
      Integer userDefined = members.userDefinedLinks().get(name);
      if (userDefined != null) {
        throw new Hdf5UnsupportedException(
            "user-defined link (link type " + userDefined + ")",
            path,
            at.equals(path) ? null : "met at '" + at + "'",
            null);
      }
      ArrayMorphException unreadable = members.unreadable().get(name);
      if (unreadable != null) {
        throw unreadable instanceof Hdf5UnsupportedException u && !at.equals(path)
            ? new Hdf5UnsupportedException(u.feature(), path, "met at '" + at + "'", u)
            : unreadable;
      }
      if (child == null) {
        throw noNode(path);
      }
      if (child instanceof ExternalLink) {
        throw new Hdf5UnsupportedException("external link", at);
      }
      if (child instanceof SoftLink link) {
        String target = link.getTargetPath();
        child =
            resolve(
                normalize(target.startsWith("/") ? target : join(groupPath, target)),
                softLinkDepth + 1);
      }
      node = child;
    }
    return node;
  }

  private ArrayMorphException noNode(String path) {
    return new ArrayMorphException("No node '" + path + "' in HDF5 file '" + key + "'");
  }

  private static String normalize(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static String join(String group, String name) {
    return group.endsWith("/") ? group + name : group + "/" + name;
  }

  @Override
  public void close() {
    // All jhdf's HdfFile.close would do: external files are never opened (links are reported), and
    // jhdf's close throws for a file opened without a path (BoundedJhdf).
    virtualSources.close();
    channel.close();
  }

  @Override
  public String toString() {
    return "Hdf5File[" + key + "]";
  }
}
