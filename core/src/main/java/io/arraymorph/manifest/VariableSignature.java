package io.arraymorph.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What must agree about one variable across a manifest's granules, by name, as readable strings
 * (they go into error messages and into the manifest's {@code variables} attribute as they are).
 */
final class VariableSignature {
  /** The signature entry holding a record variable's chunk length along the record dimension. */
  static final String RECORD_CHUNK = "record chunk";

  /**
   * The signature entry naming the group whose record dimension a variable runs along ({@code /}
   * for the root's); absent in manifests written before groups had record lengths of their own,
   * whose variables all run along one record table.
   */
  static final String RECORD_GROUP = "record dimension of";

  private VariableSignature() {}

  static Map<String, String> of(GranuleVariable v, VariableKind kind) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("kind", kind.name());
    s.put("dimensions", v.dimensions().toString());
    long[] shape = v.shape();
    if (kind.alongRecords()) {
      s.put("non-record shape", Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length)));
      s.put(RECORD_GROUP, "/" + v.firstDimensionGroup());
    } else {
      s.put("shape", Arrays.toString(shape));
    }
    if (v.isCoordinate()) {
      s.put("dtype", v.dataType());
      if (kind == VariableKind.COORDINATE) {
        s.put("values (SHA-256)", sha256(v.values()));
      }
      return s;
    }
    JsonNode z =
        ManifestJson.read(v.zarray().getBytes(StandardCharsets.UTF_8), v.name() + "/.zarray");
    s.put("dtype", z.path("dtype").asText());
    s.put("chunks", z.path("chunks").toString());
    s.put("filters", z.path("filters").toString());
    s.put("compressor", z.path("compressor").toString());
    s.put("fill value", z.path("fill_value").toString());
    if (kind == VariableKind.RECORD) {
      int chunk = z.path("chunks").get(0).asInt();
      // A granule without records (a beam without data) stores no chunk: its chunk length stands.
      s.put(RECORD_CHUNK, Long.toString(shape[0] == 0 ? chunk : Math.min(chunk, shape[0])));
    }
    return s;
  }

  /** The record chunk length of a record variable's signature. */
  static int recordChunk(Map<String, String> signature) {
    return Integer.parseInt(signature.get(RECORD_CHUNK));
  }

  /**
   * The group ("" for the root) whose record dimension the variable of {@code signature} runs
   * along: "" when the signature predates per-group record tables.
   */
  static String recordGroup(Map<String, String> signature) {
    return signature.getOrDefault(RECORD_GROUP, "/").substring(1);
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
