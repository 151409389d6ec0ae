package io.arraymorph.hdf5;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arraymorph.hdf5.channel.ChannelOptions;
import io.arraymorph.hdf5.channel.StoreByteChannel;
import io.arraymorph.store.memory.MemoryObjectStore;
import io.jhdf.HdfFile;
import io.jhdf.storage.HdfBackingStorage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A size declared in HDF5 metadata never causes an allocation larger than the file: jhdf allocates
 * what a header declares before reading it, so the read is refused before jhdf runs.
 */
class Hdf5HugeDeclaredSizesTest {
  /** Far below the ~2 GiB declared; opening a 6 KB file allocates well under 1 MiB. */
  private static final long ALLOCATION_BOUND = 16L << 20;

  private static final ChannelOptions OPTIONS = new ChannelOptions(4096, 4096, 1, 8L << 20);

  /**
   * The v1 object header of {@code /g} in the fuzz seed {@code classic_gzip_shuffle} is at byte 800
   * (h5py's H5Oget_info); its header size, at 808..811, now declares 2 GiB - 16 bytes. Its messages
   * would start at 816.
   */
  @Test
  void objectHeaderDeclaringTwoGibIsListedUnreadableWithoutAllocatingIt() throws IOException {
    byte[] bytes =
        resource("/io/arraymorph/fuzz/Hdf5FuzzTestInputs/openListAndRead/classic_gzip_shuffle");
    assertEquals(256, ByteBuffer.wrap(bytes, 808, 4).order(LITTLE_ENDIAN).getInt());
    int declared = Integer.MAX_VALUE - 15;
    ByteBuffer.wrap(bytes, 808, 4).order(LITTLE_ENDIAN).putInt(declared);
    MemoryObjectStore store = new MemoryObjectStore();
    store.put("f.h5", bytes).join();

    String[] listed = new String[1];
    long allocated =
        allocatedBy(
            () -> {
              try (Hdf5File file = Hdf5File.open(store, "f.h5", OPTIONS)) {
                // The damaged member costs itself only: the listing names it and its error.
                listed[0] =
                    file.nodes().stream()
                        .filter(n -> n.path().equals("/g"))
                        .findFirst()
                        .orElseThrow()
                        .dataType();
              }
            });

    assertEquals(
        "unreadable: HDF5 metadata asks for 2147483632 bytes at offset 816 of 'f.h5', past its end"
            + " at "
            + bytes.length
            + " (corrupt or truncated file)",
        listed[0]);
    assertTrue(allocated < ALLOCATION_BOUND, "allocated " + allocated + " bytes");
  }

  /**
   * jhdf's other way to read metadata, {@code map}, is bounded too, and the bound is the file's end
   * exactly, user block included: in {@code userblock.h5} (512-byte user block, written by h5py)
   * the last 10 bytes read as the file holds them, 11 bytes are refused.
   */
  @Test
  void readsStopAtTheFilesEndCountingTheUserBlock() {
    byte[] bytes = Hdf5Fixtures.bytes("userblock.h5");
    MemoryObjectStore store = new MemoryObjectStore();
    store.put("u.h5", bytes).join();
    StoreByteChannel channel = StoreByteChannel.open(store, "u.h5", OPTIONS);
    try {
      HdfFile hdf = BoundedJhdf.open(new WholeReadsChannel(channel), "u.h5");
      HdfBackingStorage storage = hdf.getHdfBackingStorage();
      assertEquals(512, storage.getUserBlockSize());
      long lastTen = bytes.length - 512L - 10;

      ByteBuffer tail = storage.readBufferFromAddress(lastTen, 10);
      byte[] got = new byte[10];
      tail.get(got);
      assertArrayEquals(Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length), got);
      ByteBuffer mapped = storage.map(lastTen, 10);
      assertEquals(ByteBuffer.wrap(bytes, bytes.length - 10, 10), mapped);

      Hdf5FormatException oneMore =
          assertThrows(Hdf5FormatException.class, () -> storage.readBufferFromAddress(lastTen, 11));
      assertTrue(
          oneMore
              .getMessage()
              .contains("asks for 11 bytes at offset " + (bytes.length - 10) + " of 'u.h5'"),
          oneMore.getMessage());

      Hdf5FormatException[] thrown = new Hdf5FormatException[1];
      long allocated =
          allocatedBy(
              () ->
                  thrown[0] =
                      assertThrows(
                          Hdf5FormatException.class, () -> storage.map(0, (1L << 31) - 16)));
      assertTrue(
          thrown[0].getMessage().contains("asks for 2147483632 bytes at offset 512"),
          thrown[0].getMessage());
      assertTrue(allocated < ALLOCATION_BOUND, "allocated " + allocated + " bytes");
    } finally {
      channel.close();
    }
  }

  /** Bytes the calling thread allocated while running {@code work} (HotSpot's counter). */
  private static long allocatedBy(Executable work) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    try {
      work.execute();
    } catch (Error e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
    return threads.getThreadAllocatedBytes(id) - before;
  }

  private byte[] resource(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
