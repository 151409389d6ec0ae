package io.arraymorph.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ArrayMorphException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A manifest's granule table ({@code _manifest/files.g<generation>.json}): every granule's URL, its
 * record range and its coordinate ranges, in the order granules were added (a granule's number is
 * its position). One JSON object per manifest version, read once per reader.
 */
final class ManifestFiles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ManifestFiles() {}

  static byte[] toJson(String recordDimension, List<GranuleRange> granules) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", ManifestFormat.VERSION);
    root.put("record_dimension", recordDimension);
    ArrayNode list = root.putArray("granules");
    for (GranuleRange g : granules) {
      ObjectNode n = list.addObject();
      n.put("url", g.url());
      if (g.versioned()) {
        n.put("size", g.size());
        if (g.tag() != null) {
          n.put("tag", g.tag());
        }
      }
      n.putArray("records").add(g.recordStart()).add(g.recordCount());
      ObjectNode ranges = n.putObject("ranges");
      g.coordinateRanges()
          .forEach(
              (name, r) -> {
                ArrayNode a = ranges.putArray(name);
                for (double v : r) {
                  if (Double.isNaN(v)) {
                    a.addNull();
                  } else {
                    a.add(v);
                  }
                }
              });
    }
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new ArrayMorphException("Cannot write the granule table: " + e.getMessage(), e);
    }
  }

  static List<GranuleRange> parse(byte[] json, String key) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt granule table '" + key + "': " + e.getMessage(), e);
    }
    if (root.path("format").asInt() != ManifestFormat.VERSION) {
      throw new ArrayMorphException(
          "Granule table '"
              + key
              + "' has format "
              + root.path("format")
              + "; this ArrayMorph reads format "
              + ManifestFormat.VERSION);
    }
    List<GranuleRange> out = new ArrayList<>();
    int id = 0;
    for (JsonNode n : root.path("granules")) {
      Map<String, double[]> ranges = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.path("ranges").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        ranges.put(
            e.getKey(), new double[] {number(e.getValue().get(0)), number(e.getValue().get(1))});
      }
      out.add(
          new GranuleRange(
              id++,
              n.path("url").asText(),
              n.path("records").get(0).asLong(),
              n.path("records").get(1).asLong(),
              ranges,
              n.has("size") ? n.get("size").asLong() : -1,
              n.hasNonNull("tag") ? n.get("tag").asText() : null));
    }
    return List.copyOf(out);
  }

  private static double number(JsonNode n) {
    return n == null || n.isNull() ? Double.NaN : n.asDouble();
  }
}
