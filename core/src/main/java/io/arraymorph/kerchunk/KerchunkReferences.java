package io.arraymorph.kerchunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.store.Futures;
import io.arraymorph.store.MissingObjects;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.v2.ZarrV2Metadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A parsed kerchunk reference document (version 1, or the bare version 0 mapping) over the store
 * that holds the referenced files. Each ref is a JSON string (inline data; a {@code base64:} prefix
 * means base64), {@code [url]} (a whole object) or {@code [url, offset, size]} (a byte range). URLs
 * become store keys through a function; by default a URL with a scheme ({@code s3://b/x.h5}, {@code
 * file:///d/x.h5}) maps to its file name and a relative one is used as it is.
 *
 * <pre>{@code
 * KerchunkReferences refs = KerchunkReferences.read(store, "data.h5.json");
 * Dataset t = refs.dataset("temperature");
 * }</pre>
 */
public final class KerchunkReferences {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int MAX_IN_FLIGHT = 16;

  private final Map<String, JsonNode> refs;
  private final Function<String, Location> resolve;
  private final Set<String> planned;

  /** Where a ref's URL points: an object of a store. */
  public record Location(ObjectStore store, String key) {}

  private KerchunkReferences(
      Map<String, JsonNode> refs, Function<String, Location> resolve, Set<String> planned) {
    this.refs = refs;
    this.resolve = resolve;
    this.planned = planned;
  }

  /**
   * The refs one task carries ({@link KerchunkTaskChunks}): a fetch of a key outside {@code
   * planned} fails instead of reading as the fill value, which would be silently wrong.
   */
  static KerchunkReferences ofTask(
      Map<String, JsonNode> refs, Set<String> planned, Function<String, Location> resolve) {
    return new KerchunkReferences(refs, resolve, planned);
  }

  /** Reads the references at {@code key} with one GET; the files they name are in {@code store}. */
  public static KerchunkReferences read(ObjectStore store, String key) {
    return parse(Futures.join(store.get(key)), store, KerchunkReferences::defaultKey);
  }

  /** Parses a reference document; {@code urlToKey} maps a ref's URL to a key of {@code store}. */
  public static KerchunkReferences parse(
      byte[] json, ObjectStore store, Function<String, String> urlToKey) {
    return parse(json, url -> new Location(store, urlToKey.apply(url)));
  }

  /**
   * Parses a reference document whose URLs may name files in different stores; {@code resolve} maps
   * a ref's URL to its store and key (e.g. {@link KerchunkUrlStores}) and may throw to reject it.
   */
  public static KerchunkReferences parse(byte[] json, Function<String, Location> resolve) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt kerchunk references: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ArrayMorphException("Kerchunk references must be a JSON object");
    }
    JsonNode refs = root;
    if (root.has("version")) {
      if (root.get("version").asInt() != 1) {
        throw new ArrayMorphException(
            "Unsupported kerchunk references version " + root.get("version"));
      }
      if (root.has("templates") || root.has("gen")) {
        throw new ArrayMorphException("Kerchunk 'templates' and 'gen' are not supported");
      }
      refs = root.path("refs");
    }
    Map<String, JsonNode> map = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = refs.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      map.put(e.getKey(), e.getValue());
    }
    return new KerchunkReferences(map, resolve, null);
  }

  /** The default URL mapping: a URL with a scheme becomes its file name, a relative one stays. */
  public static String defaultKey(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url.startsWith("/") ? url.substring(1) : url;
    }
    return url.substring(url.lastIndexOf('/') + 1);
  }

  /** The arrays: every prefix with a {@code .zarray}, sorted. */
  public List<String> variables() {
    List<String> out = new ArrayList<>();
    for (String k : refs.keySet()) {
      if (k.equals(".zarray")) {
        out.add("");
      } else if (k.endsWith("/.zarray")) {
        out.add(k.substring(0, k.length() - "/.zarray".length()));
      }
    }
    out.sort(null);
    return out;
  }

  /** The groups: every prefix with a {@code .zgroup} ({@code ""} is the root), sorted. */
  public List<String> groups() {
    List<String> out = new ArrayList<>();
    for (String k : refs.keySet()) {
      if (k.equals(".zgroup")) {
        out.add("");
      } else if (k.endsWith("/.zgroup")) {
        out.add(k.substring(0, k.length() - "/.zgroup".length()));
      }
    }
    out.sort(null);
    return out;
  }

  /** The attributes ({@code .zattrs}) of a group or array, empty when it has none. */
  public Map<String, Object> attributes(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    String key = p.isEmpty() ? ".zattrs" : p + "/.zattrs";
    byte[] json = inline(key);
    return json == null ? Map.of() : ZarrV2Metadata.parseAttributes(json, key);
  }

  /**
   * The URLs of the files the chunk refs of array {@code variable} read ({@code [url]} and {@code
   * [url, offset, size]} refs), each once, in ref order.
   */
  public Set<String> dataUrls(String variable) {
    String v = variable.startsWith("/") ? variable.substring(1) : variable;
    String prefix = v.isEmpty() ? "" : v + "/";
    Set<String> urls = new java.util.LinkedHashSet<>();
    for (Map.Entry<String, JsonNode> e : refs.entrySet()) {
      String k = e.getKey();
      JsonNode ref = e.getValue();
      if (k.startsWith(prefix)
          && CHUNK_KEY.matcher(k.substring(prefix.length())).matches()
          && ref.isArray()
          && !ref.isEmpty()
          && ref.get(0).isTextual()) {
        urls.add(ref.get(0).asText());
      }
    }
    return urls;
  }

  private static final java.util.regex.Pattern CHUNK_KEY =
      java.util.regex.Pattern.compile("[0-9]+([./][0-9]+)*");

  /** These refs, their URLs resolved through {@code resolve} instead. */
  KerchunkReferences resolvingWith(Function<String, Location> resolve) {
    return new KerchunkReferences(refs, resolve, planned);
  }

  /** Where a ref's URL points. */
  Location locate(String url) {
    return resolve.apply(url);
  }

  /** The raw ref of {@code key}, or null. */
  public JsonNode ref(String key) {
    return refs.get(key);
  }

  /** The array {@code variable} (e.g. {@code group/name}) as a read-only dataset. */
  public KerchunkDataset dataset(String variable) {
    String v = variable.startsWith("/") ? variable.substring(1) : variable;
    String prefix = v.isEmpty() ? "" : v + "/";
    byte[] zarray = inline(prefix + ".zarray");
    if (zarray == null) {
      throw new ArrayMorphException("No array '" + v + "' in the kerchunk references");
    }
    byte[] zattrs = inline(prefix + ".zattrs");
    return new KerchunkDataset(this, v, zarray, zattrs, MAX_IN_FLIGHT);
  }

  /** A metadata document, which kerchunk always stores inline. */
  private byte[] inline(String key) {
    JsonNode ref = refs.get(key);
    if (ref == null) {
      return null;
    }
    if (!ref.isTextual()) {
      return Futures.join(fetch(key));
    }
    return decodeInline(ref.asText());
  }

  private static byte[] decodeInline(String text) {
    if (text.startsWith("base64:")) {
      return Base64.getDecoder().decode(text.substring("base64:".length()));
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The bytes a ref points at: inline data, one ranged GET or one GET of the whole object.
   * Completes with null when there is no such ref or the referenced object does not exist.
   */
  CompletableFuture<byte[]> fetch(String key) {
    if (planned != null && !planned.contains(key)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "Chunk '"
                  + key
                  + "' was not planned for this task; reopen the references to read it"));
    }
    JsonNode ref = refs.get(key);
    if (ref == null) {
      return CompletableFuture.completedFuture(null);
    }
    if (ref.isTextual()) {
      return CompletableFuture.completedFuture(decodeInline(ref.asText()));
    }
    if (!ref.isArray() || (ref.size() != 1 && ref.size() != 3) || !ref.get(0).isTextual()) {
      return CompletableFuture.failedFuture(
          new ArrayMorphException("Unsupported kerchunk ref '" + key + "': " + ref));
    }
    Location at;
    try {
      at = resolve.apply(ref.get(0).asText());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // a URL ArrayMorph cannot resolve
    }
    if (ref.size() == 1) {
      return MissingObjects.getOrNull(at.store(), at.key());
    }
    long offset = ref.get(1).asLong();
    int size = Math.toIntExact(ref.get(2).asLong());
    return MissingObjects.getRangeOrNull(at.store(), at.key(), offset, size)
        .thenApply(
            b -> {
              if (b != null && b.length != size) {
                throw new ArrayMorphException(
                    "Ref '" + key + "': read " + b.length + " of " + size + " bytes");
              }
              return b;
            });
  }
}
