package io.arraymorph.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.InterruptedPublicationException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.local.LocalObjectStore;
import io.arraymorph.testing.FaultyObjectStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepairCommandTest {
  @TempDir Path dir;

  /** Overwrites rows 3-4 of {@code values} with -1 .. -60, failing the write's first copy. */
  private int[] interruptAWrite() {
    int[] block = new int[2 * 30];
    for (int e = 0; e < block.length; e++) {
      block[e] = -1 - e;
    }
    FaultyObjectStore faulty = new FaultyObjectStore(new LocalObjectStore(dir));
    faulty.failNext("copy");
    try (ArrayStore store = ArrayStore.on(faulty.store(), 4)) {
      InterruptedPublicationException e =
          assertThrows(
              InterruptedPublicationException.class,
              () -> store.dataset("values").write(new long[] {3, 0}, NdArray.of(block, 2, 30)));
      assertTrue(e.getMessage().contains("arraymorph repair"), e.getMessage());
    }
    int[] expected = Cli.sampleValues();
    System.arraycopy(block, 0, expected, 3 * 30, block.length);
    return expected;
  }

  @Test
  void readersNameTheRepairAndRepairRollsTheInterruptedWriteForward() {
    Cli.writeSample(dir);
    int[] expected = interruptAWrite();
    Cli.Result cat = Cli.run("cat", dir.toString(), "values", "--slice", "0:1,0:2");
    assertEquals(1, cat.exit(), cat.toString());
    assertTrue(cat.err().contains("state publishing"), cat.toString());
    assertTrue(cat.err().contains("arraymorph repair <location> values"), cat.toString());

    Cli.Result r = Cli.run("repair", dir.toString(), "values");
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("values: rolled forward"), r.toString());
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      assertArrayEquals(expected, store.dataset("values").read().toIntArray());
      assertEquals(
          List.of(),
          Futures.join(store.objectStore().list("")).stream()
              .map(ObjectInfo::key)
              .filter(k -> k.startsWith(".arraymorph"))
              .toList());
    }
    Cli.Result again = Cli.run("repair", dir.toString(), "values");
    assertTrue(again.out().contains("nothing to repair"), again.toString());
  }

  @Test
  void repairWithoutADatasetFindsEveryInterruptedWrite() {
    Cli.writeSample(dir);
    int[] expected = interruptAWrite();
    Cli.Result r = Cli.run("repair", dir.toString());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().contains("values: rolled forward"), r.toString());
    try (ArrayStore store = ArrayStore.open(dir.toString())) {
      assertArrayEquals(expected, store.dataset("values").read().toIntArray());
    }
    Cli.Result none = Cli.run("repair", dir.toString());
    assertTrue(none.out().contains("No interrupted writes found."), none.toString());
  }

  @Test
  void repairWithoutADatasetReportsAPublishingDatasetWhoseJournalIsGoneAndChangesNothing() {
    Cli.writeSample(dir);
    interruptAWrite();
    LocalObjectStore os = new LocalObjectStore(dir);
    List<String> staging =
        Futures.join(os.list(".arraymorph-staging/")).stream().map(ObjectInfo::key).toList();
    assertTrue(!staging.isEmpty(), "the interrupted write left its staging");
    staging.forEach(k -> Futures.join(os.delete(k)));
    List<ObjectInfo> before = Futures.join(os.list(""));

    Cli.Result r = Cli.run("repair", dir.toString());
    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.out().contains("values: not repaired"), r.toString());
    assertTrue(r.out().contains("publication journal"), r.toString());
    assertTrue(r.out().contains("mode overwrite"), r.toString());
    assertEquals(
        before.stream().map(o -> o.key() + ":" + o.size()).toList(),
        Futures.join(os.list("")).stream().map(o -> o.key() + ":" + o.size()).toList(),
        "nothing changed");
    Cli.Result cat = Cli.run("cat", dir.toString(), "values", "--slice", "0:1,0:2");
    assertEquals(1, cat.exit(), cat.toString());
    assertTrue(cat.err().contains("state publishing"), cat.toString());
  }
}
