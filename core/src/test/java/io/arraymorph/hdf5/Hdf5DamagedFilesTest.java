package io.arraymorph.hdf5;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.ArrayMorphException;
import io.arraymorph.api.NodeInfo;
import io.arraymorph.array.Hyperslab;
import io.arraymorph.hdf5.channel.ChannelOptions;
import io.arraymorph.store.memory.MemoryObjectStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Truncated, corrupted and random files fail with an {@link ArrayMorphException} (a clear message,
 * never a raw parser exception) within a time bound: they never hang and never exhaust memory.
 */
class Hdf5DamagedFilesTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final String[] FILES = {"classic.h5", "latest.h5", "climate.nc"};

  /**
   * Opens, lists, reads every group's attributes (a listing costs an unparseable object only
   * itself, so damage there shows on reading them) and every dataset; the first failure propagates.
   */
  private static void readEverything(byte[] bytes) {
    MemoryObjectStore store = new MemoryObjectStore();
    store.put("f.h5", bytes).join();
    // Small blocks, so damage anywhere is met through many separate reads.
    ChannelOptions options = new ChannelOptions(4096, 4096, 1, 8L << 20);
    try (Hdf5File file = Hdf5File.open(store, "f.h5", options)) {
      for (NodeInfo info : file.nodes()) {
        if (info.kind() == NodeInfo.Kind.GROUP) {
          file.attributes(info.path());
        }
      }
      for (NodeInfo info : file.datasets()) {
        if (info.dataType().startsWith("unsupported")) {
          continue;
        }
        Hdf5Dataset ds = file.dataset(info.path());
        ds.read(Hyperslab.all(ds.shape()));
      }
    }
  }

  static Stream<Arguments> truncations() {
    List<Arguments> out = new ArrayList<>();
    for (String f : FILES) {
      int size = Hdf5Fixtures.bytes(f).length;
      for (int length : new int[] {0, 7, 100, 1000, 5000, size / 3, size / 2, size - 1}) {
        out.add(Arguments.of(f, length));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} cut to {1} bytes")
  @MethodSource("truncations")
  void truncatedFileFailsClearly(String name, int length) {
    byte[] cut = Arrays.copyOf(Hdf5Fixtures.bytes(name), length);
    ArrayMorphException e =
        assertTimeoutPreemptively(
            BOUND, () -> assertThrows(ArrayMorphException.class, () -> readEverything(cut)));
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
  }

  static Stream<Arguments> corruptions() {
    List<Arguments> out = new ArrayList<>();
    for (String f : FILES) {
      for (int seed = 0; seed < 15; seed++) {
        out.add(Arguments.of(f, seed));
      }
    }
    return out.stream();
  }

  /**
   * Overwrites 32 random bytes of the first 16 KiB (superblock, root group, object headers, B-tree
   * nodes). Every seed here is detected (v2 metadata has checksums; v0 metadata fails validation or
   * bounds checks), in well under the bound: no hang, no OOM, no exception other than ours.
   */
  @ParameterizedTest(name = "{0} corrupted with seed {1}")
  @MethodSource("corruptions")
  void corruptedMetadataFailsClearly(String name, int seed) {
    byte[] bytes = Hdf5Fixtures.bytes(name).clone();
    Random random = new Random(seed);
    int region = Math.min(bytes.length, 16 * 1024);
    for (int i = 0; i < 32; i++) {
      bytes[random.nextInt(region)] = (byte) random.nextInt(256);
    }
    ArrayMorphException e =
        assertTimeoutPreemptively(
            BOUND, () -> assertThrows(ArrayMorphException.class, () -> readEverything(bytes)));
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
  }

  @Test
  void randomBytesAreNotAnHdf5File() {
    byte[] noise = new byte[1 << 20];
    new Random(42).nextBytes(noise);
    Hdf5FormatException e =
        assertTimeoutPreemptively(
            BOUND, () -> assertThrows(Hdf5FormatException.class, () -> readEverything(noise)));
    assertTrue(e.getMessage().contains("not an HDF5 file"), e.getMessage());
  }

  @Test
  void brokenSignatureIsNotAnHdf5File() {
    byte[] bytes = Hdf5Fixtures.bytes("latest.h5").clone();
    bytes[1] = 'X'; // "\x89HDF" -> "\x89XDF"
    Hdf5FormatException e =
        assertTimeoutPreemptively(
            BOUND, () -> assertThrows(Hdf5FormatException.class, () -> readEverything(bytes)));
    assertTrue(e.getMessage().contains("not an HDF5 file"), e.getMessage());
  }

  /**
   * Found by Hdf5FuzzTest: an object header whose size passes the end of the file made jhdf re-read
   * the file's tail until its buffer was full (millions of reads for a large size). The v1 object
   * header of {@code /g} in the fuzz seed {@code classic_gzip_shuffle} is at byte 800 (h5py's
   * H5Oget_info), its message size at 808..811; 16 MiB there now fails at once, naming the offset.
   */
  @Test
  void objectHeaderSizePastTheEndFailsWithoutRereadingTheTail() throws java.io.IOException {
    byte[] bytes;
    try (java.io.InputStream in =
        getClass()
            .getResourceAsStream(
                "/io/arraymorph/fuzz/Hdf5FuzzTestInputs/openListAndRead/classic_gzip_shuffle")) {
      bytes = in.readAllBytes();
    }
    assertEquals(256, java.nio.ByteBuffer.wrap(bytes, 808, 4).order(LITTLE_ENDIAN).getInt());
    java.nio.ByteBuffer.wrap(bytes, 808, 4).order(LITTLE_ENDIAN).putInt(16 << 20);
    Hdf5FormatException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> assertThrows(Hdf5FormatException.class, () -> readEverything(bytes)));
    assertTrue(
        e.getMessage().contains("asks for 16777216 bytes at offset 816")
            && e.getMessage().contains("past its end at " + bytes.length),
        e.getMessage());
  }
}
