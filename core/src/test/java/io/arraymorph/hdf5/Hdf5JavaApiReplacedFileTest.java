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
 * VersionCheck}): each read of the file checks it is the one opened (on the local store a stat of
 * the file read, on S3 and Azure If-Match), so the replaced bytes are refused before they are
 * decoded and no HEAD follows the read. Before the replacement, the same reads give h5py's values.
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
      assertEquals(heads, store.stats().heads(), "no HEAD: the reads check the file themselves");
      byte[] garbage = original.clone();
      for (int i = 0; i < garbage.length; i++) {
        garbage[i] ^= 0x5a;
      }
      Path tmp = dir.resolve(FILE + ".tmp");
      Files.write(tmp, garbage);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      for (int k = 0; k < entries.size(); k++) {
        Dataset ds = opened.get(k);
        if (inHeaderOrNeverWritten(entries.get(k))) {
          // Compact data came with the header at opening, and unwritten data is the fill value:
          // the read takes no byte of the file, and gives the values of the version opened.
          long requests = store.stats().requests();
          assertArrayEquals(entries.get(k).reference(), ds.read().bytes(), entries.get(k).path());
          assertEquals(requests, store.stats().requests(), "nothing read of the other file");
          continue;
        }
        ConcurrentWriteException e =
            assertThrows(ConcurrentWriteException.class, ds::read, entries.get(k).toString());
        assertTrue(e.getMessage().contains("'" + FILE + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("same size"), e.getMessage());
        assertTrue(e.getMessage().contains("Re-run"), e.getMessage());
      }
    }
  }

  /** Whether h5py found the data compact, or no chunk (chunked) or data (contiguous) allocated. */
  private static boolean inHeaderOrNeverWritten(Hdf5Fixtures.Entry entry) {
    String layout = entry.meta().path("layout").asText();
    return layout.equals("compact")
        || (layout.equals("chunked")
            ? entry.meta().path("allocated_chunks").asInt(-1) == 0
            : entry.meta().path("data_offset").isNull());
  }
}
