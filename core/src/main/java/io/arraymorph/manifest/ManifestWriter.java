package io.arraymorph.manifest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.LocalPublications;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.engine.ArrayWriter;
import io.arraymorph.kerchunk.RefChunkDecoder;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.MissingObjects;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.Publication;
import io.arraymorph.zarr.WriterLock;
import io.arraymorph.zarr.ZarrArrayMetadata;
import io.arraymorph.zarr.ZarrDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Writes a granule manifest, or appends granules to one. Every granule is checked against the
 * others (and the manifest's) before anything is written: same variables, dtypes, chunking,
 * filters, non-record shapes and coordinate values, record lengths that fit the chunk grid, and
 * record coordinate ranges that do not overlap; a disagreement is refused naming the granule and
 * what differs. Objects are written in an order that keeps every version readable: chunk reference
 * shards and the granule table under the new generation's names, coordinate chunks, then each
 * array's zarr.json, then the group's. Writers take the manifest's writer lock.
 */
public final class ManifestWriter {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int COORDINATE_CHUNK = 65536;
  private static final int MAX_IN_FLIGHT = 16;

  private ManifestWriter() {}

  /**
   * How to write.
   *
   * @param recordDimension the dimension granules are concatenated along (CF: the unlimited {@code
   *     time} dimension)
   * @param append add granules to an existing manifest (a new one is created when there is none)
   * @param entriesPerShard chunk references per shard object
   */
  public record Options(String recordDimension, boolean append, int entriesPerShard) {
    /** Along {@code time}, creating a new manifest, 65,536 references per shard. */
    public static final Options DEFAULT =
        new Options("time", false, ManifestFormat.ENTRIES_PER_SHARD);

    public Options {
      if (recordDimension == null || recordDimension.isBlank()) {
        throw new IllegalArgumentException("The record dimension needs a name, e.g. time");
      }
      if (entriesPerShard < 1) {
        throw new IllegalArgumentException("entriesPerShard must be >= 1, got " + entriesPerShard);
      }
    }

    public Options withAppend(boolean value) {
      return new Options(recordDimension, value, entriesPerShard);
    }

    public Options withRecordDimension(String name) {
      return new Options(name, append, entriesPerShard);
    }

    public Options withEntriesPerShard(int n) {
      return new Options(recordDimension, append, n);
    }
  }

  /**
   * What was written.
   *
   * @param added granules added by this write
   * @param granules granules in the manifest now
   * @param records length of the record dimension now
   * @param generation the manifest version now published
   * @param variables the manifest's arrays
   * @param skipped variables left out of the manifest, with the reason
   */
  public record Result(
      int added,
      int granules,
      long records,
      long generation,
      List<String> variables,
      List<String> skipped) {}

  /** How a variable enters the manifest. */
  private enum Kind {
    /** Chunked along the record dimension (first): chunks referenced, granules concatenated. */
    RECORD,
    /** Chunked, without the record dimension: the first granule's chunks are referenced. */
    STATIC,
    /** 1-d along the record dimension: values copied and concatenated. */
    RECORD_COORDINATE,
    /** 1-d along another dimension: values copied once. */
    COORDINATE
  }

  /** The manifest as it stands before this write. */
  private record Existing(
      long generation,
      List<GranuleRange> granules,
      Map<String, Map<String, String>> signatures,
      Map<String, Object> groupAttributes,
      List<String> skipped) {}

  /**
   * Writes the manifest at {@code path} of {@code store} from {@code granules} (any order: they are
   * ordered by their record coordinate, else by URL), or appends them to it.
   *
   * @throws ArrayMorphException before writing anything, when a granule disagrees with the others,
   *     a manifest exists and {@code append} is off, or something else is stored there
   */
  public static Result write(
      ObjectStore store, String path, List<GranuleIndex> granules, Options options) {
    if (granules.isEmpty()) {
      throw new ArrayMorphException("No granule to index: the collection matched no file");
    }
    try (WriterLock lock =
        WriterLock.acquire(store, path, "arraymorph index", Duration.ofMinutes(30))) {
      Existing existing = existing(store, path, options);
      Plan plan = plan(granules, existing, options);
      lock.verifyHeld();
      return publish(store, path, plan, existing, options);
    }
  }

  // ---------------------------------------------------------------- existing manifest

  private static Existing existing(ObjectStore store, String path, Options options) {
    String groupKey = Keys.join(path, "zarr.json");
    byte[] group = Futures.join(MissingObjects.getOrNull(store, groupKey));
    String where = store.describe() + (path.isEmpty() ? "" : " at '" + path + "'");
    if (group == null) {
      boolean holdsObjects =
          Futures.join(store.list(path.isEmpty() ? "" : path + "/")).stream()
              .anyMatch(o -> !o.key().startsWith(WriterLock.ROOT + "/"));
      if (holdsObjects) {
        throw new ArrayMorphException(
            "Cannot write a manifest into "
                + where
                + ": it already holds objects but no manifest; choose an empty location");
      }
      return null;
    }
    JsonNode root = readJson(group, groupKey);
    JsonNode m = root.path("attributes").path(ManifestFormat.GROUP_ATTRIBUTE);
    if (!m.isObject()) {
      throw new ArrayMorphException(
          "Cannot write a manifest into "
              + where
              + ": a Zarr node that is not a granule manifest is stored there");
    }
    if (!options.append()) {
      throw new ArrayMorphException(
          "A granule manifest already exists in "
              + where
              + "; append the new granules to it (arraymorph index --append, option"
              + " append=true) or choose another location");
    }
    if (m.path("format").asInt() != ManifestFormat.VERSION) {
      throw new ArrayMorphException(
          "The manifest in "
              + where
              + " has format "
              + m.path("format")
              + ", not "
              + ManifestFormat.VERSION
              + "; write a new manifest");
    }
    if (!m.path("record_dimension").asText().equals(options.recordDimension())) {
      throw new ArrayMorphException(
          "The manifest in "
              + where
              + " concatenates along '"
              + m.path("record_dimension").asText()
              + "', not '"
              + options.recordDimension()
              + "'; append with the same record dimension");
    }
    long generation = m.path("generation").asLong();
    String filesKey = Keys.join(path, ManifestFormat.filesKey(generation));
    List<GranuleRange> table = ManifestFiles.parse(Futures.join(store.get(filesKey)), filesKey);
    Map<String, Map<String, String>> sigs =
        MAPPER.convertValue(
            m.path("variables"),
            new TypeReference<LinkedHashMap<String, Map<String, String>>>() {});
    Map<String, Object> attrs =
        MAPPER.convertValue(
            root.path("attributes"), new TypeReference<LinkedHashMap<String, Object>>() {});
    attrs.remove(ManifestFormat.GROUP_ATTRIBUTE);
    List<String> skipped = new ArrayList<>();
    m.path("skipped").forEach(s -> skipped.add(s.asText()));
    return new Existing(generation, table, sigs, attrs, skipped);
  }

  // ---------------------------------------------------------------- checking and ordering

  /** The checked write: granules in order, each variable's kind and signature. */
  private record Plan(
      List<GranuleIndex> granules,
      List<Long> recordCounts,
      Map<String, Kind> kinds,
      Map<String, Map<String, String>> signatures,
      List<String> skipped) {}

  private static Plan plan(List<GranuleIndex> input, Existing existing, Options options) {
    String rec = options.recordDimension();
    Set<String> urls = new HashSet<>();
    if (existing != null) {
      existing.granules().forEach(g -> urls.add(g.url()));
    }
    for (GranuleIndex g : input) {
      if (!urls.add(g.url())) {
        throw new ArrayMorphException(
            "Granule '"
                + g.url()
                + "' is already in the manifest (or listed twice); each"
                + " granule can be indexed once");
      }
    }
    // Order: by the record coordinate when there is one, else by URL.
    List<GranuleIndex> ordered = new ArrayList<>(input);
    ordered.sort(
        (a, b) -> {
          double[] ra = range(a.variable(rec));
          double[] rb = range(b.variable(rec));
          if (ra != null && rb != null && Double.compare(ra[0], rb[0]) != 0) {
            return Double.compare(ra[0], rb[0]);
          }
          return a.url().compareTo(b.url());
        });
    Map<String, Kind> kinds = new LinkedHashMap<>();
    Map<String, Map<String, String>> reference = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>(existing == null ? List.of() : existing.skipped());
    String referenceName;
    if (existing != null) {
      reference.putAll(existing.signatures());
      reference.forEach((name, sig) -> kinds.put(name, Kind.valueOf(sig.get("kind"))));
      referenceName = "the manifest";
    } else {
      GranuleIndex first = ordered.get(0);
      for (GranuleVariable v : first.variables()) {
        Kind kind = kind(v, rec);
        if (kind == null) {
          skipped.add(v.name() + ": the record dimension '" + rec + "' is not its first");
          continue;
        }
        kinds.put(v.name(), kind);
        reference.put(v.name(), signature(v, kind));
      }
      first.skipped().forEach(skipped::add);
      if (!kinds.containsValue(Kind.RECORD) && !kinds.containsValue(Kind.RECORD_COORDINATE)) {
        throw new ArrayMorphException(
            "Granule '"
                + first.url()
                + "' has no variable along the record dimension '"
                + rec
                + "' (its variables: "
                + first.variables().stream().map(v -> v.name() + v.dimensions()).toList()
                + "); name the record dimension (--record-dim, option record_dimension)");
      }
      referenceName = "granule '" + first.url() + "'";
    }
    List<Long> counts = new ArrayList<>();
    for (GranuleIndex g : ordered) {
      Set<String> names = new TreeSet<>();
      long records = -1;
      for (GranuleVariable v : g.variables()) {
        Kind kind = kinds.get(v.name());
        if (kind == null) {
          if (kind(v, rec) != null) {
            throw disagree(g, v.name(), "it is not in " + referenceName);
          }
          continue;
        }
        names.add(v.name());
        Map<String, String> sig = signature(v, kind);
        Map<String, String> want = reference.get(v.name());
        for (Map.Entry<String, String> e : want.entrySet()) {
          String have = sig.get(e.getKey());
          if (!e.getValue().equals(have)) {
            throw disagree(
                g,
                v.name(),
                "its "
                    + e.getKey()
                    + " is "
                    + have
                    + ", "
                    + referenceName
                    + "'s is "
                    + e.getValue());
          }
        }
        if (kind == Kind.RECORD || kind == Kind.RECORD_COORDINATE) {
          long len = v.shape()[0];
          if (records >= 0 && len != records) {
            throw disagree(
                g, v.name(), "it holds " + len + " records, other variables hold " + records);
          }
          records = len;
        }
      }
      Set<String> missing = new TreeSet<>(kinds.keySet());
      missing.removeAll(names);
      if (!missing.isEmpty()) {
        throw disagree(g, missing.iterator().next(), "the granule lacks it");
      }
      for (GranuleVariable v : g.variables()) {
        if (kinds.get(v.name()) == Kind.RECORD) {
          int chunk = Integer.parseInt(reference.get(v.name()).get("record chunk"));
          if (records % chunk != 0) {
            throw disagree(
                g,
                v.name(),
                "the granule holds "
                    + records
                    + " records, not a multiple of the record chunk length "
                    + chunk
                    + ", so its chunks cannot be placed in the manifest's chunk grid");
          }
        }
      }
      counts.add(records);
    }
    checkRanges(ordered, existing, rec);
    return new Plan(ordered, counts, kinds, reference, skipped);
  }

  private static Kind kind(GranuleVariable v, String rec) {
    boolean along = !v.dimensions().isEmpty() && v.dimensions().get(0).equals(rec);
    if (v.isCoordinate()) {
      return along ? Kind.RECORD_COORDINATE : Kind.COORDINATE;
    }
    if (along) {
      return Kind.RECORD;
    }
    return v.dimensions().contains(rec) ? null : Kind.STATIC;
  }

  /** What must agree across granules, by name, as readable strings. */
  private static Map<String, String> signature(GranuleVariable v, Kind kind) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("kind", kind.name());
    s.put("dimensions", v.dimensions().toString());
    long[] shape = v.shape();
    if (kind == Kind.RECORD || kind == Kind.RECORD_COORDINATE) {
      s.put("non-record shape", Arrays.toString(Arrays.copyOfRange(shape, 1, shape.length)));
    } else {
      s.put("shape", Arrays.toString(shape));
    }
    if (v.isCoordinate()) {
      s.put("dtype", v.dataType());
      if (kind == Kind.COORDINATE) {
        s.put("values (SHA-256)", sha256(v.values()));
      }
      return s;
    }
    JsonNode z = readJson(v.zarray().getBytes(StandardCharsets.UTF_8), v.name() + "/.zarray");
    s.put("dtype", z.path("dtype").asText());
    s.put("chunks", z.path("chunks").toString());
    s.put("filters", z.path("filters").toString());
    s.put("compressor", z.path("compressor").toString());
    s.put("fill value", z.path("fill_value").toString());
    if (kind == Kind.RECORD) {
      int chunk = z.path("chunks").get(0).asInt();
      s.put("record chunk", Long.toString(Math.min(chunk, shape[0])));
    }
    return s;
  }

  /** Refuses when record coordinate ranges overlap (the granules are in order). */
  private static void checkRanges(List<GranuleIndex> ordered, Existing existing, String rec) {
    String prevUrl = null;
    double prevMax = Double.NaN;
    if (existing != null && !existing.granules().isEmpty()) {
      for (GranuleRange g : existing.granules()) {
        if (!(g.max(rec) <= prevMax)) {
          prevMax = g.max(rec);
          prevUrl = g.url();
        }
      }
    }
    for (GranuleIndex g : ordered) {
      double[] r = range(g.variable(rec));
      if (r == null || Double.isNaN(r[0])) {
        continue;
      }
      if (prevUrl != null && r[0] <= prevMax) {
        throw new ArrayMorphException(
            "Granule '"
                + g.url()
                + "' has "
                + rec
                + " from "
                + r[0]
                + " to "
                + r[1]
                + ", which overlaps granule '"
                + prevUrl
                + "' (up to "
                + prevMax
                + "); a manifest concatenates granules whose "
                + rec
                + " ranges follow one another"
                + (existing == null
                    ? ""
                    : " (an append must follow the manifest's last " + rec + ")")
                + ": leave the duplicate granule out");
      }
      prevMax = r[1];
      prevUrl = g.url();
    }
  }

  private static ArrayMorphException disagree(GranuleIndex g, String variable, String what) {
    return new ArrayMorphException(
        "Granule '"
            + g.url()
            + "' disagrees with the collection on variable '"
            + variable
            + "': "
            + what
            + ". Nothing was written; leave this granule out or index it into another"
            + " manifest");
  }

  /** {@code [min, max]} of a coordinate's values (NaN skipped), or null when not a coordinate. */
  static double[] range(GranuleVariable v) {
    if (v == null || !v.isCoordinate()) {
      return null;
    }
    NdArray a = values(v);
    double min = Double.NaN;
    double max = Double.NaN;
    for (int i = 0; i < a.size(); i++) {
      double x = a.getDouble(i);
      if (Double.isNaN(x)) {
        continue;
      }
      min = Double.isNaN(min) ? x : Math.min(min, x);
      max = Double.isNaN(max) ? x : Math.max(max, x);
    }
    return new double[] {min, max};
  }

  private static NdArray values(GranuleVariable v) {
    return NdArray.wrap(DataType.fromZarrName(v.dataType()), v.shape(), v.values());
  }

  // ---------------------------------------------------------------- writing

  private static Result publish(
      ObjectStore store, String path, Plan plan, Existing existing, Options options) {
    long generation = existing == null ? 1 : existing.generation() + 1;
    List<GranuleRange> table = new ArrayList<>(existing == null ? List.of() : existing.granules());
    long records = table.isEmpty() ? 0 : table.get(table.size() - 1).recordEnd();
    long firstRecord = records;
    int firstFile = table.size();
    for (int i = 0; i < plan.granules().size(); i++) {
      GranuleIndex g = plan.granules().get(i);
      long count = plan.recordCounts().get(i);
      Map<String, double[]> ranges = new LinkedHashMap<>();
      for (GranuleVariable v : g.variables()) {
        if (plan.kinds().containsKey(v.name()) && v.isCoordinate()) {
          ranges.put(v.name(), range(v));
        }
      }
      table.add(new GranuleRange(table.size(), g.url(), records, count, ranges));
      records += count;
    }
    String filesName = ManifestFormat.filesKey(generation);
    List<CompletableFuture<Void>> puts = new ArrayList<>();
    Map<String, byte[]> arrayMetadata = new LinkedHashMap<>();
    GranuleIndex first = plan.granules().get(0);
    for (Map.Entry<String, Kind> e : plan.kinds().entrySet()) {
      String name = e.getKey();
      String arrayPath = Keys.join(path, name);
      switch (e.getValue()) {
        case RECORD, STATIC -> {
          if (e.getValue() == Kind.STATIC && existing != null) {
            // Unchanged: the first granule's chunks stay referenced; only the table version moves.
            arrayMetadata.put(arrayPath, retarget(store, arrayPath, filesName));
            continue;
          }
          arrayMetadata.put(
              arrayPath,
              virtualArray(
                  store,
                  arrayPath,
                  name,
                  plan,
                  e.getValue(),
                  existing != null,
                  records,
                  firstRecord,
                  firstFile,
                  filesName,
                  generation,
                  options,
                  puts));
        }
        case RECORD_COORDINATE ->
            arrayMetadata.put(
                arrayPath,
                recordCoordinate(
                    store,
                    arrayPath,
                    name,
                    plan,
                    existing != null,
                    firstRecord,
                    records,
                    generation));
        case COORDINATE -> {
          if (existing == null) {
            arrayMetadata.put(arrayPath, coordinate(store, arrayPath, first.variable(name)));
          }
        }
      }
    }
    puts.forEach(Futures::join);
    Futures.join(
        store.put(
            Keys.join(path, filesName), ManifestFiles.toJson(options.recordDimension(), table)));
    for (Map.Entry<String, byte[]> m : arrayMetadata.entrySet()) {
      Futures.join(store.put(Keys.join(m.getKey(), "zarr.json"), m.getValue()));
    }
    Map<String, Object> attrs =
        existing == null ? readMap(first.attributes()) : existing.groupAttributes();
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("format", ManifestFormat.VERSION);
    manifest.put("record_dimension", options.recordDimension());
    manifest.put("generation", generation);
    manifest.put("files", filesName);
    manifest.put("granules", table.size());
    manifest.put("records", records);
    manifest.put("variables", plan.signatures());
    manifest.put("skipped", plan.skipped());
    Map<String, Object> groupAttrs = new LinkedHashMap<>(attrs);
    groupAttrs.put(ManifestFormat.GROUP_ATTRIBUTE, manifest);
    ObjectNode group = MAPPER.createObjectNode();
    group.put("zarr_format", 3);
    group.put("node_type", "group");
    group.set("attributes", MAPPER.valueToTree(groupAttrs));
    Futures.join(store.put(Keys.join(path, "zarr.json"), toBytes(group)));
    LocalPublications.changed(); // a DataFrame of this JVM loaded on the manifest reopens it
    return new Result(
        plan.granules().size(),
        table.size(),
        records,
        generation,
        List.copyOf(plan.kinds().keySet()),
        plan.skipped());
  }

  /** Writes a virtual array's new shards and returns its new zarr.json. */
  private static byte[] virtualArray(
      ObjectStore store,
      String arrayPath,
      String name,
      Plan plan,
      Kind kind,
      boolean append,
      long records,
      long firstRecord,
      int firstFile,
      String filesName,
      long generation,
      Options options,
      List<CompletableFuture<Void>> puts) {
    GranuleVariable sample = plan.granules().get(0).variable(name);
    RefChunkDecoder decoder =
        RefChunkDecoder.parse(sample.zarray().getBytes(StandardCharsets.UTF_8), name + "/.zarray");
    long[] shape = sample.shape().clone();
    int[] chunks = decoder.grid().chunkShape().clone();
    List<GranuleIndex> sources = plan.granules();
    if (kind == Kind.RECORD) {
      shape[0] = records;
      chunks[0] = Integer.parseInt(plan.signatures().get(name).get("record chunk"));
    } else {
      sources = List.of(plan.granules().get(0));
    }
    // The new references, in C order: granules are whole record-chunk slabs of the grid.
    int n = 0;
    for (GranuleIndex g : sources) {
      n += g.variable(name).offsets().length;
    }
    int e = options.entriesPerShard();
    long oldEntries = 0;
    long[] oldShards = new long[0];
    int perShard = e;
    if (append) {
      JsonNode config = transformerConfig(store, arrayPath);
      perShard = config.path("refs").path("entries_per_shard").asInt();
      oldShards = new long[config.path("refs").path("shards").size()];
      for (int i = 0; i < oldShards.length; i++) {
        oldShards[i] = config.path("refs").path("shards").get(i).asLong();
      }
      long perRecordChunk = 1;
      for (int d = 1; d < shape.length; d++) {
        perRecordChunk *= (shape[d] + chunks[d] - 1) / chunks[d];
      }
      oldEntries = firstRecord / chunks[0] * perRecordChunk;
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
    int fileId = kind == Kind.RECORD ? firstFile : 0;
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
    DataType type = decoder.dataType();
    NdArray fill = NdArray.wrap(type, new long[] {1}, decoder.fillValue());
    Number fillValue = type.isFloatingPoint() ? fill.getDouble(0) : fill.getLong(0);
    ArraySpec spec =
        ArraySpec.of(type, shape)
            .chunks(chunks)
            .fillValue(fillValue)
            .dimensionNames(sample.dimensions().toArray(String[]::new))
            .attributes(stamped(readMap(sample.attributes()), generation));
    ObjectNode root = (ObjectNode) readJson(ZarrArrayMetadata.fromSpec(spec).toJson(), arrayPath);
    ObjectNode config = MAPPER.createObjectNode();
    config.put("format", ManifestFormat.VERSION);
    config.set("granule_chunk", readJson(sample.zarray().getBytes(StandardCharsets.UTF_8), name));
    config.put("files", filesName);
    ObjectNode refs = config.putObject("refs");
    refs.put("entries_per_shard", perShard);
    ArrayNode gens = refs.putArray("shards");
    shardGens.forEach(gens::add);
    ArrayNode transformers = root.putArray("storage_transformers");
    transformers.addObject().put("name", ManifestFormat.TRANSFORMER).set("configuration", config);
    return toBytes(root);
  }

  /** An unchanged virtual array's zarr.json pointing at the new granule table. */
  private static byte[] retarget(ObjectStore store, String arrayPath, String filesName) {
    String key = Keys.join(arrayPath, "zarr.json");
    ObjectNode root = (ObjectNode) readJson(Futures.join(store.get(key)), key);
    ((ObjectNode) root.path("storage_transformers").get(0).path("configuration"))
        .put("files", filesName);
    return toBytes(root);
  }

  private static JsonNode transformerConfig(ObjectStore store, String arrayPath) {
    String key = Keys.join(arrayPath, "zarr.json");
    return readJson(Futures.join(store.get(key)), key)
        .path("storage_transformers")
        .get(0)
        .path("configuration");
  }

  /** Writes the record coordinate's new values and returns its new zarr.json. */
  private static byte[] recordCoordinate(
      ObjectStore store,
      String arrayPath,
      String name,
      Plan plan,
      boolean append,
      long firstRecord,
      long records,
      long generation) {
    GranuleVariable sample = plan.granules().get(0).variable(name);
    DataType type = DataType.fromZarrName(sample.dataType());
    long added = records - firstRecord;
    NdArray values = NdArray.allocate(type, added);
    int at = 0;
    for (GranuleIndex g : plan.granules()) {
      byte[] v = g.variable(name).values();
      System.arraycopy(v, 0, values.bytes(), at, v.length);
      at += v.length;
    }
    ZarrArrayMetadata meta;
    if (append) {
      String key = Keys.join(arrayPath, "zarr.json");
      meta = ZarrArrayMetadata.parse(Futures.join(store.get(key)), key);
      Map<String, Object> attrs = stamped(meta.attributes(), generation);
      meta = meta.withShape(new long[] {records}).withAttributes(attrs);
    } else {
      meta = coordinateMetadata(sample, records, generation);
    }
    // Chunks only: the manifest job publishes every array's zarr.json itself, under its own lock.
    ZarrDataset ds = new ZarrDataset(store, arrayPath, meta, MAX_IN_FLIGHT);
    new ArrayWriter(ds, MAX_IN_FLIGHT).write(new long[] {firstRecord}, values);
    return meta.toJson();
  }

  /** Writes a non-record coordinate (values of the first granule) and returns its zarr.json. */
  private static byte[] coordinate(ObjectStore store, String arrayPath, GranuleVariable v) {
    ZarrArrayMetadata meta = coordinateMetadata(v, v.shape()[0], 1);
    ZarrDataset ds = new ZarrDataset(store, arrayPath, meta, MAX_IN_FLIGHT);
    new ArrayWriter(ds, MAX_IN_FLIGHT).write(new long[] {0}, values(v));
    return meta.toJson();
  }

  private static ZarrArrayMetadata coordinateMetadata(
      GranuleVariable v, long length, long generation) {
    ArraySpec spec =
        ArraySpec.of(DataType.fromZarrName(v.dataType()), length)
            .chunks((int) Math.max(1, Math.min(COORDINATE_CHUNK, length)))
            .compression(ArraySpec.Compression.GZIP)
            .dimensionNames(v.dimensions().toArray(String[]::new))
            .attributes(stamped(readMap(v.attributes()), generation));
    return ZarrArrayMetadata.fromSpec(spec);
  }

  private static Map<String, Object> stamped(Map<String, Object> attrs, long generation) {
    Map<String, Object> out = new LinkedHashMap<>(attrs);
    out.put(Publication.ATTRIBUTE, Map.of("generation", generation, "state", "stable"));
    return out;
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode readJson(byte[] json, String where) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt JSON at '" + where + "': " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> readMap(String json) {
    try {
      return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt attributes: " + e.getMessage(), e);
    }
  }

  private static byte[] toBytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new ArrayMorphException("Cannot write JSON: " + e.getMessage(), e);
    }
  }
}
