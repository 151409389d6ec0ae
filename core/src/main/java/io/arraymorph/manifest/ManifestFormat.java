package io.arraymorph.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.store.Keys;
import java.io.IOException;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** Names and keys of the manifest format (docs/format.md, "Granule manifests"). */
public final class ManifestFormat {
  /** The format version this code writes and reads. */
  public static final int VERSION = 1;

  /** The storage transformer that marks a virtual array (chunks live in the granules). */
  public static final String TRANSFORMER = "arraymorph.chunk_manifest";

  /** The group attribute describing the manifest. */
  public static final String GROUP_ATTRIBUTE = "arraymorph_manifest";

  /** Default number of chunk references per shard object (1 MiB). */
  public static final int ENTRIES_PER_SHARD = 65536;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ManifestFormat() {}

  /** The group holding {@code path} (no leading slash), "" for the root's members. */
  static String parentGroup(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  /** Every sub-group (and its ancestors) holding one of {@code names}, sorted: parents first. */
  static SortedSet<String> subGroups(Iterable<String> names) {
    SortedSet<String> out = new TreeSet<>();
    for (String name : names) {
      for (String g = parentGroup(name); !g.isEmpty(); g = parentGroup(g)) {
        out.add(g);
      }
    }
    return out;
  }

  /**
   * The {@code files} entry of variable {@code name}'s array: the granule table's key relative to
   * the array's parent group ({@code ../} per sub-group level), so manifests whose arrays all sit
   * in the root, written before sub-groups were indexed, read as they are.
   */
  static String filesRef(String name, String filesName) {
    return "../".repeat((int) name.chars().filter(c -> c == '/').count()) + filesName;
  }

  /** The key of the granule table {@code ref} ({@link #filesRef}) of the array at arrayPath. */
  static String filesKey(String arrayPath, String ref) {
    String dir = parentGroup(Keys.join(arrayPath));
    String rest = ref;
    while (rest.startsWith("../")) {
      if (dir.isEmpty()) {
        throw new io.arraymorph.ArrayMorphException(
            "Corrupt manifest array '"
                + arrayPath
                + "': its granule table '"
                + ref
                + "' is outside the store");
      }
      dir = parentGroup(dir);
      rest = rest.substring(3);
    }
    return Keys.join(dir, rest);
  }

  static String filesKey(long generation) {
    return "_manifest/files.g" + generation + ".json";
  }

  static String shardKey(String arrayPath, int shard, long generation) {
    return Keys.join(arrayPath, "refs", shard + ".g" + generation);
  }

  /**
   * Why the manifest whose group zarr.json is {@code groupZarrJson} left {@code variable} out when
   * it indexed its granules (the reason its {@code skipped} list records), or empty when it is not
   * a manifest's group or did not skip that variable: how a reader explains a dataset it cannot
   * find.
   */
  public static Optional<String> skipReason(byte[] groupZarrJson, String variable) {
    String prefix = Keys.join(variable) + ": ";
    try {
      for (JsonNode s :
          MAPPER.readTree(groupZarrJson).path("attributes").path(GROUP_ATTRIBUTE).path("skipped")) {
        if (s.asText().startsWith(prefix)) {
          return Optional.of(s.asText().substring(prefix.length()));
        }
      }
    } catch (IOException e) {
      // Not a manifest's group (or not JSON): nothing to explain.
    }
    return Optional.empty();
  }

  /** Whether a zarr.json document describes a virtual array of a manifest. */
  public static boolean isVirtualArray(byte[] zarrJson) {
    // Cheap check first: most zarr.json documents have no storage transformer at all.
    if (!new String(zarrJson, java.nio.charset.StandardCharsets.UTF_8).contains(TRANSFORMER)) {
      return false;
    }
    try {
      JsonNode t = MAPPER.readTree(zarrJson).path("storage_transformers");
      return t.isArray() && t.size() == 1 && TRANSFORMER.equals(t.get(0).path("name").asText());
    } catch (IOException e) {
      return false; // the Zarr parser reports the corruption
    }
  }
}
