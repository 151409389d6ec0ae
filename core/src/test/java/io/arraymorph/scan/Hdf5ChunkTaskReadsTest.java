package io.arraymorph.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.api.ArrayStore;
import io.arraymorph.api.Dataset;
import io.arraymorph.api.DatasetRef;
import io.arraymorph.array.ChunkGrid;
import io.arraymorph.hdf5.Hdf5ChunkPlan;
import io.arraymorph.hdf5.Hdf5Dataset;
import io.arraymorph.hdf5.Hdf5Fixtures;
import io.arraymorph.hdf5.Hdf5Layout;
import io.arraymorph.hdf5.Hdf5TaskChunks;
import io.arraymorph.hdf5.Hdf5UnchunkedTask;
import io.arraymorph.store.CountingObjectStore;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.StoreSettings;
import io.arraymorph.store.local.LocalObjectStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A task planned on an HDF5 file carries its chunks' offsets, sizes and filter masks and the
 * dataset's decoding (filters, byte order, fill), so the machine running it reads exactly one range
 * per stored chunk (no superblock, object header or chunk index read) plus one HEAD checking the
 * file was not replaced, and gets h5py's values.
 */
class Hdf5ChunkTaskReadsTest {

  /** Every numeric fixture dataset read from chunks (the others are reopened through the file). */
  static Stream<Hdf5Fixtures.Entry> chunked() {
    return Hdf5Fixtures.datasets().stream().filter(Hdf5ChunkTaskReadsTest::readFromChunks);
  }

  private static boolean readFromChunks(Hdf5Fixtures.Entry e) {
    try (ArrayStore store = ArrayStore.open(location(e))) {
      return store.datasetRef(e.path()).inFile() instanceof Hdf5ChunkPlan;
    }
  }

  /** Every contiguous or compact numeric fixture dataset whose task carries what it needs. */
  static Stream<Hdf5Fixtures.Entry> unchunked() {
    return Hdf5Fixtures.datasets().stream()
        .filter(
            e -> {
              try (ArrayStore store = ArrayStore.open(location(e))) {
                return store.datasetRef(e.path()).inFile() instanceof Hdf5UnchunkedTask;
              }
            });
  }

  @Test
  void contiguousAllocatedUnallocatedAndCompactAreAmongTheUnchunkedCases() {
    Set<String> seen = new TreeSet<>();
    unchunked()
        .forEach(
            e -> {
              try (ArrayStore store = ArrayStore.open(location(e))) {
                seen.add(((Hdf5Dataset) store.dataset(e.path())).layout().toString());
                // The planner's own reference reopens the file (attributes, dimension names).
                DatasetRef ref = store.datasetRef(e.path());
                assertFalse(ref.opensWithoutFile(), e.toString());
                assertTrue(store.dataset(ref) instanceof Hdf5Dataset, e.toString());
              }
            });
    assertEquals(Set.of("COMPACT", "CONTIGUOUS"), seen);
  }

  /**
   * A contiguous dataset's task reads one range per (synthetic) chunk holding data, a compact one
   * reads nothing (its data travels), and either checks the file once: h5py's values, no superblock
   * or object header read.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("unchunked")
  void unchunkedTaskReadsOnlyDataRangesAndH5pyValues(Hdf5Fixtures.Entry entry) throws Exception {
    List<ChunkTask> tasks = plan(entry, location(entry));
    byte[] reference = entry.reference();
    long[] shape = null;
    long emitted = 0;
    for (ChunkTask planned : tasks) {
      ChunkTask task = shipped(planned);
      DatasetRef ref = task.datasets().get(0);
      assertTrue(ref.opensWithoutFile(), "the task carries what it reads");
      CountingObjectStore objects =
          new CountingObjectStore(new LocalObjectStore(Hdf5Fixtures.dir(), 2));
      try (ArrayStore store = ArrayStore.on(objects, 4)) {
        Dataset ds = store.dataset(ref);
        assertEquals(0, objects.stats().requests(), "opened without a request");
        shape = ds.shape();
        int size = ds.dataType().byteSize();
        try (ChunkTaskReader reader = new ChunkTaskReader(task, List.of(ds), ds.chunkShape(), 4)) {
          for (int i = 0; i < task.chunkCoords().size(); i++) {
            reader.prefetchFrom(i);
            List<Region.Box> boxes = task.boxes().get(i);
            for (int b = 0; b < boxes.size(); b++) {
              emitted +=
                  assertBoxLikeH5py(reader.numbers(i, 0, b), boxes.get(b), shape, size, reference);
            }
            reader.release(i);
          }
          assertTrue(
              objects.stats().rangeGets() <= task.chunkCoords().size(), "one range per chunk");
          assertEquals(objects.stats().rangeGets(), objects.stats().requests(), "nothing else");
          reader.verifyVersions(store, List.of(-1L), "fixtures");
          assertEquals(0, objects.stats().heads(), "no HEAD: each read checked the file itself");
        }
      }
    }
    assertEquals(Arrays.stream(shape).reduce(1, Math::multiplyExact), emitted, "every element");
  }

  private static String location(Hdf5Fixtures.Entry e) {
    return Hdf5Fixtures.dir().resolve(e.file()).toString();
  }

  @Test
  void filtersByteOrdersAndFillsAreAmongTheChunkedCases() {
    Set<String> seen = new TreeSet<>();
    chunked()
        .forEach(
            e -> {
              try (ArrayStore store = ArrayStore.open(location(e))) {
                Hdf5Dataset ds = (Hdf5Dataset) store.dataset(e.path());
                assertEquals(Hdf5Layout.CHUNKED, ds.layout(), e.toString());
                ds.filters().forEach(f -> seen.add(f.name().toLowerCase(java.util.Locale.ROOT)));
                if (ds.storedBigEndian()) {
                  seen.add("big-endian");
                }
                String differ = ds.storedBytesDiffer();
                if (differ != null && differ.startsWith("n-bit")) {
                  seen.add("n-bit type"); // unpacked on the task, from the datatype message
                }
              }
            });
    String all = String.join(",", seen);
    assertTrue(all.contains("nbit"), all);
    assertTrue(all.contains("n-bit type"), all);
    assertTrue(all.contains("deflate") || all.contains("gzip"), all);
    assertTrue(all.contains("shuffle"), all);
    assertTrue(all.contains("fletcher32"), all);
    assertTrue(all.contains("big-endian"), all);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chunked")
  void executorReadsOneRangePerStoredChunkAndH5pyValues(Hdf5Fixtures.Entry entry) throws Exception {
    List<ChunkTask> tasks = plan(entry, location(entry));
    byte[] reference = entry.reference();
    long[] shape = null;
    int elementBytes = 0;
    long emitted = 0;
    for (ChunkTask planned : tasks) {
      ChunkTask task = shipped(planned);
      DatasetRef ref = task.datasets().get(0);
      assertTrue(ref.opensWithoutFile(), "the task carries its chunks");
      try (ArrayStore at =
          ArrayStore.openShared(location(entry), StoreSettings.empty(), task.datasets())) {
        assertFalse(at.hdf5File().isPresent(), "the executor does not open the file");
      }
      CountingObjectStore objects =
          new CountingObjectStore(new LocalObjectStore(Hdf5Fixtures.dir(), 2));
      try (ArrayStore store = ArrayStore.on(objects, 4)) {
        Dataset ds = store.dataset(ref);
        assertEquals(0, objects.stats().requests(), "opened without a request");
        shape = ds.shape();
        elementBytes = ds.dataType().byteSize();
        try (ChunkTaskReader reader = new ChunkTaskReader(task, List.of(ds), ds.chunkShape(), 4)) {
          for (int i = 0; i < task.chunkCoords().size(); i++) {
            reader.prefetchFrom(i);
            List<Region.Box> boxes = task.boxes().get(i);
            for (int b = 0; b < boxes.size(); b++) {
              ChunkTaskReader.Buffer buf = reader.numbers(i, 0, b);
              emitted += assertBoxLikeH5py(buf, boxes.get(b), shape, elementBytes, reference);
            }
            reader.release(i);
          }
          int stored = ((Hdf5TaskChunks) ref.inFile()).storedChunks();
          assertEquals(stored, objects.stats().rangeGets(), "one range GET per stored chunk");
          assertEquals(stored, objects.stats().requests(), "no metadata request");
          reader.verifyVersions(store, List.of(-1L), "fixtures");
          assertEquals(0, objects.stats().heads(), "no HEAD: each read checked the file itself");
          assertEquals(stored, objects.stats().requests());
        }
      }
    }
    assertEquals(Arrays.stream(shape).reduce(1, Math::multiplyExact), emitted, "every element");
  }

  /**
   * Every chunked string, compound, enum and array fixture dataset of fixed-size elements: their
   * tasks rebuild the decoding from the datatype message that travelled with them.
   */
  static Stream<Hdf5Fixtures.Entry> typedFromChunks() {
    return Hdf5Fixtures.typed().stream().filter(Hdf5ChunkTaskReadsTest::readFromChunks);
  }

  /**
   * Strings, enums, compounds and arrays of fixed-size elements are among the typed datasets read
   * from chunks alone, contiguous ones from their data's planned offset and compact ones from their
   * data, which travels; variable-length strings (their values live in the file's global heap) are
   * reopened through the file.
   */
  @Test
  void fixedSizeTypedChunkedDatasetsTravelAndVariableLengthOnesReopenTheFile() {
    Set<String> fromChunks = new TreeSet<>();
    typedFromChunks().forEach(e -> fromChunks.add(e.path()));
    assertTrue(
        fromChunks.containsAll(
            List.of("/compound", "/enum_int8", "/fixed_ascii_nullpad", "/compound_array_member")),
        fromChunks.toString());
    for (String path : List.of("/compound_contiguous", "/enum_int16_be", "/fixed_ascii_nullterm")) {
      try (ArrayStore store = ArrayStore.open(location(Hdf5Fixtures.typed("types.h5", path)))) {
        assertTrue(store.datasetRef(path).inFile() instanceof Hdf5UnchunkedTask, path);
      }
    }
    for (String path : List.of("/vlen_utf8_chunked", "/vlen_utf8_contiguous", "/compound_nested")) {
      assertFalse(fromChunks.contains(path), path);
      try (ArrayStore store = ArrayStore.open(location(Hdf5Fixtures.typed("types.h5", path)))) {
        assertNull(store.datasetRef(path).inFile(), path + " is read through the file");
      }
    }
  }

  /**
   * A task of a typed dataset opens it with no request and reads one range per stored chunk plus
   * the one HEAD checking the file: h5py's values, every element once.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("typedFromChunks")
  void typedTaskReadsOneRangePerStoredChunkAndH5pyValues(Hdf5Fixtures.Entry entry)
      throws Exception {
    readTypedTasks(entry, t -> ((Hdf5TaskChunks) t.datasets().get(0).inFile()).storedChunks());
  }

  /**
   * Every contiguous or compact string, compound, enum and array fixture dataset of fixed-size
   * elements: their tasks carry the datatype message, and the data's offset or, compact, the data.
   */
  static Stream<Hdf5Fixtures.Entry> typedUnchunked() {
    return Hdf5Fixtures.typed().stream()
        .filter(
            e -> {
              try (ArrayStore store = ArrayStore.open(location(e))) {
                return store.datasetRef(e.path()).inFile() instanceof Hdf5UnchunkedTask;
              }
            });
  }

  /**
   * A task of a contiguous typed dataset reads one range per (synthetic) chunk, one of a compact
   * typed dataset (its data is in the object header, under 64 KiB) reads nothing, each then checks
   * the file once: h5py's values, every element once.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("typedUnchunked")
  void typedUnchunkedTaskReadsOnlyItsDataRangesAndH5pyValues(Hdf5Fixtures.Entry entry)
      throws Exception {
    boolean compact = entry.meta().get("layout").asText().equals("compact");
    readTypedTasks(entry, t -> compact ? 0 : t.chunkCoords().size());
  }

  @Test
  void compactCompoundsAndStringsAreAmongTheTypedUnchunkedCases() {
    List<String> compact =
        typedUnchunked()
            .filter(e -> e.meta().get("layout").asText().equals("compact"))
            .map(e -> e.file() + ":" + e.path())
            .toList();
    assertTrue(
        compact.containsAll(List.of("compact_types.h5:/compound", "compact_types.h5:/strings")),
        compact.toString());
  }

  /**
   * Plans {@code entry}'s typed dataset and runs each task as an executor would, on a counting
   * store: opened with no request, {@code dataRequests} range GETs for its elements (h5py's
   * values), which check the file themselves (a compact task reads nothing).
   */
  private static void readTypedTasks(
      Hdf5Fixtures.Entry entry, java.util.function.ToLongFunction<ChunkTask> dataRequests)
      throws Exception {
    List<ChunkTask> tasks = plan(entry, location(entry));
    long emitted = 0;
    long[] shape = null;
    for (ChunkTask planned : tasks) {
      ChunkTask task = shipped(planned);
      DatasetRef ref = task.datasets().get(0);
      assertTrue(ref.opensWithoutFile(), "the task carries its data's place and datatype");
      CountingObjectStore objects =
          new CountingObjectStore(new LocalObjectStore(Hdf5Fixtures.dir(), 2));
      try (ArrayStore store = ArrayStore.on(objects, 4)) {
        Dataset ds = store.dataset(ref);
        assertEquals(0, objects.stats().requests(), "opened without a request");
        assertTrue(ds.readsValues());
        shape = ds.shape();
        try (ChunkTaskReader reader = new ChunkTaskReader(task, List.of(ds), ds.chunkShape(), 4)) {
          for (int i = 0; i < task.chunkCoords().size(); i++) {
            reader.prefetchFrom(i);
            List<Region.Box> boxes = task.boxes().get(i);
            for (int b = 0; b < boxes.size(); b++) {
              emitted += assertValuesLikeH5py(reader.values(i, 0, b), boxes.get(b), shape, entry);
            }
            reader.release(i);
          }
          long data = dataRequests.applyAsLong(task);
          assertEquals(data, objects.stats().rangeGets(), "one range GET per data range");
          assertEquals(data, objects.stats().requests(), "no metadata request");
          reader.verifyVersions(store, List.of(-1L), "fixtures");
          assertEquals(data, objects.stats().requests(), "the reads checked the file");
        }
      }
    }
    assertEquals(entry.meta().get("values").size(), emitted, "every element");
  }

  /** Checks the values of {@code box} (C order) against h5py's; returns how many. */
  private static long assertValuesLikeH5py(
      io.arraymorph.hdf5.Hdf5Values values, Region.Box box, long[] shape, Hdf5Fixtures.Entry e) {
    if (box.isEmpty()) {
      return 0;
    }
    long[] idx = box.lo().clone();
    int i = 0;
    while (true) {
      long flat = 0;
      for (int d = 0; d < shape.length; d++) {
        flat = flat * shape[d] + idx[d];
      }
      io.arraymorph.hdf5.Hdf5FixtureAssertions.assertValue(e.meta(), (int) flat, values, i++);
      int d = shape.length - 1;
      while (d >= 0 && ++idx[d] >= box.hi()[d]) {
        idx[d] = box.lo()[d];
        d--;
      }
      if (d < 0) {
        assertEquals(values.size(), i, "the box's values");
        return i;
      }
    }
  }

  /**
   * A file replaced between planning and reading (here by a same-sized copy with one byte of its
   * last chunk changed) is refused by the read itself where the store checks the version within its
   * reads (the local store: a stat of the file read; S3 and Azure: If-Match): no value of it is
   * returned and no HEAD is made.
   */
  @Test
  void aFileReplacedAfterPlanningIsRefusedByTheReadItself(@TempDir Path dir) throws IOException {
    Hdf5Fixtures.Entry entry = chunked().findFirst().orElseThrow();
    Path file = dir.resolve(entry.file());
    byte[] original = Hdf5Fixtures.bytes(entry.file());
    Files.write(file, original);
    ChunkTask task = plan(entry, file.toString()).get(0);
    CountingObjectStore objects = new CountingObjectStore(new LocalObjectStore(dir, 2));
    try (ArrayStore store = ArrayStore.on(objects, 4)) {
      Dataset ds = store.dataset(task.datasets().get(0));
      byte[] other = original.clone();
      other[other.length - 1] ^= 0x5a;
      Path replacement = dir.resolve("replacement.tmp");
      Files.write(replacement, other);
      Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (ChunkTaskReader reader = new ChunkTaskReader(task, List.of(ds), ds.chunkShape(), 4)) {
        reader.prefetchFrom(0);
        ConcurrentWriteException e =
            assertThrows(ConcurrentWriteException.class, () -> reader.numbers(0, 0, 0));
        assertTrue(e.getMessage().contains(entry.file()), e.getMessage());
        assertTrue(e.getMessage().contains("same size"), e.getMessage());
        assertTrue(e.getMessage().contains("Re-run the query"), e.getMessage());
        assertEquals(0, objects.stats().heads(), "the read refused it, no HEAD");
      }
    }
  }

  /** Where the store cannot check within its reads, the task's HEAD after them refuses it. */
  @Test
  void aFileReplacedAfterPlanningFailsTheTask(@TempDir Path dir) throws IOException {
    Hdf5Fixtures.Entry entry = chunked().findFirst().orElseThrow();
    Path file = dir.resolve(entry.file());
    Files.write(file, Hdf5Fixtures.bytes(entry.file()));
    ChunkTask task = plan(entry, file.toString()).get(0);
    ObjectStore objects = new HeadCheckedStore(new LocalObjectStore(dir, 2));
    try (ArrayStore store = ArrayStore.on(objects, 4)) {
      Dataset ds = store.dataset(task.datasets().get(0));
      try (ChunkTaskReader reader = new ChunkTaskReader(task, List.of(ds), ds.chunkShape(), 4)) {
        reader.verifyVersions(store, List.of(-1L), "tmp");
        byte[] grown = Arrays.copyOf(Hdf5Fixtures.bytes(entry.file()), (int) Files.size(file) + 1);
        Files.write(file, grown);
        ConcurrentWriteException e =
            assertThrows(
                ConcurrentWriteException.class,
                () -> reader.verifyVersions(store, List.of(-1L), "tmp"));
        assertTrue(e.getMessage().contains(entry.file()), e.getMessage());
        assertTrue(e.getMessage().contains("replaced"), e.getMessage());
      }
    }
  }

  /**
   * A file replaced between planning and reading by another of the same size (here: one byte of its
   * last chunk changed, written to a new file moved over it, as tools replace files) is refused by
   * its entity tag: the task fails instead of returning the other file's values (here through the
   * HEAD after the reads, where the store cannot check within them).
   */
  @Test
  void aFileReplacedBySameSizedContentFailsTheTask(@TempDir Path dir) throws IOException {
    Hdf5Fixtures.Entry entry = chunked().findFirst().orElseThrow();
    Path file = dir.resolve(entry.file());
    byte[] original = Hdf5Fixtures.bytes(entry.file());
    Files.write(file, original);
    ChunkTask task = plan(entry, file.toString()).get(0);
    ObjectStore objects = new HeadCheckedStore(new LocalObjectStore(dir, 2));
    try (ArrayStore store = ArrayStore.on(objects, 4)) {
      Dataset ds = store.dataset(task.datasets().get(0));
      try (ChunkTaskReader reader = new ChunkTaskReader(task, List.of(ds), ds.chunkShape(), 4)) {
        reader.verifyVersions(store, List.of(-1L), "tmp");
        byte[] other = original.clone();
        other[other.length - 1] ^= 0x5a;
        Path replacement = dir.resolve("replacement.tmp");
        Files.write(replacement, other);
        Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(original.length, Files.size(file), "the same size");
        ConcurrentWriteException e =
            assertThrows(
                ConcurrentWriteException.class,
                () -> reader.verifyVersions(store, List.of(-1L), "tmp"));
        assertTrue(e.getMessage().contains(entry.file()), e.getMessage());
        assertTrue(e.getMessage().contains("same size"), e.getMessage());
        assertTrue(e.getMessage().contains("Re-run the query"), e.getMessage());
      }
    }
  }

  /**
   * A chunk that fails to fetch or decode while its file was replaced (a changed byte inside a
   * compressed chunk looks like corruption) is explained as the replacement, which says to re-run
   * the query; with the file unchanged the failure is reported as it is.
   */
  @Test
  void aFailureOfAReplacedFileIsExplainedAsTheReplacement(@TempDir Path dir) throws IOException {
    Hdf5Fixtures.Entry entry = chunked().findFirst().orElseThrow();
    Path file = dir.resolve(entry.file());
    byte[] original = Hdf5Fixtures.bytes(entry.file());
    Files.write(file, original);
    ChunkTask task = plan(entry, file.toString()).get(0);
    ObjectStore objects = new HeadCheckedStore(new LocalObjectStore(dir, 2));
    try (ArrayStore store = ArrayStore.on(objects, 4)) {
      Dataset ds = store.dataset(task.datasets().get(0));
      try (ChunkTaskReader reader = new ChunkTaskReader(task, List.of(ds), ds.chunkShape(), 4)) {
        RuntimeException corrupt = new IllegalStateException("corrupt deflate stream");
        assertSame(corrupt, reader.explain(corrupt, store, "tmp"), "file unchanged");
        byte[] other = original.clone();
        other[other.length - 1] ^= 0x5a;
        Path replacement = dir.resolve("replacement.tmp");
        Files.write(replacement, other);
        Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        RuntimeException e = reader.explain(corrupt, store, "tmp");
        assertTrue(e instanceof ConcurrentWriteException, e.toString());
        assertTrue(e.getMessage().contains(entry.file()), e.getMessage());
        assertTrue(e.getMessage().contains("Re-run the query"), e.getMessage());
        assertSame(corrupt, e.getSuppressed()[0], "the original failure is attached");
      }
    }
  }

  @Test
  void aChunkOutsideTheTaskIsRefusedNotFilled() {
    Hdf5Fixtures.Entry entry =
        chunked()
            .filter(e -> plan(e, location(e)).size() > 1)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no fixture dataset with two tasks"));
    List<ChunkTask> tasks = plan(entry, location(entry));
    ChunkTask first = tasks.get(0);
    long[] elsewhere = tasks.get(1).chunkCoords().get(0);
    try (ArrayStore store =
        ArrayStore.on(new LocalObjectStore(Hdf5Fixtures.dir(), 2), StoreSettings.empty())) {
      Dataset ds = store.dataset(first.datasets().get(0));
      assertNotNull(ds.chunkSource().readChunk(first.chunkCoords().get(0)));
      assertThrows(
          java.util.concurrent.CompletionException.class,
          () -> ds.chunkSource().readChunk(elsewhere).join());
    }
  }

  @Test
  void aReferenceMadeForAnotherGridIsReadThroughTheFile() {
    Hdf5Fixtures.Entry entry = chunked().findFirst().orElseThrow();
    try (ArrayStore store = ArrayStore.open(location(entry))) {
      DatasetRef ref = store.datasetRef(entry.path());
      Dataset ds = store.dataset(ref);
      long[] shape = ds.shape();
      int[] other = new int[shape.length];
      Arrays.fill(other, 1);
      DatasetRef forTask =
          ref.forChunks(new ChunkGrid(shape, other), List.of(new long[shape.length]));
      assertNull(forTask.inFile(), "chunk locations only for the dataset's own grid");
      assertFalse(forTask.opensWithoutFile());
    }
  }

  /** Tasks of a few chunks each over the whole dataset, planned on the driver. */
  private static List<ChunkTask> plan(Hdf5Fixtures.Entry entry, String location) {
    try (ArrayStore store = ArrayStore.open(location)) {
      DatasetRef ref = store.datasetRef(entry.path());
      Dataset ds = store.dataset(ref);
      ChunkGrid grid = ds.grid();
      long chunkBytes = grid.chunkElements() * ds.elementBytes();
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

  /** Through Java serialization, as Spark ships a task to an executor. */
  static ChunkTask shipped(ChunkTask task) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(out)) {
      o.writeObject(task);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      return (ChunkTask) in.readObject();
    }
  }

  /** Checks every element of {@code box} against h5py's bytes; returns how many. */
  static long assertBoxLikeH5py(
      ChunkTaskReader.Buffer buf, Region.Box box, long[] shape, int size, byte[] reference) {
    long n = 0;
    long[] idx = box.lo().clone();
    if (box.isEmpty()) {
      return 0;
    }
    while (true) {
      long flat = 0;
      for (int d = 0; d < shape.length; d++) {
        flat = flat * shape[d] + idx[d];
      }
      int at = (int) (buf.elementOf(idx) * size);
      assertArrayEquals(
          Arrays.copyOfRange(reference, (int) flat * size, (int) flat * size + size),
          Arrays.copyOfRange(buf.data(), at, at + size),
          "element " + Arrays.toString(idx));
      n++;
      int d = shape.length - 1;
      while (d >= 0 && ++idx[d] >= box.hi()[d]) {
        idx[d] = box.lo()[d];
        d--;
      }
      if (d < 0) {
        return n;
      }
    }
  }
}
