package io.arraymorph.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ReadOnlyDataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DataType;
import io.arraymorph.engine.ChunkPart;
import io.arraymorph.engine.ChunkSource;
import io.arraymorph.kerchunk.KerchunkReferences;
import io.arraymorph.kerchunk.RefChunkDecoder;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectChangedException;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.zarr.ZarrArrayMetadata;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A virtual array of a granule manifest, read-only: shape, dtype, chunks and attributes come from
 * its zarr.json; each chunk is one entry of a chunk reference shard (fetched once per shard and
 * kept), read by a ranged GET of the granule that holds it (a granule's nearby chunks share one:
 * {@link io.arraymorph.store.RangeGroups}) and decoded by the same {@link RefChunkDecoder} as
 * kerchunk references. Opening it makes no request; no HDF5 is parsed. Where the granule table
 * records a granule's size and tag, its chunks are read only from that version of it ({@link
 * ObjectStore#getRangesIfUnchanged}); a replaced granule fails the read naming it.
 */
public final class ManifestDataset extends ReadOnlyDataset implements ChunkSource {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ObjectStore store;
  private final ZarrArrayMetadata meta;
  private final RefChunkDecoder decoder;
  private final JsonNode granuleChunk;
  private final String filesKey;
  private final int entriesPerShard;
  private final long[] shardGenerations;
  private final Function<String, KerchunkReferences.Location> files;
  private final int chunkBytes;
  private final Map<Integer, CompletableFuture<ChunkRefShard>> shards = new ConcurrentHashMap<>();
  private volatile CompletableFuture<List<GranuleRange>> granules;

  /**
   * Builds the array from its zarr.json bytes; no request is made.
   *
   * @param store the store whose root holds the manifest's parent hierarchy
   * @param path the array's path, {@code <manifest>/<variable>}
   * @param files resolves a granule URL to the store and key to read it from
   */
  public ManifestDataset(
      ObjectStore store,
      String path,
      byte[] zarrJson,
      Function<String, KerchunkReferences.Location> files,
      int maxInFlight) {
    super(path, "a granule manifest", maxInFlight);
    this.store = store;
    this.files = files;
    String where = Keys.join(path, "zarr.json");
    ObjectNode root;
    try {
      root = (ObjectNode) MAPPER.readTree(zarrJson);
    } catch (IOException | ClassCastException e) {
      throw new ArrayMorphException("Corrupt manifest array metadata '" + where + "'", e);
    }
    JsonNode config = root.remove("storage_transformers").get(0).path("configuration");
    if (config.path("format").asInt() != ManifestFormat.VERSION) {
      throw new ArrayMorphException(
          "Manifest array '"
              + where
              + "' has format "
              + config.path("format")
              + "; this ArrayMorph reads format "
              + ManifestFormat.VERSION);
    }
    this.granuleChunk = config.path("granule_chunk");
    try {
      this.meta = ZarrArrayMetadata.parse(MAPPER.writeValueAsBytes(root), where);
      this.decoder =
          RefChunkDecoder.parse(
              MAPPER.writeValueAsBytes(config.path("granule_chunk")), where + " granule_chunk");
    } catch (IOException e) {
      throw new ArrayMorphException("Corrupt manifest array metadata '" + where + "'", e);
    }
    this.filesKey = ManifestFormat.filesKey(path, config.path("files").asText());
    JsonNode refs = config.path("refs");
    this.entriesPerShard = refs.path("entries_per_shard").asInt();
    this.shardGenerations = new long[refs.path("shards").size()];
    for (int i = 0; i < shardGenerations.length; i++) {
      shardGenerations[i] = refs.path("shards").get(i).asLong();
    }
    this.chunkBytes =
        Math.toIntExact(meta.grid().chunkElements() * (long) meta.dataType().byteSize());
    if (chunkBytes > decoder.chunkBytes()) {
      throw new ArrayMorphException(
          "Corrupt manifest array '" + where + "': its chunks are larger than the granules'");
    }
  }

  /**
   * Every granule of the manifest version this array belongs to: its record-index range and the
   * min/max of each 1-d coordinate, for pruning granules by coordinate values. One GET, made once.
   */
  public List<GranuleRange> granules() {
    return Futures.join(granuleTable());
  }

  private CompletableFuture<List<GranuleRange>> granuleTable() {
    CompletableFuture<List<GranuleRange>> g = granules;
    if (g == null) {
      synchronized (this) {
        g = granules;
        if (g == null) {
          g = store.get(filesKey).thenApply(b -> ManifestFiles.parse(b, filesKey));
          granules = g;
        }
      }
    }
    return g;
  }

  @Override
  public ChunkGrid grid() {
    return meta.grid();
  }

  @Override
  public DataType dataType() {
    return meta.dataType();
  }

  @Override
  public byte[] fillValue() {
    return meta.fillValue();
  }

  @Override
  public List<String> dimensionNames() {
    return meta.dimensionNames();
  }

  @Override
  public Map<String, Object> attributes() {
    return meta.attributes();
  }

  @Override
  public ChunkSource chunkSource() {
    return this;
  }

  @Override
  public String codecDescription() {
    return "granule manifest, " + decoder.description();
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] coords) {
    return read(coords, 0, chunkBytes);
  }

  /**
   * Decodes only the selection's part where the granules' chunks allow it ({@link
   * RefChunkDecoder#decode(String, byte[], long, long)}): a point series needs one element of each
   * chunk.
   */
  @Override
  public CompletableFuture<byte[]> readChunk(ChunkSelection selection) {
    long[] range = elementRange(selection);
    int size = meta.dataType().byteSize();
    return read(selection.chunkCoords(), range[0] * size, range[1] * size);
  }

  /** The elements {@code [from, to)} of a chunk that {@code needed} needs (null: every one). */
  private long[] elementRange(ChunkSelection needed) {
    return needed == null
        ? new long[] {0, meta.grid().chunkElements()}
        : needed.elementRange(meta.grid().chunkShape());
  }

  private CompletableFuture<byte[]> read(long[] coords, long fromByte, long toByte) {
    return ref(coords)
        .thenCompose(
            ref ->
                ref.absent()
                    ? CompletableFuture.completedFuture(null)
                    : granuleTable()
                        .thenCompose(table -> fetch(coords, ref, table, fromByte, toByte)));
  }

  /** The Zarr v2 {@code .zarray} of one granule's chunk (dtype, chunks, filters, fill value). */
  JsonNode granuleChunk() {
    return granuleChunk.deepCopy();
  }

  /** Where the chunk at {@code coords} is stored. */
  CompletableFuture<ChunkRefShard.ChunkRef> ref(long[] coords) {
    long linear = meta.grid().linearIndex(coords);
    int shard = Math.toIntExact(linear / entriesPerShard);
    int entry = (int) (linear % entriesPerShard);
    if (shard >= shardGenerations.length) {
      return CompletableFuture.completedFuture(
          new ChunkRefShard.ChunkRef(ChunkRefShard.ABSENT, 0, -1));
    }
    return shard(shard).thenApply(s -> s.get(entry));
  }

  private CompletableFuture<byte[]> fetch(
      long[] coords,
      ChunkRefShard.ChunkRef ref,
      List<GranuleRange> table,
      long fromByte,
      long toByte) {
    GranuleRange granule = granule(coords, ref, table);
    byte[][] read = new byte[1][];
    return readGranule(
            granule,
            new long[] {ref.offset()},
            new int[] {ref.length()},
            (i, bytes, length) -> read[0] = Arrays.copyOf(bytes, length))
        .handle(
            (v, error) -> decoded(coords, ref, granule.url(), read[0], error, fromByte, toByte));
  }

  /**
   * Reads byte ranges of {@code granule}: where the manifest recorded the granule's size and tag,
   * only from that version of it ({@link ObjectStore#getRangesIfUnchanged}: on the local store a
   * stat of the file read, on S3 and Azure {@code If-Match} on each ranged GET, elsewhere one HEAD
   * per call), so offsets indexed from one file are never applied to another; granules of manifests
   * written before versions were recorded are read unchecked. {@code reader} may see bytes of a
   * replaced granule: keep them until this completes.
   */
  private CompletableFuture<Void> readGranule(
      GranuleRange granule, long[] offsets, int[] lengths, ObjectStore.RangeReader reader) {
    KerchunkReferences.Location at = files.apply(granule.url());
    if (!granule.versioned()) {
      return at.store().getRanges(at.key(), offsets, lengths, reader);
    }
    ObjectInfo indexed = new ObjectInfo(at.key(), granule.size(), granule.tag());
    return at.store().getRangesIfUnchanged(at.key(), indexed, offsets, lengths, reader);
  }

  /** A granule's chunks read together cost one open object, and each decodes only its part. */
  @Override
  public boolean readsChunksTogether() {
    return true;
  }

  /**
   * Reads several chunks, those of one granule with one {@link ObjectStore#getRanges(String,
   * long[], int[], ObjectStore.RangeReader)} call (on the local store: one open and one confinement
   * check per granule instead of one per chunk, and the stored bytes read into a reused buffer),
   * and returns only the elements of each chunk's selection ({@link ChunkSelection#elementRange}):
   * a point series keeps 4 bytes of each 65 KB field. Each chunk's future fails on its own (a short
   * read, a corrupt stream) with the same message as a chunk read alone; none completes before the
   * granule's read has checked its version, and a replaced granule fails every chunk read from it.
   */
  @Override
  public List<CompletableFuture<ChunkPart>> readChunks(
      List<long[]> coords, List<ChunkSelection> needed) {
    return reads(coords, needed, false, null);
  }

  /**
   * Reads chunks as {@link #readChunks(List, List)} does, each lent to {@code use} as soon as it is
   * decoded, before the granule's version is checked (the future fails if a check fails); when
   * {@code shuffledAccepted}, a chunk stored as one zlib stream of byte-shuffled little-endian
   * elements is lent whole and still shuffled, in the decoding thread's inflation buffer ({@link
   * ChunkPart#shuffled}): the caller undoes the shuffle as it copies, with no allocation, copy or
   * unshuffle pass of the chunk here.
   */
  @Override
  public CompletableFuture<Void> useChunks(
      List<long[]> coords, List<ChunkSelection> needed, boolean shuffledAccepted, ChunkUser use) {
    return CompletableFuture.allOf(
        reads(coords, needed, shuffledAccepted, use).toArray(CompletableFuture[]::new));
  }

  /**
   * Starts the reads of {@link #readChunks} (with {@code use} null: each future completes with its
   * part) or {@link #useChunks} (each part lent to {@code use}, each future completes with null).
   */
  private List<CompletableFuture<ChunkPart>> reads(
      List<long[]> coords, List<ChunkSelection> needed, boolean shuffledAccepted, ChunkUser use) {
    int n = coords.size();
    List<CompletableFuture<ChunkPart>> out = new ArrayList<>(n);
    List<CompletableFuture<ChunkRefShard.ChunkRef>> refs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new CompletableFuture<>());
      refs.add(ref(coords.get(i)));
    }
    CompletableFuture.allOf(refs.toArray(CompletableFuture[]::new))
        .thenCompose(v -> granuleTable())
        .thenAccept(table -> readGrouped(coords, needed, shuffledAccepted, use, refs, table, out))
        .exceptionally(
            e -> {
              out.forEach(f -> f.completeExceptionally(Futures.unwrap(e)));
              return null;
            });
    return out;
  }

  /** Starts the reads of {@link #reads}, grouped by granule, completing {@code out}. */
  // The future of whenComplete is not kept: its callback completes each chunk's future itself.
  @SuppressWarnings("FutureReturnValueIgnored")
  private void readGrouped(
      List<long[]> coords,
      List<ChunkSelection> needed,
      boolean shuffledAccepted,
      ChunkUser use,
      List<CompletableFuture<ChunkRefShard.ChunkRef>> refs,
      List<GranuleRange> table,
      List<CompletableFuture<ChunkPart>> out) {
    Map<Integer, List<Integer>> byGranule = new LinkedHashMap<>();
    for (int i = 0; i < coords.size(); i++) {
      ChunkRefShard.ChunkRef ref = refs.get(i).join();
      if (ref.absent()) {
        try {
          if (use != null) {
            use.use(i, null);
          }
          out.get(i).complete(null);
        } catch (RuntimeException e) {
          out.get(i).completeExceptionally(e);
        }
      } else {
        byGranule.computeIfAbsent(ref.file(), f -> new ArrayList<>()).add(i);
      }
    }
    for (List<Integer> group : byGranule.values()) {
      int first = group.get(0);
      GranuleRange granule;
      try {
        granule = granule(coords.get(first), refs.get(first).join(), table);
      } catch (RuntimeException e) {
        group.forEach(i -> out.get(i).completeExceptionally(e));
        continue;
      }
      String url = granule.url();
      long[] offsets = new long[group.size()];
      int[] lengths = new int[group.size()];
      for (int j = 0; j < group.size(); j++) {
        ChunkRefShard.ChunkRef ref = refs.get(group.get(j)).join();
        offsets[j] = ref.offset();
        lengths[j] = ref.length();
      }
      // Each chunk's part (or decoding failure) is kept until the read is known to have read the
      // indexed granule: a replaced one may decode to wrong values without any error.
      ChunkPart[] parts = new ChunkPart[group.size()];
      RuntimeException[] failures = new RuntimeException[group.size()];
      readGranule(
              granule,
              offsets,
              lengths,
              (j, bytes, length) -> {
                int i = group.get(j);
                try {
                  ChunkPart part =
                      part(
                          refs.get(i).join(),
                          url,
                          bytes,
                          length,
                          needed.get(i),
                          use != null && shuffledAccepted);
                  // A lent part is used now, its bytes valid only during this call.
                  if (use != null) {
                    use.use(i, part);
                  } else {
                    parts[j] = part;
                  }
                } catch (RuntimeException e) {
                  failures[j] = e;
                }
              })
          .whenComplete(
              (v, error) -> {
                for (int j = 0; j < group.size(); j++) {
                  CompletableFuture<ChunkPart> f = out.get(group.get(j));
                  if (error != null) {
                    f.completeExceptionally(readFailure(coords.get(group.get(j)), url, error));
                  } else if (failures[j] != null) {
                    f.completeExceptionally(failures[j]);
                  } else {
                    f.complete(parts[j]);
                  }
                }
              });
    }
  }

  /**
   * What {@code needed} needs of the chunk read into {@code bytes[0, length)} (a buffer valid only
   * during the call): the elements of its element range, or the whole chunk when it is null; the
   * whole chunk still shuffled, in the thread's inflation buffer (valid until its next inflation),
   * when {@code lendShuffled} and the decoder can leave it so.
   */
  private ChunkPart part(
      ChunkRefShard.ChunkRef ref,
      String url,
      byte[] bytes,
      int length,
      ChunkSelection needed,
      boolean lendShuffled) {
    if (length != ref.length()) {
      throw shortGranule(url, ref, length);
    }
    if (lendShuffled && decoder.shuffledWhole() > 1) {
      byte[] lent =
          decoder.decodeShuffled(
              () -> url + " @" + ref.offset() + "+" + ref.length(), bytes, length);
      return new ChunkPart(lent, 0, decoder.shuffledWhole());
    }
    long[] range = elementRange(needed);
    int size = meta.dataType().byteSize();
    byte[] data =
        decoder.decodePart(
            () -> url + " @" + ref.offset() + "+" + ref.length(),
            bytes,
            length,
            (int) (range[0] * size),
            (int) (range[1] * size));
    return new ChunkPart(data, range[0]);
  }

  /** The granule that holds chunk {@code coords}, checked against the table. */
  private GranuleRange granule(
      long[] coords, ChunkRefShard.ChunkRef ref, List<GranuleRange> table) {
    if (ref.file() < 0 || ref.file() >= table.size()) {
      throw new ArrayMorphException(
          "Manifest array '"
              + path()
              + "' chunk "
              + Arrays.toString(coords)
              + " names granule "
              + ref.file()
              + " of "
              + table.size());
    }
    return table.get(ref.file());
  }

  /** The chunk decoded from the bytes read for it, or the read's failure explained. */
  private byte[] decoded(
      long[] coords,
      ChunkRefShard.ChunkRef ref,
      String url,
      byte[] bytes,
      Throwable error,
      long fromByte,
      long toByte) {
    if (error != null) {
      throw readFailure(coords, url, error);
    }
    if (bytes.length != ref.length()) {
      throw shortGranule(url, ref, bytes.length);
    }
    String name = url + " @" + ref.offset() + "+" + ref.length();
    byte[] data = decoder.decode(name, bytes, fromByte, toByte);
    return data.length == chunkBytes ? data : Arrays.copyOf(data, chunkBytes);
  }

  /** A chunk's read failed: says which chunk of which granule, and what to do. */
  private ArrayMorphException readFailure(long[] coords, String url, Throwable error) {
    Throwable cause = Futures.unwrap(error);
    if (cause instanceof ObjectChangedException changed) {
      return replaced(url, changed);
    }
    return new ArrayMorphException(
        "Manifest array '"
            + path()
            + "' cannot read chunk "
            + Arrays.toString(coords)
            + " from granule '"
            + url
            + "': "
            + cause.getMessage()
            + " (was the granule moved or deleted after indexing? index it again)",
        cause);
  }

  /** The granule at {@code url} is not the file the manifest indexed. */
  private ConcurrentWriteException replaced(String url, ObjectChangedException changed) {
    ConcurrentWriteException e =
        new ConcurrentWriteException(
            "Granule '"
                + url
                + "' of manifest array '"
                + path()
                + "' was replaced or changed after it was indexed ("
                + changed.change()
                + "), so the manifest's chunk offsets no longer fit it; no values read from it"
                + " were returned. Index the collection again into a new manifest (arraymorph"
                + " index, or SparkGranuleManifest.index, to a new location) or restore the"
                + " granule");
    e.initCause(changed);
    return e;
  }

  private static ArrayMorphException shortGranule(
      String url, ChunkRefShard.ChunkRef ref, int length) {
    return new ArrayMorphException(
        "Granule '"
            + url
            + "' is shorter than the manifest says: read "
            + length
            + " of "
            + ref.length()
            + " bytes at "
            + ref.offset()
            + " (was it rewritten after indexing? index it again)");
  }

  private CompletableFuture<ChunkRefShard> shard(int shard) {
    return shards.computeIfAbsent(
        shard,
        s -> {
          String key = ManifestFormat.shardKey(path(), s, shardGenerations[s]);
          return store.get(key).thenApply(b -> new ChunkRefShard(b, key));
        });
  }
}
