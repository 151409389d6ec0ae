package io.arraymorph.zarr;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.Dataset;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.array.ChunkSelection;
import io.arraymorph.array.DataType;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.array.NdArray;
import io.arraymorph.array.Shapes;
import io.arraymorph.codec.CodecException;
import io.arraymorph.codec.ShardingCodec;
import io.arraymorph.engine.ArrayReader;
import io.arraymorph.engine.ArrayWriter;
import io.arraymorph.engine.ByteRanges;
import io.arraymorph.engine.ChunkStore;
import io.arraymorph.engine.Fill;
import io.arraymorph.scan.VersionCheck;
import io.arraymorph.store.CostModel;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.MissingObjects;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.write.AttributeWrite;
import io.arraymorph.write.RegionWrite;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A Zarr v3 array in an object store. */
public final class ZarrDataset implements Dataset, ChunkStore {
  /** The file holding every Zarr v3 node's metadata. */
  public static final String METADATA_FILE = "zarr.json";

  private final ObjectStore store;
  private final String path;
  private volatile ZarrArrayMetadata metadata;
  private final ChunkGrid grid;
  private final int chunkBytes;
  private final int maxInFlight;
  private final CostModel costModel;

  /** A handle on the array at {@code path} with the given metadata; nothing is read or written. */
  public ZarrDataset(ObjectStore store, String path, ZarrArrayMetadata metadata, int maxInFlight) {
    this(store, path, metadata, maxInFlight, store.costModel());
  }

  /** A handle whose ranged reads are planned with {@code costModel}. */
  public ZarrDataset(
      ObjectStore store,
      String path,
      ZarrArrayMetadata metadata,
      int maxInFlight,
      CostModel costModel) {
    this.costModel = costModel;
    this.store = store;
    this.path = Keys.join(path);
    this.metadata = metadata;
    this.grid = metadata.grid();
    this.chunkBytes =
        Shapes.checkedIntSize(Shapes.toLong(grid.chunkShape()), metadata.dataType().byteSize());
    this.maxInFlight = maxInFlight;
  }

  public ZarrArrayMetadata metadata() {
    return metadata;
  }

  /** The key of the array's zarr.json from the store's root. */
  public String metadataKey() {
    return Keys.join(path, METADATA_FILE);
  }

  @Override
  public java.util.Optional<String> chunkObjectKey(long[] chunkCoords) {
    return java.util.Optional.of(chunkKey(chunkCoords));
  }

  @Override
  public long generation() {
    return Publication.of(metadata).map(Publication::generation).orElse(-1L);
  }

  @Override
  public boolean publishing() {
    return Publication.of(metadata).map(p -> !p.stable()).orElse(false);
  }

  @Override
  public java.util.Optional<io.arraymorph.InterruptedPublicationException>
      interruptedPublication() {
    return InterruptedPublications.check(store, path, store.describe());
  }

  /** The key of a chunk from the store's root, e.g. {@code values/c/1/2}. */
  public String chunkKey(long[] coords) {
    return Keys.join(path, metadata.chunkKey(coords));
  }

  /** Encodes a chunk given as little-endian bytes of the full chunk shape. */
  public byte[] encodeChunk(byte[] decodedChunk) {
    checkChunkSize(decodedChunk);
    ShardingCodec sharding = metadata.codecs().sharding();
    int elementSize = metadata.dataType().byteSize();
    return sharding == null
        ? metadata.codecs().encode(decodedChunk, elementSize)
        : sharding.encode(decodedChunk, grid.chunkShape(), elementSize, fillInnerChunk());
  }

  private byte[] fillInnerChunk() {
    ShardingCodec sharding = metadata.codecs().sharding();
    return Fill.chunk(metadata.fillValue(), Shapes.product(sharding.innerShape()));
  }

  /**
   * Decodes a stored chunk.
   *
   * @throws CodecException naming the chunk's key when it is corrupt or of the wrong size
   */
  public byte[] decodeChunk(long[] coords, byte[] stored) {
    try {
      ShardingCodec sharding = metadata.codecs().sharding();
      int elementSize = metadata.dataType().byteSize();
      return sharding == null
          ? metadata.codecs().decode(stored, elementSize, chunkBytes)
          : sharding.decode(stored, grid.chunkShape(), elementSize, fillInnerChunk());
    } catch (CodecException e) {
      throw new CodecException("Chunk '" + chunkKey(coords) + "' " + e.getMessage(), e);
    }
  }

  /** Writes the array's zarr.json: the step that makes a new array visible. */
  public void writeMetadata() {
    Futures.join(store.put(metadataKey(), metadata.toJson()));
  }

  @Override
  public CompletableFuture<byte[]> readChunk(long[] coords) {
    return MissingObjects.getOrNull(store, chunkKey(coords))
        .thenApply(stored -> stored == null ? null : decodeChunk(coords, stored));
  }

  /**
   * Reads only the byte ranges a selection needs when chunks are stored uncompressed and the cost
   * model says the ranges are cheaper than one whole-chunk GET.
   */
  @Override
  public CompletableFuture<byte[]> readChunk(ChunkSelection selection) {
    long[] coords = selection.chunkCoords();
    ShardingCodec sharding = metadata.codecs().sharding();
    if (sharding != null && !selection.coversWholeChunk(grid.chunkShape())) {
      String key = chunkKey(coords);
      return new ShardReader(
              store,
              sharding,
              grid.chunkShape(),
              metadata.dataType().byteSize(),
              fillInnerChunk(),
              costModel)
          .read(key, selection)
          .exceptionally(
              error -> {
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof CodecException c) {
                  throw new CodecException("Shard '" + key + "' " + c.getMessage(), c);
                }
                throw error instanceof RuntimeException r
                    ? r
                    : new ArrayMorphException(error.getMessage(), error);
              });
    }
    List<ByteRanges.Range> ranges = rangesThatPayOff(selection);
    if (ranges == null) {
      return readChunk(coords);
    }
    int elementSize = metadata.dataType().byteSize();
    String key = chunkKey(coords);
    byte[] chunk = new byte[chunkBytes];
    List<CompletableFuture<Boolean>> parts = new ArrayList<>();
    for (ByteRanges.Range r : ranges) {
      parts.add(
          store
              .getRange(key, r.offset(), r.length())
              .thenApply(
                  bytes -> {
                    if (bytes.length != r.length()) {
                      throw new CodecException(
                          "Chunk '"
                              + key
                              + "' is shorter than the "
                              + chunkBytes
                              + " bytes its shape needs");
                    }
                    System.arraycopy(bytes, 0, chunk, (int) r.offset(), bytes.length);
                    return true;
                  })
              .exceptionally(
                  error -> {
                    if (Futures.unwrap(error) instanceof ObjectNotFoundException) {
                      return false;
                    }
                    throw error instanceof RuntimeException e
                        ? e
                        : new ArrayMorphException(error.getMessage(), error);
                  }));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              if (parts.stream().noneMatch(CompletableFuture::join)) {
                return null;
              }
              return metadata.codecs().decodeUncompressed(chunk, elementSize);
            });
  }

  /**
   * The byte ranges to read for an unsharded uncompressed chunk's selection when the cost model
   * says they are cheaper than one whole-chunk GET, else null (the chunk is read whole).
   */
  private List<ByteRanges.Range> rangesThatPayOff(ChunkSelection selection) {
    // A whole chunk is one range: never cheaper than the GET (skips walking its rows per chunk).
    if (!metadata.codecs().isUncompressed() || selection.coversWholeChunk(grid.chunkShape())) {
      return null;
    }
    int elementSize = metadata.dataType().byteSize();
    List<ByteRanges.Range> ranges =
        ByteRanges.of(selection, grid.chunkShape(), elementSize, costModel.mergeGapBytes());
    long rangeBytes = ranges.stream().mapToLong(ByteRanges.Range::length).sum();
    return costModel.rangesPayOff(ranges.size(), rangeBytes, chunkBytes) ? ranges : null;
  }

  /**
   * Where a stored chunk is its decoded bytes and is read whole, hands the store's buffer to {@code
   * use} (the local store lends a reused one: no allocation, one copy into place); otherwise as
   * {@link #readChunk(ChunkSelection)}.
   */
  @Override
  public CompletableFuture<Void> useChunk(ChunkSelection selection, Consumer<ByteBuffer> use) {
    if (!metadata.codecs().storesDecodedBytes(metadata.dataType().byteSize())
        || rangesThatPayOff(selection) != null) {
      return readChunk(selection)
          .thenAccept(bytes -> use.accept(bytes == null ? null : ByteBuffer.wrap(bytes)));
    }
    String key = chunkKey(selection.chunkCoords());
    return store
        .<Void>getWith(
            key,
            buffer -> {
              if (buffer.remaining() != chunkBytes) {
                throw new CodecException(
                    "Chunk '"
                        + key
                        + "' decodes to "
                        + buffer.remaining()
                        + " bytes where the chunk shape needs "
                        + chunkBytes);
              }
              use.accept(buffer);
              return null;
            })
        .exceptionallyCompose(
            error -> {
              if (Futures.unwrap(error) instanceof ObjectNotFoundException) {
                use.accept(null);
                return CompletableFuture.completedFuture(null);
              }
              return CompletableFuture.failedFuture(error);
            });
  }

  @Override
  public CompletableFuture<Void> writeChunk(long[] coords, byte[] decodedChunk) {
    return store.put(chunkKey(coords), encodeChunk(decodedChunk));
  }

  private void checkChunkSize(byte[] decodedChunk) {
    if (decodedChunk.length != chunkBytes) {
      throw new IllegalArgumentException(
          "A chunk of " + this + " holds " + chunkBytes + " bytes, not " + decodedChunk.length);
    }
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public DataType dataType() {
    return metadata.dataType();
  }

  @Override
  public long[] shape() {
    return metadata.shape();
  }

  @Override
  public int[] chunkShape() {
    return metadata.chunkShape();
  }

  @Override
  public ChunkGrid grid() {
    return grid;
  }

  @Override
  public byte[] fillValue() {
    return metadata.fillValue();
  }

  @Override
  public List<String> dimensionNames() {
    List<String> recorded = metadata.dimensionNames();
    List<String> names = new ArrayList<>();
    for (int d = 0; d < grid.rank(); d++) {
      String n = recorded == null ? null : recorded.get(d);
      names.add(n == null || n.isEmpty() ? "dim_" + d : n);
    }
    return names;
  }

  @Override
  public Map<String, Object> attributes() {
    return metadata.attributes();
  }

  @Override
  public String codecDescription() {
    return metadata.codecs().describe();
  }

  @Override
  public ChunkStore chunkSource() {
    return this;
  }

  @Override
  public NdArray read(Hyperslab selection) {
    return Futures.join(readAsync(selection));
  }

  /**
   * Reads a selection. For a dataset that records a {@link Publication} (ArrayMorph writes one),
   * zarr.json is read again after the chunks (one more small GET) and the read is repeated, a
   * bounded number of times with backoff, when a writer published in between: the result is always
   * one whole version, the old or the new one.
   *
   * @throws ConcurrentWriteException (through the future) when writers kept publishing during every
   *     attempt, or the dataset was replaced with another shape, type or chunk shape
   */
  @Override
  public CompletableFuture<NdArray> readAsync(Hyperslab selection) {
    return readConsistent(selection, 1);
  }

  /** How many times a read is tried while writers publish. */
  static final int READ_ATTEMPTS = 10;

  /** The first wait between attempts; it doubles, up to {@link #MAX_BACKOFF_MS}. */
  static final long FIRST_BACKOFF_MS = 50;

  static final long MAX_BACKOFF_MS = 2_000;

  private CompletableFuture<NdArray> readConsistent(Hyperslab selection, int attempt) {
    Publication before = Publication.of(metadata).orElse(null);
    if (before == null) {
      return new ArrayReader(this, maxInFlight).readAsync(selection);
    }
    if (!before.stable() && attempt == 1) {
      // Left publishing by a writer that failed: waiting would not help; say how to repair it.
      java.util.Optional<io.arraymorph.InterruptedPublicationException> interrupted =
          interruptedPublication();
      if (interrupted.isPresent()) {
        return CompletableFuture.failedFuture(interrupted.get());
      }
    }
    // While a writer publishes, the chunks are a mix: wait for it rather than read them.
    CompletableFuture<NdArray> read =
        before.stable()
            ? new ArrayReader(this, maxInFlight).readAsync(selection)
            : CompletableFuture.completedFuture(null);
    // The check is VersionCheck's (as a Spark task's); the retry policy is this reader's.
    return read.thenCompose(
        result ->
            VersionCheck.currentMetadata(store, path)
                .thenCompose(
                    current -> {
                      ZarrArrayMetadata now =
                          current.orElseThrow(
                              () ->
                                  new ConcurrentWriteException(
                                      "Dataset '"
                                          + path
                                          + "' was deleted by another job while it was read"));
                      if (result != null && before.equals(Publication.of(now).orElse(null))) {
                        return CompletableFuture.completedFuture(result);
                      }
                      if (attempt >= READ_ATTEMPTS) {
                        throw new ConcurrentWriteException(
                            "Dataset '"
                                + path
                                + "' was being republished by another writer during each of "
                                + READ_ATTEMPTS
                                + " read attempts (now "
                                + Publication.of(now).map(Object::toString).orElse("unversioned")
                                + "); read it again when the writer is done");
                      }
                      adopt(now);
                      long wait =
                          Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(20, attempt - 1));
                      return CompletableFuture.supplyAsync(
                              () -> null,
                              CompletableFuture.delayedExecutor(
                                  wait, java.util.concurrent.TimeUnit.MILLISECONDS))
                          .thenCompose(x -> readConsistent(selection, attempt + 1));
                    }));
  }

  /** Switches this handle to a newer version of its metadata, if the array keeps its layout. */
  private void adopt(ZarrArrayMetadata now) {
    ZarrArrayMetadata old = metadata;
    if (now.dataType() != old.dataType()
        || !java.util.Arrays.equals(now.shape(), old.shape())
        || !java.util.Arrays.equals(now.chunkShape(), old.chunkShape())) {
      throw new ConcurrentWriteException(
          "Dataset '"
              + path
              + "' was replaced by another writer while it was read: it is now "
              + now.dataType().zarrName()
              + " "
              + java.util.Arrays.toString(now.shape())
              + " in chunks "
              + java.util.Arrays.toString(now.chunkShape())
              + ", was "
              + old.dataType().zarrName()
              + " "
              + java.util.Arrays.toString(old.shape())
              + "; open the dataset again");
    }
    metadata = now;
  }

  /**
   * {@inheritDoc}
   *
   * <p>For a stored dataset this is the write protocol every door shares ({@link RegionWrite}): the
   * dataset's writer lock, staged chunks and one publication, with codecs and fill value from the
   * stored metadata; a concurrent writer is refused with a {@link ConcurrentWriteException}. A
   * handle whose metadata is not written yet ({@link io.arraymorph.api.ArrayStore#prepareDataset})
   * writes its chunks directly: nothing is readable before {@link #writeMetadata()}.
   */
  @Override
  public void write(long[] offset, NdArray data) {
    Optional<ZarrArrayMetadata> published =
        RegionWrite.write(store, path, offset, data, maxInFlight);
    if (published.isPresent()) {
      metadata = published.get();
    } else {
      new ArrayWriter(this, maxInFlight).write(offset, data);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>For a stored dataset under its writer lock ({@link AttributeWrite}): refused with a {@link
   * ConcurrentWriteException} while another job writes it; the stored shape and version are kept. A
   * handle whose metadata is not written yet only writes its own.
   */
  @Override
  public void setAttributes(Map<String, Object> attributes) {
    Optional<ZarrArrayMetadata> written = AttributeWrite.write(store, path, attributes);
    if (written.isPresent()) {
      metadata = written.get();
    } else {
      metadata = metadata.withAttributes(attributes);
      writeMetadata();
    }
  }

  @Override
  public String toString() {
    return "dataset '" + path + "' " + metadata;
  }
}
