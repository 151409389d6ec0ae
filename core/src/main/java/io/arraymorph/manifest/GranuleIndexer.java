package io.arraymorph.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.kerchunk.KerchunkWriter;
import io.arraymorph.store.ObjectStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads one granule's metadata and chunk index for a manifest. The chunk references come from
 * {@link KerchunkWriter} (the same HDF5-filter-to-Zarr mapping kerchunk uses), so a manifest
 * decodes chunks exactly as kerchunk references do; 1-d variables (coordinates) are read whole.
 * Variables of NetCDF-4 sub-groups are indexed under their path ({@code group/sub/var}), with their
 * dimensions named as netCDF names them (found in the variable's group or an ancestor).
 */
public final class GranuleIndexer {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** HDF5 dimension-scale bookkeeping, which xarray does not show either. */
  private static final Set<String> SCALE_ATTRIBUTES = Set.of("CLASS", "NAME", "_ARRAY_DIMENSIONS");

  private GranuleIndexer() {}

  /**
   * Indexes the granule stored at {@code key} of {@code store}.
   *
   * @param url the granule's absolute location, which the manifest records and chunk reads open
   * @throws ArrayMorphException naming the granule when it cannot be read as HDF5/NetCDF4
   */
  public static GranuleIndex index(ObjectStore store, String key, String url) {
    try (Hdf5File file = Hdf5File.open(store, key)) {
      return index(file, url);
    } catch (RuntimeException e) {
      throw new ArrayMorphException("Cannot index granule '" + url + "': " + e.getMessage(), e);
    }
  }

  private static GranuleIndex index(Hdf5File file, String url) {
    KerchunkWriter.Result refs =
        KerchunkWriter.write(file, url, KerchunkWriter.Options.DEFAULT.withInlineThreshold(0));
    ObjectNode refMap = (ObjectNode) refs.references().get("refs");
    List<String> skipped = new ArrayList<>();
    refs.skipped().forEach(s -> skipped.add(s.path() + ": " + s.reason()));
    List<GranuleVariable> variables = new ArrayList<>();
    Map<String, String> groups = new TreeMap<>();
    List<NodeInfo> datasets = file.datasets();
    GroupScopes scopes = new GroupScopes(file, datasets);
    for (NodeInfo info : datasets) {
      String name = info.path().startsWith("/") ? info.path().substring(1) : info.path();
      if (!refs.variables().contains(name)) {
        continue; // listed in skipped with its reason
      }
      Hdf5Dataset ds = file.dataset(info.path());
      Map<String, Object> attrs = new LinkedHashMap<>(ds.attributes());
      if (file.isDimensionWithoutVariable(info.path())) {
        continue; // a dimension without a variable: nothing to read
      }
      attrs.keySet().removeAll(SCALE_ATTRIBUTES);
      attrs.keySet().removeIf(k -> k.startsWith("_Netcdf4") || k.equals("DIMENSION_LIST"));
      attrs.remove("REFERENCE_LIST");
      attrs.remove("_nc3_strict");
      String attrJson = json(attrs);
      List<String> dims = ds.dimensionNames();
      long[] shape = ds.shape();
      if (shape.length == 0) {
        skipped.add(name + ": scalar variables are not indexed");
        continue;
      }
      String shadowed = scopes.misresolvedDimension(name, dims);
      if (shadowed != null) {
        skipped.add(name + ": " + shadowed);
        continue;
      }
      addGroups(file, name, groups);
      List<String> dimGroups = scopes.definingGroups(name, dims);
      if (shape.length == 1) {
        byte[] values = ds.read().bytes();
        variables.add(
            new GranuleVariable(
                name,
                dims,
                shape,
                null,
                attrJson,
                null,
                null,
                ds.dataType().zarrName(),
                values,
                dimGroups));
        continue;
      }
      String zarray = refMap.get(name + "/.zarray").asText();
      int[] chunks = chunkShape(zarray);
      long[] grid = new long[shape.length];
      long count = 1;
      for (int d = 0; d < shape.length; d++) {
        grid[d] = (shape[d] + chunks[d] - 1) / chunks[d];
        count = Math.multiplyExact(count, grid[d]);
      }
      long[] offsets = new long[Math.toIntExact(count)];
      int[] sizes = new int[offsets.length];
      Arrays.fill(offsets, -1);
      String reason = chunkRefs(refMap, name, grid, offsets, sizes);
      if (reason != null) {
        skipped.add(name + ": " + reason);
        continue;
      }
      variables.add(
          new GranuleVariable(
              name, dims, shape, zarray, attrJson, offsets, sizes, null, null, dimGroups));
    }
    Map<String, Object> global = new LinkedHashMap<>(file.attributes("/"));
    global.keySet().removeIf(k -> k.startsWith("_NCProperties") || k.startsWith("_Netcdf4"));
    // The size and tag the file was opened with: what chunk reads check they still read.
    return new GranuleIndex(
        url,
        json(global),
        List.copyOf(variables),
        List.copyOf(skipped),
        file.size(),
        file.tag(),
        Map.copyOf(groups));
  }

  /** Adds the attributes of every group above variable {@code name} (not the root) to groups. */
  private static void addGroups(Hdf5File file, String name, Map<String, String> groups) {
    for (String g = ManifestFormat.parentGroup(name);
        !g.isEmpty();
        g = ManifestFormat.parentGroup(g)) {
      if (groups.containsKey(g)) {
        return; // its ancestors are there too
      }
      Map<String, Object> attrs = new LinkedHashMap<>(file.attributes("/" + g));
      attrs.keySet().removeIf(k -> k.startsWith("_Netcdf4") || k.equals("_nc3_strict"));
      groups.put(g, json(attrs));
    }
  }

  /** Fills offsets and sizes from the refs {@code name/i.j.k}, or returns why it cannot. */
  private static String chunkRefs(
      ObjectNode refMap, String name, long[] grid, long[] offsets, int[] sizes) {
    String prefix = name + "/";
    for (Iterator<Map.Entry<String, JsonNode>> it = refMap.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (!key.startsWith(prefix) || key.indexOf('/', prefix.length()) >= 0) {
        continue;
      }
      String rest = key.substring(prefix.length());
      if (rest.startsWith(".")) {
        continue; // .zarray, .zattrs
      }
      JsonNode ref = e.getValue();
      if (!ref.isArray() || ref.size() != 3) {
        return "chunk " + rest + " is stored inline (compact layout), not as a byte range";
      }
      String[] parts = rest.split("\\.", -1);
      long linear = 0;
      for (int d = 0; d < grid.length; d++) {
        linear = linear * grid[d] + Long.parseLong(parts[d]);
      }
      offsets[(int) linear] = ref.get(1).asLong();
      sizes[(int) linear] = Math.toIntExact(ref.get(2).asLong());
    }
    return null;
  }

  static int[] chunkShape(String zarray) {
    try {
      JsonNode chunks = MAPPER.readTree(zarray).path("chunks");
      int[] out = new int[chunks.size()];
      for (int d = 0; d < out.length; d++) {
        out[d] = chunks.get(d).asInt();
      }
      return out;
    } catch (JsonProcessingException e) {
      throw new ArrayMorphException("Corrupt .zarray: " + e.getMessage(), e);
    }
  }

  private static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new ArrayMorphException("Attributes cannot be written as JSON: " + e.getMessage(), e);
    }
  }
}
