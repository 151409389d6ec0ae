package io.arraymorph.store.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.ObjectStores;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file removed while the Hadoop store walks a folder (a concurrent delete) is not an empty
 * folder: an overwrite's cleanup lists the dataset to find stale chunks, and an empty listing would
 * leave them to be read as values.
 */
class HadoopListingTest {
  @TempDir Path dir;

  /** Hadoop's local FileSystem whose next {@link #losses} walks each lose a file on the way. */
  public static final class LosingFileSystem extends org.apache.hadoop.fs.LocalFileSystem {
    static final AtomicInteger losses = new AtomicInteger();

    @Override
    public RemoteIterator<LocatedFileStatus> listFiles(
        org.apache.hadoop.fs.Path f, boolean recursive) throws IOException {
      RemoteIterator<LocatedFileStatus> files = super.listFiles(f, recursive);
      if (losses.getAndDecrement() <= 0) {
        return files;
      }
      return new RemoteIterator<>() {
        @Override
        public boolean hasNext() throws IOException {
          return files.hasNext();
        }

        @Override
        public LocatedFileStatus next() throws IOException {
          throw new FileNotFoundException("File " + f + "/lost does not exist");
        }
      };
    }
  }

  private ObjectStore open() {
    return ObjectStores.open(
        dir.resolve("root").toUri().toString(),
        StoreSettings.of(
            Map.of(
                "storage",
                "hadoop",
                "hadoop.conf.fs.file.impl",
                LosingFileSystem.class.getName())));
  }

  @Test
  void aFileLostDuringTheWalkIsListedAgainNotAsAnEmptyFolder() {
    try (ObjectStore store = open()) {
      Futures.join(store.put("v/c/0", new byte[] {1}));
      Futures.join(store.put("v/c/1", new byte[] {2}));
      LosingFileSystem.losses.set(2);
      List<String> keys = Futures.join(store.list("v/")).stream().map(ObjectInfo::key).toList();
      assertEquals(List.of("v/c/0", "v/c/1"), keys);
    }
  }

  @Test
  void filesLostOnEveryWalkFailTheListingNamingIt() {
    try (ObjectStore store = open()) {
      Futures.join(store.put("v/c/0", new byte[] {1}));
      LosingFileSystem.losses.set(100);
      Exception e = assertThrows(Exception.class, () -> Futures.join(store.list("v/")));
      StoreException s = assertInstanceOf(StoreException.class, Futures.unwrap(e));
      assertTrue(s.getMessage().contains("'v/'"), s.getMessage());
      assertTrue(s.getMessage().contains("kept vanishing"), s.getMessage());
    } finally {
      LosingFileSystem.losses.set(0);
    }
  }

  @Test
  void anAbsentFolderListsEmpty() {
    try (ObjectStore store = open()) {
      LosingFileSystem.losses.set(0);
      assertEquals(List.of(), Futures.join(store.list("nothing/")));
    }
  }
}
