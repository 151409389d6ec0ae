package io.arraymorph.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Java API read of an HDF5 file replaced after it was opened, by a file of the same size, fails
 * with an error naming the file and saying to re-run the read, as a Spark task does (core's {@code
 * VersionCheck}): when the bytes at the opened chunk offsets fail to decode (compressed chunks) the
 * failure is explained as the replacement; when they still decode (raw chunks), the check after the
 * read refuses the values. Before the replacement, the same reads give h5py's values.
 */
class Hdf5JavaApiReplacedFileTest {
  private static final String FILE = "classic.h5";
  @TempDir Path dir;

  @Test
  void everyDatasetOfAReplacedFileFailsNamingTheFileNeverReturningOtherValues() throws IOException {
    Path file = dir.resolve(FILE);
    byte[] original = Hdf5Fixtures.bytes(FILE);
    Files.write(file, original);
    List<Hdf5Fixtures.Entry> entries =
        Hdf5Fixtures.datasets().stream().filter(e -> e.file().equals(FILE)).toList();
    assertTrue(entries.size() > 1, "several datasets: " + entries);
    try (ArrayStore store = ArrayStore.open(file.toString())) {
      List<Dataset> opened = entries.stream().map(e -> store.dataset(e.path())).toList();
      for (int k = 0; k < entries.size(); k++) {
        assertArrayEquals(
            entries.get(k).reference(), opened.get(k).read().bytes(), entries.get(k).toString());
      }
      long heads = store.stats().heads();
      opened.get(0).read();
      assertEquals(heads + 1, store.stats().heads(), "one check after the read, one HEAD");
      byte[] garbage = original.clone();
      for (int i = 0; i < garbage.length; i++) {
        garbage[i] ^= 0x5a;
      }
      Path tmp = dir.resolve(FILE + ".tmp");
      Files.write(tmp, garbage);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      for (int k = 0; k < entries.size(); k++) {
        Dataset ds = opened.get(k);
        ConcurrentWriteException e =
            assertThrows(ConcurrentWriteException.class, ds::read, entries.get(k).toString());
        assertTrue(e.getMessage().contains("'" + FILE + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("same size"), e.getMessage());
        assertTrue(e.getMessage().contains("Re-run"), e.getMessage());
      }
    }
  }
}
