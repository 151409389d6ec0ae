package io.arraymorph.manifest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.zarr.Publication;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON reading and writing the manifest writer's classes share, with their error messages. */
final class ManifestJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ManifestJson() {}

  static JsonNode read(byte[] json, String where) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt JSON at '" + where + "': " + e.getMessage(), e);
    }
  }

  static Map<String, Object> readMap(String json) {
    try {
      return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt attributes: " + e.getMessage(), e);
    }
  }

  static byte[] toBytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new ArrayMorphException("Cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** {@code attrs} with the publication stamp of {@code generation} (stable). */
  static Map<String, Object> stamped(Map<String, Object> attrs, long generation) {
    Map<String, Object> out = new LinkedHashMap<>(attrs);
    out.put(Publication.ATTRIBUTE, Map.of("generation", generation, "state", "stable"));
    return out;
  }
}
