package io.arraymorph.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.ArrayMorphException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading a zarr.json of unknown node type, and writing group metadata. */
public final class ZarrNodes {
  private ZarrNodes() {}

  /** A parsed node: an array's metadata, or a group's attributes. */
  public record Node(ZarrArrayMetadata array, Map<String, Object> groupAttributes) {
    public boolean isArray() {
      return array != null;
    }
  }

  /**
   * Parses a zarr.json of either node type.
   *
   * @throws ArrayMorphException naming the key when it is not valid Zarr v3 metadata
   */
  public static Node parse(byte[] json, String key) {
    JsonNode root = ZarrJson.parse(json, key);
    String type = root.path("node_type").asText();
    if (type.equals("array")) {
      return new Node(ZarrArrayMetadata.parse(json, key), null);
    }
    if (type.equals("group")) {
      if (root.path("zarr_format").asInt() != 3) {
        throw new ArrayMorphException(
            "Invalid Zarr metadata at '" + key + "': zarr_format must be 3");
      }
      return new Node(null, ZarrJson.toMap(root.get("attributes")));
    }
    throw new ArrayMorphException(
        "Invalid Zarr metadata at '"
            + key
            + "': node_type must be 'array' or 'group', not '"
            + type
            + "'");
  }

  /** The zarr.json of a group. */
  public static byte[] groupJson(Map<String, Object> attributes) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("zarr_format", 3);
    doc.put("node_type", "group");
    doc.put("attributes", attributes);
    return ZarrJson.write(doc);
  }
}
