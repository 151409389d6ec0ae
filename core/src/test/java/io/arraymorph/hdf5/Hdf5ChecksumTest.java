package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.array.Hyperslab;
import io.arraymorph.store.memory.MemoryObjectStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A chunk whose bytes no longer match its fletcher32 checksum is rejected, never returned. */
class Hdf5ChecksumTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/filters/fletcher32",
        "/filters/shuffle_gzip_fletcher32",
        "/index/extensible_array_gzip"
      })
  void flippedByteInChecksummedChunkIsDetected(String path) {
    String fileName = path.startsWith("/index") ? "latest.h5" : "classic.h5";
    byte[] bytes = Hdf5Fixtures.bytes(fileName).clone();
    MemoryObjectStore store = new MemoryObjectStore();
    store.put(fileName, bytes).join();
    Hdf5ChunkLocation victim;
    long[] shape;
    try (Hdf5File file = Hdf5File.open(store, fileName)) {
      Hdf5Dataset ds = file.dataset(path);
      assertTrue(ds.codecDescription().contains("fletcher32"), ds.codecDescription());
      victim = ds.chunkIndex().get(ds.chunkIndex().size() / 2);
      shape = ds.shape();
      ds.read(Hyperslab.all(shape)); // intact file reads
    }

    bytes[(int) victim.offset() + victim.storedSize() / 2] ^= 0x5a;
    store.put(fileName, bytes).join();

    try (Hdf5File file = Hdf5File.open(store, fileName)) {
      Hdf5Dataset ds = file.dataset(path);
      Hdf5ChecksumException e =
          assertThrows(Hdf5ChecksumException.class, () -> ds.read(Hyperslab.all(shape)));
      assertTrue(e.getMessage().contains("fletcher32 checksum mismatch"), e.getMessage());
      assertTrue(e.getMessage().contains(path), e.getMessage());
      assertEquals(
          null,
          ds.chunkSource()
              .readChunk(new long[shape.length])
              .handle((v, err) -> err == null ? null : err)
              .join(),
          "chunk 0 is intact and still reads");
    }
  }
}
