package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.hdf5.Hdf5File;
import io.arraymorph.hdf5.Hdf5Fixtures;
import io.arraymorph.kerchunk.KerchunkTaskChunks;
import io.arraymorph.kerchunk.KerchunkWriter;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.local.LocalObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A task planned on kerchunk references carries its chunks' refs (byte ranges, inline data), so the
 * machine running it never reads the reference document: one ranged GET per referenced chunk, each
 * checking its data file was not replaced since planning (on the local store a stat of the file
 * read, so no HEAD after), and h5py's values.
 */
class KerchunkChunkTaskReadsTest {
  @TempDir static Path dir;

  /** Fixture datasets Zarr can express, with nothing inlined (0) and kerchunk's default (500). */
  static Stream<Arguments> datasets() {
    return Hdf5Fixtures.datasets().stream()
        .filter(KerchunkChunkTaskReadsTest::expressible)
        .flatMap(e -> Stream.of(Arguments.of(e, 0), Arguments.of(e, 500)));
  }

  private static boolean expressible(Hdf5Fixtures.Entry e) {
    JsonNode meta = e.meta();
    if (!meta.path("kerchunk_expressible").asBoolean(true)) {
      return false;
    }
    for (JsonNode id : meta.get("filter_ids")) {
      if (!Set.of(1, 2, 32015).contains(id.asInt())) {
        return false;
      }
    }
    return true;
  }

  /** The references of {@code file}, next to a copy of it, naming it by its absolute path. */
  private static String references(String file, int inlineThreshold) throws IOException {
    Path sub = dir.resolve(inlineThreshold + "");
    Files.createDirectories(sub);
    Path json = sub.resolve(file + ".json");
    if (!Files.exists(json)) {
      Files.write(sub.resolve(file), Hdf5Fixtures.bytes(file));
      try (ObjectStore store = new LocalObjectStore(sub, 2);
          Hdf5File h5 = Hdf5File.open(store, file)) {
        KerchunkWriter.Options options =
            KerchunkWriter.Options.DEFAULT.withInlineThreshold(inlineThreshold);
        Files.write(json, KerchunkWriter.write(h5, sub.resolve(file).toString(), options).toJson());
      }
    }
    return json.toString();
  }

  @ParameterizedTest(name = "{0} inline<{1}")
  @MethodSource("datasets")
  void executorReadsOneRequestPerReferencedChunkAndH5pyValues(
      Hdf5Fixtures.Entry entry, int inlineThreshold) throws Exception {
    String location = references(entry.file(), inlineThreshold);
    String variable = entry.path().substring(1);
    List<ChunkTask> tasks = plan(location, variable);
    byte[] reference = entry.reference();
    long[] shape = null;
    long emitted = 0;
    for (ChunkTask planned : tasks) {
      ChunkTask task = Hdf5ChunkTaskReadsTest.shipped(planned);
      DatasetRef ref = task.datasets().get(0);
      assertTrue(ref.opensWithoutFile(), "the task carries its refs");
      KerchunkTaskChunks refs = (KerchunkTaskChunks) ref.inFile();
      try (ArrayStore store =
          ArrayStore.openShared(location, StoreSettings.empty(), List.of(ref))) {
        Dataset ds = store.dataset(ref);
        assertEquals(0, store.stats().requests(), "opened without a request");
        shape = ds.shape();
        int size = ds.dataType().byteSize();
        try (ChunkTaskReader reader = new ChunkTaskReader(task, List.of(ds), ds.chunkShape(), 4)) {
          for (int i = 0; i < task.chunkCoords().size(); i++) {
            reader.prefetchFrom(i);
            List<Region.Box> boxes = task.boxes().get(i);
            for (int b = 0; b < boxes.size(); b++) {
              emitted +=
                  Hdf5ChunkTaskReadsTest.assertBoxLikeH5py(
                      reader.numbers(i, 0, b), boxes.get(b), shape, size, reference);
            }
            reader.release(i);
          }
          long requests = store.stats().requests();
          assertTrue(requests <= refs.storedChunks(), "at most one request per referenced chunk");
          assertEquals(0, store.stats().heads(), "no request for the references");
          int files = refs.filesRead().size();
          assertTrue(files <= 1, "one data file: " + refs.filesRead());
          reader.verifyVersions(store, List.of(-1L), "fixtures");
          assertEquals(0, store.stats().heads(), "the reads checked their data file themselves");
          assertEquals(requests, store.stats().requests());
        }
      }
    }
    assertEquals(Arrays.stream(shape).reduce(1, Math::multiplyExact), emitted, "every element");
  }

  @Test
  void aDataFileReplacedAfterPlanningBySameSizedBytesFailsTheTaskNamingIt() throws IOException {
    String location = references("classic.h5", 0);
    ChunkTask task = plan(location, "large").get(0);
    Path data = Path.of(location).resolveSibling("classic.h5");
    try (ArrayStore store =
        ArrayStore.openShared(location, StoreSettings.empty(), task.datasets())) {
      Dataset ds = store.dataset(task.datasets().get(0));
      try (ChunkTaskReader reader = new ChunkTaskReader(task, List.of(ds), ds.chunkShape(), 4)) {
        byte[] original = Files.readAllBytes(data);
        try {
          replaceWith(data, xor(original));
          reader.prefetchFrom(0);
          // The chunk's read itself refuses the other file (a stat of the file read): no values.
          ConcurrentWriteException e =
              assertThrows(ConcurrentWriteException.class, () -> reader.numbers(0, 0, 0));
          assertTrue(e.getMessage().contains(data.toString()), e.getMessage());
          assertTrue(e.getMessage().contains("same size"), e.getMessage());
          assertTrue(e.getMessage().contains("Re-run the query"), e.getMessage());
        } finally {
          replaceWith(data, original);
        }
      }
    }
  }

  @Test
  void referencesReplacedAfterPlanningDoNotFailATaskThatCarriesItsRefs() throws IOException {
    String location = references("classic.h5", 0);
    ChunkTask task = plan(location, "large").get(0);
    Path json = Path.of(location);
    try (ArrayStore store =
        ArrayStore.openShared(location, StoreSettings.empty(), task.datasets())) {
      Dataset ds = store.dataset(task.datasets().get(0));
      try (ChunkTaskReader reader = new ChunkTaskReader(task, List.of(ds), ds.chunkShape(), 4)) {
        byte[] original = Files.readAllBytes(json);
        try {
          Files.write(json, Arrays.copyOf(original, original.length + 1));
          // The task read the planned refs from unchanged data files: one version.
          reader.verifyVersions(store, List.of(-1L), "tmp");
          assertEquals(0, store.stats().gets(), "the references are not read again");
        } finally {
          Files.write(json, original);
        }
      }
    }
  }

  @Test
  void theJavaApiReadOfADataFileReplacedAfterOpenFailsNamingIt() throws IOException {
    String location = references("classic.h5", 0);
    Path data = Path.of(location).resolveSibling("classic.h5");
    byte[] original = Files.readAllBytes(data);
    try (ArrayStore store = ArrayStore.open(location)) {
      Dataset ds = store.dataset("large");
      long[] shape = ds.shape();
      ds.read(new long[2], new long[] {shape[0], shape[1]}); // the file as opened: read
      try {
        replaceWith(data, xor(original));
        ConcurrentWriteException e =
            assertThrows(
                ConcurrentWriteException.class,
                () -> ds.read(new long[2], new long[] {shape[0], shape[1]}));
        assertTrue(e.getMessage().contains(data.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Re-run"), e.getMessage());
      } finally {
        replaceWith(data, original);
      }
    }
  }

  private static byte[] xor(byte[] bytes) {
    byte[] out = bytes.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] ^= 0x5a;
    }
    return out;
  }

  /** Replaces {@code file} by a rename, as writers do. */
  private static void replaceWith(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aChunkOutsideTheTaskIsRefusedNotFilled() throws IOException {
    String location = references("classic.h5", 0);
    List<ChunkTask> tasks = plan(location, "large");
    assertTrue(tasks.size() > 1, "several tasks");
    ChunkTask first = tasks.get(0);
    long[] elsewhere = tasks.get(1).chunkCoords().get(0);
    try (ArrayStore store =
        ArrayStore.openShared(location, StoreSettings.empty(), first.datasets())) {
      Dataset ds = store.dataset(first.datasets().get(0));
      assertTrue(ds.chunkSource().readChunk(first.chunkCoords().get(0)).join() != null);
      CompletionException e =
          assertThrows(
              CompletionException.class, () -> ds.chunkSource().readChunk(elsewhere).join());
      assertTrue(e.getMessage().contains("not planned for this task"), e.getMessage());
    }
  }

  /** Tasks of a few chunks each over the whole dataset, planned on the driver. */
  private static List<ChunkTask> plan(String location, String variable) {
    try (ArrayStore store = ArrayStore.open(location)) {
      DatasetRef ref = store.datasetRef(variable);
      Dataset ds = store.dataset(ref);
      ChunkGrid grid = ds.grid();
      long chunkBytes = grid.chunkElements() * ds.dataType().byteSize();
      List<ChunkTask> tasks = new ArrayList<>();
      for (List<ScanPlanner.Planned> group :
          ScanPlanner.plan(
              List.of(new ScanPlanner.Source(location, List.of(ref), grid, chunkBytes)),
              Region.all(grid.arrayShape()),
              -1,
              3 * chunkBytes)) {
        group.forEach(p -> tasks.add(p.task()));
      }
      return tasks;
    }
  }
}
