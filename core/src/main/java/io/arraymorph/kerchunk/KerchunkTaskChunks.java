package io.arraymorph.kerchunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.InFileChunks;
import io.arraymorph.api.PlannedFile;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.scan.PackedLongs;
import io.arraymorph.store.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What one task needs to read its chunks of a kerchunk array with no request for the reference
 * document: the array's {@code .zarray}, and the refs of the task's chunks, compactly (each
 * distinct file URL once, then per chunk a URL index, offset and size; inline data and unusual refs
 * as their JSON text). Chunks of the task without a ref read as the fill value; a chunk outside the
 * task is refused. The task's version check is one HEAD per data file its chunks read ({@link
 * #filesRead}, as planned by {@link KerchunkDataFiles}); the reference document is not checked: the
 * task reads the refs planned, so only their data files can change under it.
 */
public final class KerchunkTaskChunks implements InFileChunks {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PlannedFile refs;
  private final String variable;
  private final byte[] zarray;
  // Packed (delta varints): a task over many files carries these for every file.
  private final PackedLongs taskChunks;
  private final PackedLongs storedChunks;
  private final String[] urls;
  private final PackedLongs urlOf;
  private final PackedLongs offsets;
  private final PackedLongs sizes;
  private final String[] raw;
  private final PlannedFile[] dataFiles;

  private KerchunkTaskChunks(
      PlannedFile refs,
      String variable,
      byte[] zarray,
      PackedLongs taskChunks,
      PackedLongs storedChunks,
      String[] urls,
      PackedLongs urlOf,
      PackedLongs offsets,
      PackedLongs sizes,
      String[] raw,
      PlannedFile[] dataFiles) {
    this.dataFiles = dataFiles;
    this.refs = refs;
    this.variable = variable;
    this.zarray = zarray;
    this.taskChunks = taskChunks;
    this.storedChunks = storedChunks;
    this.urls = urls;
    this.urlOf = urlOf;
    this.offsets = offsets;
    this.sizes = sizes;
    this.raw = raw;
  }

  /** The refs of {@code chunkCoords} of {@code ds}, taken from its parsed references. */
  static KerchunkTaskChunks of(
      KerchunkDataset ds,
      PlannedFile plannedRefs,
      Map<String, PlannedFile> plannedDataFiles,
      List<long[]> chunkCoords) {
    ChunkGrid grid = ds.grid();
    long[] task = new long[chunkCoords.size()];
    List<Long> stored = new ArrayList<>();
    List<JsonNode> refs = new ArrayList<>();
    for (int i = 0; i < task.length; i++) {
      long[] c = chunkCoords.get(i);
      task[i] = grid.linearIndex(c);
      JsonNode ref = ds.references().ref(ds.chunkKey(c));
      if (ref != null) {
        stored.add(task[i]);
        refs.add(ref);
      }
    }
    int n = refs.size();
    Map<String, Integer> urlIndex = new LinkedHashMap<>();
    Map<String, PlannedFile> dataFiles = new LinkedHashMap<>();
    long[] storedChunks = new long[n];
    long[] urlOf = new long[n];
    long[] offsets = new long[n];
    long[] sizes = new long[n];
    String[] raw = new String[n];
    for (int i = 0; i < n; i++) {
      storedChunks[i] = stored.get(i);
      JsonNode ref = refs.get(i);
      if (isRange(ref)) {
        urlOf[i] = urlIndex.computeIfAbsent(ref.get(0).asText(), u -> urlIndex.size());
        offsets[i] = ref.get(1).asLong();
        sizes[i] = ref.get(2).asInt();
      } else {
        raw[i] = ref.toString(); // inline data, a whole object or a ref that fails when read
      }
      if (ref.isArray() && !ref.isEmpty() && ref.get(0).isTextual()) {
        String url = ref.get(0).asText();
        PlannedFile file = plannedDataFiles.get(url);
        if (file == null) {
          throw new IllegalStateException("Kerchunk data file '" + url + "' was not planned");
        }
        dataFiles.putIfAbsent(url, file);
      }
    }
    return new KerchunkTaskChunks(
        plannedRefs,
        ds.path(),
        ds.zarray(),
        PackedLongs.of(task),
        PackedLongs.of(storedChunks),
        urlIndex.keySet().toArray(String[]::new),
        PackedLongs.of(urlOf),
        PackedLongs.of(offsets),
        PackedLongs.of(sizes),
        raw,
        dataFiles.values().toArray(PlannedFile[]::new));
  }

  /** Whether a ref is {@code [url, offset, size]} with a size that fits the compact form. */
  private static boolean isRange(JsonNode ref) {
    return ref.isArray()
        && ref.size() == 3
        && ref.get(0).isTextual()
        && ref.get(1).canConvertToLong()
        && ref.get(2).canConvertToInt()
        && ref.get(1).asLong() >= 0
        && ref.get(2).asInt() >= 0;
  }

  /** The number of the task's chunks that have a ref. */
  public int storedChunks() {
    return storedChunks.size();
  }

  @Override
  public InFileChunks forChunks(ChunkGrid grid, List<long[]> chunkCoords) {
    return this;
  }

  @Override
  public boolean resolved() {
    return true;
  }

  @Override
  public Dataset open(
      ObjectStore store, int maxInFlight, Function<String, KerchunkReferences.Location> resolve) {
    Map<String, JsonNode> refs = new HashMap<>();
    Set<String> planned = new HashSet<>();
    KerchunkDataset ds =
        new KerchunkDataset(
            KerchunkReferences.ofTask(refs, planned, resolve), variable, zarray, null, maxInFlight);
    ChunkGrid grid = ds.grid();
    for (long c : taskChunks.toArray()) {
      planned.add(ds.chunkKey(grid.chunkCoords(c)));
    }
    long[] stored = storedChunks.toArray();
    long[] url = urlOf.toArray();
    long[] at = offsets.toArray();
    long[] size = sizes.toArray();
    for (int i = 0; i < stored.length; i++) {
      refs.put(ds.chunkKey(grid.chunkCoords(stored[i])), ref(i, url, at, size));
    }
    return ds;
  }

  private JsonNode ref(int i, long[] url, long[] at, long[] size) {
    if (raw[i] != null) {
      try {
        return MAPPER.readTree(raw[i]);
      } catch (IOException e) {
        throw new ArrayMorphException("Corrupt kerchunk ref in a task: " + e.getMessage(), e);
      }
    }
    ArrayNode node = JsonNodeFactory.instance.arrayNode(3);
    return node.add(urls[(int) url[i]]).add(at[i]).add(size[i]);
  }

  @Override
  public PlannedFile plannedFile() {
    return this.refs;
  }

  /** The data files the task's chunks read, as planned (none when every ref is inline). */
  @Override
  public List<PlannedFile> filesRead() {
    return List.of(dataFiles);
  }
}
