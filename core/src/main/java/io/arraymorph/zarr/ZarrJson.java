package io.arraymorph.zarr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.arraymorph.ArrayMorphException;
import java.io.IOException;
import java.util.Map;

/** JSON reading and writing for zarr.json documents. */
final class ZarrJson {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ZarrJson() {}

  static JsonNode parse(byte[] json, String key) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || !node.isObject()) {
        throw new ArrayMorphException("Corrupt metadata at '" + key + "': not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new ArrayMorphException(
          "Corrupt metadata at '" + key + "': " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt metadata at '" + key + "': " + e.getMessage(), e);
    }
  }

  static byte[] write(Map<String, Object> document) {
    try {
      return MAPPER.writeValueAsBytes(document);
    } catch (JsonProcessingException e) {
      throw new ArrayMorphException("Cannot serialise metadata: " + e.getOriginalMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> toMap(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull()
        ? new java.util.LinkedHashMap<>()
        : MAPPER.convertValue(node, Map.class);
  }
}
