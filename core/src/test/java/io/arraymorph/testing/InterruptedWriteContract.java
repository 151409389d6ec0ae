package io.arraymorph.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.InterruptedPublicationException;
import io.arraymorph.api.ArraySpec;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.array.DataType;
import io.arraymorph.array.NdArray;
import io.arraymorph.store.Futures;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.write.PublicationRepair;
import io.arraymorph.zarr.WriterLock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A Java API write that fails at any one of its store requests (staging, lock, journal, publishing
 * mark, each copy, the stable metadata, cleanup) leaves the dataset either as before or refused by
 * readers with the repair command; {@code ArrayStore.repair} then leaves one whole version and
 * nothing in staging, every value checked. Only the lock's release comes after publication: its
 * failure leaves the write succeeded and the new version readable. Each store runs it against its
 * own server.
 */
public abstract class InterruptedWriteContract {
  /** A new empty location: each call of the supplier opens a new client on it. */
  protected abstract Supplier<ObjectStore> newLocation();

  /** 6x6 float64 in 4x4 chunks, gzip, NaN fill; rows 0-1 hold {@code 10 * i + j}. */
  public static double[] base(ArrayStore store) {
    var ds =
        store.createDataset(
            "g/v",
            ArraySpec.of(DataType.FLOAT64, 6, 6)
                .chunks(4, 4)
                .compression(ArraySpec.Compression.GZIP)
                .fillValue(Double.NaN));
    double[] rows = new double[12];
    for (int e = 0; e < 12; e++) {
      rows[e] = 10 * (e / 6) + e % 6;
    }
    ds.write(new long[] {0, 0}, NdArray.of(rows, 2, 6));
    double[] expected = new double[36];
    Arrays.fill(expected, Double.NaN);
    System.arraycopy(rows, 0, expected, 0, 12);
    return expected;
  }

  /** The block the interrupted write writes: 3x3 at (1, 2), across all four chunks. */
  public static NdArray block() {
    double[] v = new double[9];
    for (int e = 0; e < 9; e++) {
      v[e] = 100 + e;
    }
    return NdArray.of(v, 3, 3);
  }

  /** {@code before} with {@link #block()} written at (1, 2). */
  public static double[] withBlock(double[] before) {
    double[] after = before.clone();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        after[(1 + i) * 6 + 2 + j] = 100 + i * 3 + j;
      }
    }
    return after;
  }

  /** Keys of locks and staging under the location. */
  public static List<String> leftovers(ObjectStore os) {
    return Futures.join(os.list("")).stream()
        .map(ObjectInfo::key)
        .filter(k -> k.startsWith(".arraymorph"))
        .toList();
  }

  private int mutationsOfOneWrite() {
    FaultyObjectStore faulty = new FaultyObjectStore(newLocation().get());
    try (ArrayStore store = ArrayStore.on(faulty.store(), 4)) {
      base(store);
      faulty.failMutation(Integer.MAX_VALUE);
      store.dataset("g/v").write(new long[] {1, 2}, block());
      return faulty.mutations();
    }
  }

  @Test
  void aWriteFailingAtAnyStepIsRefusedOrIntactAndARepairLeavesOneWholeVersion() {
    int steps = mutationsOfOneWrite();
    assertTrue(steps >= 8, "a write makes at least 8 mutations, made " + steps);
    Set<PublicationRepair.Outcome> seen = EnumSet.noneOf(PublicationRepair.Outcome.class);
    int refused = 0;
    for (int k = 1; k <= steps; k++) {
      Supplier<ObjectStore> os = newLocation();
      double[] before;
      try (ArrayStore store = ArrayStore.on(os.get(), 4)) {
        before = base(store);
      }
      double[] after = withBlock(before);
      FaultyObjectStore faulty = new FaultyObjectStore(os.get());
      faulty.failMutation(k);
      RuntimeException thrown = null;
      try (ArrayStore failing = ArrayStore.on(faulty.store(), 4)) {
        failing.dataset("g/v").write(new long[] {1, 2}, block());
      } catch (RuntimeException e) {
        thrown = e;
      }
      String step = "step " + k + " (" + faulty.failed() + ")";
      boolean lockLeft = faulty.failed().startsWith("delete " + WriterLock.ROOT);
      if (lockLeft) {
        // Releasing the lock comes after publication: the write has committed and succeeds.
        assertNull(thrown, step);
      } else {
        assertTrue(String.valueOf(thrown).contains("injected fault"), step + ": " + thrown);
      }
      try (ArrayStore store = ArrayStore.on(os.get(), 4)) {
        if (lockLeft) {
          assertArrayEquals(after, store.dataset("g/v").read().toDoubleArray(), step);
          // The lock stays until its lease ends, and a repair respects it.
          assertThrows(ConcurrentWriteException.class, () -> store.repair("g/v"), step);
          Futures.join(store.objectStore().delete(WriterLock.keyOf("g/v")));
        }
        boolean interrupted = false;
        try {
          double[] read = store.dataset("g/v").read().toDoubleArray();
          assertTrue(
              Arrays.equals(read, before) || Arrays.equals(read, after),
              step + " reads one whole version");
        } catch (InterruptedPublicationException e) {
          interrupted = true;
          refused++;
          assertTrue(e.getMessage().contains("state publishing"), e.getMessage());
          assertTrue(e.getMessage().contains("repair <location> g/v"), e.getMessage());
        }
        PublicationRepair.Result r = store.repair("g/v");
        seen.add(r.outcome());
        List<String> skipped = new ArrayList<>();
        for (PublicationRepair.Result other : store.repairAll(skipped)) {
          seen.add(other.outcome());
        }
        assertEquals(List.of(), skipped);
        double[] repaired = store.dataset("g/v").read().toDoubleArray();
        if (interrupted) {
          assertEquals(PublicationRepair.Outcome.ROLLED_FORWARD, r.outcome(), step);
          assertArrayEquals(after, repaired, step + ": rolled forward to the new version");
        } else {
          assertTrue(Arrays.equals(repaired, before) || Arrays.equals(repaired, after), step);
        }
        assertEquals(
            List.of(), leftovers(store.objectStore()), step + ": nothing left in staging or locks");
      }
    }
    assertTrue(refused > 0, "some steps leave the dataset publishing");
    assertTrue(seen.contains(PublicationRepair.Outcome.ROLLED_FORWARD), String.valueOf(seen));
  }
}
