package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.memory.MemoryObjectStore;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Chunks of the plugin filters (lz4, bitshuffle, zstd, blosc) written by libhdf5, then damaged in
 * place: hostile sizes in their headers and truncated or corrupt blocks fail with an error naming
 * the filter, the chunk and the dataset, without allocating what the header claims.
 */
class Hdf5PluginFilterCorruptChunksTest {
  private static final String FILE = "plugin_filters.h5";

  /** Reads chunk [0, 0] of {@code path} after {@code damage} has changed its stored bytes. */
  private static RuntimeException readDamaged(String path, Consumer<byte[]> damage) {
    byte[] file = Hdf5Fixtures.bytes(FILE);
    Hdf5ChunkLocation first;
    try (MemoryObjectStore store = new MemoryObjectStore()) {
      store.put(FILE, file).join();
      try (Hdf5File h5 = Hdf5File.open(store, FILE)) {
        first = h5.dataset(path).chunkIndex().get(0);
      }
    }
    assertArrayEquals(new long[] {0, 0}, first.chunkCoords());
    byte[] chunk = new byte[first.storedSize()];
    System.arraycopy(file, (int) first.offset(), chunk, 0, chunk.length);
    damage.accept(chunk);
    System.arraycopy(chunk, 0, file, (int) first.offset(), chunk.length);
    try (MemoryObjectStore store = new MemoryObjectStore()) {
      store.put(FILE, file).join();
      try (Hdf5File h5 = Hdf5File.open(store, FILE)) {
        Hdf5Dataset ds = h5.dataset(path);
        CompletionException e =
            assertThrows(
                CompletionException.class,
                () -> ds.chunkSource().readChunk(new long[] {0, 0}).join());
        return (RuntimeException) e.getCause();
      }
    }
  }

  private static void assertNames(RuntimeException e, String filter, String path) {
    assertInstanceOf(Hdf5FormatException.class, e);
    String m = e.getMessage();
    assertTrue(m.contains(filter), m + " names the filter " + filter);
    assertTrue(m.contains("Chunk [0, 0] of dataset '" + path + "'"), m + " names the chunk");
  }

  private static void putLong(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (56 - 8 * i));
    }
  }

  private static void putInt(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (24 - 8 * i));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/lz4/int16, lz4",
    "/bitshuffle/float32_lz4, bitshuffle",
    "/bitshuffle/float64_be_zstd, bitshuffle"
  })
  void hugeDeclaredSizeIsRefusedBeforeAllocating(String path, String filter) {
    RuntimeException e = readDamaged(path, c -> putLong(c, 0, Long.MAX_VALUE));
    assertNames(e, filter, path);
    assertTrue(e.getMessage().contains("declares " + Long.MAX_VALUE), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/lz4/int16, lz4",
    "/lz4/float64_blocks, lz4",
    "/bitshuffle/int16_lz4, bitshuffle",
    "/bitshuffle/float32_zstd, bitshuffle"
  })
  void blockClaimingMoreBytesThanTheChunkHoldsIsTruncation(String path, String filter) {
    RuntimeException e = readDamaged(path, c -> putInt(c, 12, c.length));
    assertNames(e, filter, path);
    assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/bitshuffle/float32_lz4, 4", "/bitshuffle/int16_zstd, 12"})
  void blockSizeNotAMultipleOfEightElementsIsCorrupt(String path, int blockBytes) {
    RuntimeException e = readDamaged(path, c -> putInt(c, 8, blockBytes));
    assertNames(e, "bitshuffle", path);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/lz4/int32_smooth_blocks, lz4", // random values would be stored raw: nothing to check
    "/bitshuffle/int16_lz4, lz4",
    "/bitshuffle/float32_zstd, zstd",
    "/zstd/float32, zstd"
  })
  void garbledCompressedBytesAreCorrupt(String path, String codec) {
    // Past the headers (lz4 and bitshuffle: 12 + 4 bytes; zstd: the frame header's magic).
    int from = path.startsWith("/zstd") ? 0 : 16;
    RuntimeException e =
        readDamaged(
            path,
            c -> {
              for (int i = from; i < Math.min(c.length, from + 64); i++) {
                c[i] = (byte) 0xff;
              }
            });
    assertInstanceOf(Hdf5FormatException.class, e);
    assertTrue(e.getMessage().contains(codec), e.getMessage());
    assertTrue(e.getMessage().contains("Chunk [0, 0] of dataset '" + path + "'"), e.getMessage());
  }

  private static void putIntLe(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  @ParameterizedTest(name = "{0} byte {1}")
  @CsvSource({
    "/blosc/lz4_shuffle_uint8_l1, 4, declares", // decoded size
    "/blosc/zstd_bitshuffle_multiblock_f4, 12, frame size", // frame size beyond the chunk
    "/blosc/lz4_multiblock_f4, 20, claims", // the first stream's size
    "/blosc/zstd_bitshuffle_multiblock_f4, 20, outside", // the second block's offset
    "/blosc/blosclz_split_f8, 16, outside" // the first block's offset
  })
  void bloscHeaderFieldBeyondTheChunkIsRefusedNamingBlosc(String path, int at, String problem) {
    RuntimeException e = readDamaged(path, c -> putIntLe(c, at, Integer.MAX_VALUE));
    assertNames(e, "Blosc", path);
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/blosc/blosclz_split_f8, blosclz",
    "/blosc/lz4_multiblock_f4, lz4",
    "/blosc/zstd_bitshuffle_multiblock_f4, zstd"
  })
  void garbledBloscStreamIsCorrupt(String path, String codec) {
    RuntimeException e =
        readDamaged(
            path,
            c -> {
              // the frame's last stream: compressed (the first ones may be stored raw, and
              // Blosc has no checksum to tell garbled raw bytes)
              for (int i = c.length - 64; i < c.length; i++) {
                c[i] = (byte) 0xff;
              }
            });
    assertNames(e, "Blosc", path);
    assertTrue(e.getMessage().contains(codec), e.getMessage());
  }
}
