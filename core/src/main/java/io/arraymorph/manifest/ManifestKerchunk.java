package io.arraymorph.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.DataType;
import io.arraymorph.kerchunk.KerchunkWriter;
import io.arraymorph.store.Futures;
import io.arraymorph.zarr.Publication;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a granule manifest as kerchunk version 1 references, for readers that know kerchunk
 * (fsspec's ReferenceFileSystem with zarr-python): virtual arrays become one {@code [url, offset,
 * length]} ref per chunk with the granules' filters, coordinates are inlined. A JSON document holds
 * every chunk's ref, so this suits collections of moderate size; the manifest stays the compact
 * form.
 */
public final class ManifestKerchunk {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ManifestKerchunk() {}

  /**
   * The references of every array of the manifest opened as {@code manifest} (its root).
   *
   * @throws ArrayMorphException naming the array when its chunks cannot be expressed as kerchunk
   *     references (a record chunk shorter than the granules' stored chunk)
   */
  public static byte[] export(ArrayStore manifest) {
    Map<String, Object> groupAttrs = new LinkedHashMap<>(manifest.groupAttributes(""));
    Object m = groupAttrs.remove(ManifestFormat.GROUP_ATTRIBUTE);
    if (!(m instanceof Map<?, ?> info)) {
      throw new ArrayMorphException("The location is not a granule manifest: nothing to export");
    }
    ObjectNode refs = MAPPER.createObjectNode();
    refs.put(".zgroup", "{\"zarr_format\":2}");
    refs.put(".zattrs", json(groupAttrs));
    List<String> names =
        new ArrayList<>(
            ((Map<?, ?>) info.get("variables")).keySet().stream().map(String::valueOf).toList());
    for (String group : ManifestFormat.subGroups(names)) {
      refs.put(group + "/.zgroup", "{\"zarr_format\":2}");
      refs.put(group + "/.zattrs", json(manifest.groupAttributes(group)));
    }
    for (String name : names) {
      Dataset ds = manifest.dataset(name);
      Map<String, Object> attrs = new LinkedHashMap<>(ds.attributes());
      attrs.remove(Publication.ATTRIBUTE);
      attrs.put("_ARRAY_DIMENSIONS", ds.dimensionNames());
      refs.put(name + "/.zattrs", json(attrs));
      if (ds instanceof ManifestDataset v) {
        virtual(v, name, refs);
      } else {
        inline(ds, name, refs);
      }
    }
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", 1);
    root.set("refs", refs);
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new ArrayMorphException("Cannot write kerchunk references: " + e.getMessage(), e);
    }
  }

  private static void virtual(ManifestDataset ds, String name, ObjectNode refs) {
    ObjectNode zarray = (ObjectNode) ds.granuleChunk();
    int[] granuleChunks = new int[zarray.path("chunks").size()];
    for (int d = 0; d < granuleChunks.length; d++) {
      granuleChunks[d] = zarray.path("chunks").get(d).asInt();
    }
    if (!Arrays.equals(granuleChunks, ds.chunkShape())) {
      throw new ArrayMorphException(
          "Array '"
              + name
              + "' reads the first "
              + ds.chunkShape()[0]
              + " records of chunks of "
              + granuleChunks[0]
              + ": kerchunk references cannot express that");
    }
    ArrayNode shape = zarray.putArray("shape");
    for (long s : ds.shape()) {
      shape.add(s);
    }
    refs.put(name + "/.zarray", zarray.toString());
    List<GranuleRange> table = ds.granules();
    ds.grid()
        .forEachChunk(
            coords -> {
              ChunkRefShard.ChunkRef r = Futures.join(ds.ref(coords));
              if (!r.absent()) {
                refs.putArray(name + "/" + key(coords))
                    .add(table.get(r.file()).url())
                    .add(r.offset())
                    .add(r.length());
              }
            });
  }

  /** A copied coordinate: one uncompressed chunk, inline. */
  private static void inline(Dataset ds, String name, ObjectNode refs) {
    DataType type = ds.dataType();
    ObjectNode zarray = MAPPER.createObjectNode();
    zarray.putArray("chunks").add(Math.max(1, ds.shape()[0]));
    zarray.putNull("compressor");
    zarray.put("dtype", KerchunkWriter.dtype(type, false));
    zarray.putNull("fill_value");
    zarray.putNull("filters");
    zarray.put("order", "C");
    zarray.putArray("shape").add(ds.shape()[0]);
    zarray.put("zarr_format", 2);
    refs.put(name + "/.zarray", zarray.toString());
    byte[] values = ds.read().bytes();
    refs.put(name + "/0", "base64:" + Base64.getEncoder().encodeToString(values));
  }

  private static String key(long[] coords) {
    StringBuilder sb = new StringBuilder();
    for (long c : coords) {
      sb.append(sb.length() == 0 ? "" : ".").append(c);
    }
    return sb.toString();
  }

  private static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new ArrayMorphException("Attributes cannot be written as JSON: " + e.getMessage(), e);
    }
  }
}
