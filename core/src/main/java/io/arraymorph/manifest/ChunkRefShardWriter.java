package io.arraymorph.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.kerchunk.RefChunkDecoder;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrArrayMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a virtual array's chunk reference shards ({@link ChunkRefShard}) and makes its zarr.json.
 * The references are in C order of the array's chunk grid, where each granule is a whole slab of
 * record chunks, so an append only adds entries: it rewrites the last, partly filled shard (its old
 * entries carried over) and the shards after it under the new generation's names, and keeps the
 * older shards' names.
 */
final class ChunkRefShardWriter {
  private ChunkRefShardWriter() {}

  /**
   * Starts the puts of variable {@code name}'s new shards (added to {@code puts}) and returns its
   * new zarr.json.
   *
   * @param kind {@link VariableKind#RECORD} (every granule's chunks) or {@link VariableKind#STATIC}
   *     (the first granule's)
   * @param append whether the array exists (its zarr.json names its shards)
   * @param table the granule table of the variable's record group (of the first, for a static one)
   * @param filesRef how its zarr.json names that table ({@link RecordGroups#filesRef})
   */
  static byte[] write(
      ObjectStore store,
      String arrayPath,
      String name,
      CheckedCollection checked,
      VariableKind kind,
      boolean append,
      GranuleTable table,
      String filesRef,
      long generation,
      int entriesPerShard,
      List<CompletableFuture<Void>> puts) {
    GranuleVariable sample = checked.granules().get(0).variable(name);
    RefChunkDecoder decoder =
        RefChunkDecoder.parse(sample.zarray().getBytes(StandardCharsets.UTF_8), name + "/.zarray");
    long[] shape = sample.shape().clone();
    int[] chunks = decoder.grid().chunkShape().clone();
    List<GranuleIndex> sources = checked.granules();
    if (kind == VariableKind.RECORD) {
      shape[0] = table.records();
      chunks[0] = VariableSignature.recordChunk(checked.signatures().get(name));
    } else {
      sources = List.of(checked.granules().get(0));
    }
    int n = 0;
    for (GranuleIndex g : sources) {
      n += g.variable(name).offsets().length;
    }
    long oldEntries = 0;
    long[] oldShards = new long[0];
    int perShard = entriesPerShard;
    if (append) {
      JsonNode refs = transformerConfig(store, arrayPath).path("refs");
      perShard = refs.path("entries_per_shard").asInt();
      oldShards = new long[refs.path("shards").size()];
      for (int i = 0; i < oldShards.length; i++) {
        oldShards[i] = refs.path("shards").get(i).asLong();
      }
      long perRecordChunk = 1;
      for (int d = 1; d < shape.length; d++) {
        perRecordChunk *= (shape[d] + chunks[d] - 1) / chunks[d];
      }
      oldEntries = table.firstRecord() / chunks[0] * perRecordChunk;
    }
    int firstShard = (int) (oldEntries / perShard);
    int carried = (int) (oldEntries % perShard);
    long[] offsets = new long[carried + n];
    int[] sizes = new int[carried + n];
    int[] files = new int[carried + n];
    if (carried > 0) {
      String key = ManifestFormat.shardKey(arrayPath, firstShard, oldShards[firstShard]);
      ChunkRefShard old = new ChunkRefShard(Futures.join(store.get(key)), key);
      for (int i = 0; i < carried; i++) {
        ChunkRefShard.ChunkRef r = old.get(i);
        offsets[i] = r.offset();
        sizes[i] = r.length();
        files[i] = r.file();
      }
    }
    int at = carried;
    int fileId = kind == VariableKind.RECORD ? table.firstFile() : 0;
    for (GranuleIndex g : sources) {
      GranuleVariable v = g.variable(name);
      for (int i = 0; i < v.offsets().length; i++) {
        offsets[at] = v.offsets()[i];
        sizes[at] = v.sizes()[i];
        files[at] = v.offsets()[i] < 0 ? -1 : fileId;
        at++;
      }
      fileId++;
    }
    List<Long> shardGens = new ArrayList<>();
    for (int i = 0; i < firstShard; i++) {
      shardGens.add(oldShards[i]);
    }
    for (int from = 0, s = firstShard; from < offsets.length; from += perShard, s++) {
      int to = Math.min(offsets.length, from + perShard);
      puts.add(
          store.put(
              ManifestFormat.shardKey(arrayPath, s, generation),
              ChunkRefShard.encode(offsets, sizes, files, from, to)));
      shardGens.add(generation);
    }
    return zarrJson(
        arrayPath, sample, decoder, shape, chunks, filesRef, perShard, shardGens, generation);
  }

  /** An unchanged virtual array's zarr.json pointing at the new granule table. */
  static byte[] retarget(ObjectStore store, String arrayPath, String name, String filesName) {
    String key = Keys.join(arrayPath, "zarr.json");
    ObjectNode root = (ObjectNode) ManifestJson.read(Futures.join(store.get(key)), key);
    ((ObjectNode) root.path("storage_transformers").get(0).path("configuration"))
        .put("files", ManifestFormat.filesRef(name, filesName));
    return ManifestJson.toBytes(root);
  }

  private static byte[] zarrJson(
      String arrayPath,
      GranuleVariable sample,
      RefChunkDecoder decoder,
      long[] shape,
      int[] chunks,
      String filesRef,
      int perShard,
      List<Long> shardGens,
      long generation) {
    DataType type = decoder.dataType();
    NdArray fill = NdArray.wrap(type, new long[] {1}, decoder.fillValue());
    Number fillValue = type.isFloatingPoint() ? fill.getDouble(0) : fill.getLong(0);
    ArraySpec spec =
        ArraySpec.of(type, shape)
            .chunks(chunks)
            .fillValue(fillValue)
            .dimensionNames(sample.dimensions().toArray(String[]::new))
            .attributes(
                ManifestJson.stamped(ManifestJson.readMap(sample.attributes()), generation));
    ObjectNode root =
        (ObjectNode) ManifestJson.read(ZarrArrayMetadata.fromSpec(spec).toJson(), arrayPath);
    ObjectNode config = ManifestJson.MAPPER.createObjectNode();
    config.put("format", ManifestFormat.VERSION);
    config.set(
        "granule_chunk",
        ManifestJson.read(sample.zarray().getBytes(StandardCharsets.UTF_8), sample.name()));
    config.put("files", filesRef);
    ObjectNode refs = config.putObject("refs");
    refs.put("entries_per_shard", perShard);
    ArrayNode gens = refs.putArray("shards");
    shardGens.forEach(gens::add);
    ArrayNode transformers = root.putArray("storage_transformers");
    transformers.addObject().put("name", ManifestFormat.TRANSFORMER).set("configuration", config);
    return ManifestJson.toBytes(root);
  }

  private static JsonNode transformerConfig(ObjectStore store, String arrayPath) {
    String key = Keys.join(arrayPath, "zarr.json");
    return ManifestJson.read(Futures.join(store.get(key)), key)
        .path("storage_transformers")
        .get(0)
        .path("configuration");
  }
}
