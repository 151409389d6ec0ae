package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scaleoffset chunk whose bit count is wider than its type (127 bits for int16, as in libhdf5's
 * damaged test file {@code tmisc38a.h5}) is refused as corrupt through the Java API, naming the
 * file, the dataset and the chunk, as current libhdf5 refuses it ({@code src/H5Zscaleoffset.c},
 * {@code H5Z__filter_scaleoffset}: "minimum number of bits exceeds size of type", since
 * HDFGroup/hdf5#4234; libhdf5's own {@code test_misc38} keeps {@code tmisc38a.h5} as a corrupt
 * file). Made from h5py's {@code builtin_filters.h5} with the first chunk's bit count changed in
 * place.
 */
public class ScaleOffsetBitCountWiderThanTheTypeTest {
  public static final String FILE = "builtin_filters.h5";
  public static final String PATH = "/scaleoffset/int16";

  /**
   * Writes {@code builtin_filters.h5} into {@code dir} with the bit count of {@code PATH}'s chunk
   * [0, 0] set to 127; returns the file.
   */
  public static Path damaged(Path dir, byte[] original) throws Exception {
    Path file = dir.resolve(FILE);
    Files.write(file, original);
    Hdf5ChunkLocation first;
    try (LocalObjectStore store = new LocalObjectStore(dir, 2);
        Hdf5File h5 = Hdf5File.open(store, FILE)) {
      first = h5.dataset(PATH).chunkIndex().get(0);
    }
    assertArrayEquals(new long[] {0, 0}, first.chunkCoords());
    byte[] bytes = original.clone();
    int at = (int) first.offset();
    bytes[at] = 127; // the bit count: 4 bytes, little-endian
    bytes[at + 1] = 0;
    bytes[at + 2] = 0;
    bytes[at + 3] = 0;
    Files.write(file, bytes);
    return file;
  }

  @Test
  void isRefusedAsCorruptNamingFileDatasetAndChunk(@TempDir Path dir) throws Exception {
    Path file = damaged(dir, Hdf5Fixtures.bytes(FILE));
    try (ArrayStore store = ArrayStore.open(file.toString())) {
      Dataset ds = store.dataset(PATH);
      RuntimeException e = assertThrows(RuntimeException.class, ds::read);
      String m = e.getMessage();
      assertTrue(m.contains("Chunk [0, 0] of dataset '" + PATH + "'"), m);
      assertTrue(m.contains(FILE), m);
      assertTrue(m.contains("127 bits, wider than the 16-bit type"), m);
      assertTrue(m.contains("corrupt"), m);
    }
  }
}
