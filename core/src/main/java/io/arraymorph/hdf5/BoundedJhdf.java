package io.arraymorph.hdf5;

import io.arraymorph.ArrayMorphException;
import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.exceptions.HdfException;
import io.jhdf.nio.FileChannelFromSeekableByteChannel;
import io.jhdf.storage.HdfBackingStorage;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/**
 * Opens a jhdf {@link HdfFile} over {@link BoundedHdfFileChannel}, so no metadata read can allocate
 * more than the file holds. jhdf 0.13 has no public way to supply its storage: its public
 * constructors each build a plain {@code HdfFileChannel}. So the superblock is found here as those
 * constructors find it, and the storage is handed to jhdf's private {@code
 * HdfFile(HdfBackingStorage)} constructor (jhdf is pinned; if that constructor is gone, opening
 * fails naming it).
 *
 * <p>That constructor leaves the file's path unset, which jhdf only uses for its name in logs, for
 * following external links (ArrayMorph reports them, never follows them) and in {@link
 * HdfFile#close()}'s log line, which then throws: close the channel instead.
 */
final class BoundedJhdf {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private BoundedJhdf() {}

  /**
   * Opens the file read by {@code channel} (named {@code key} in messages).
   *
   * @throws HdfException as jhdf's own constructors do when the file is no HDF5 file
   */
  static HdfFile open(SeekableByteChannel channel, String key) {
    try {
      FileChannel fc = new FileChannelFromSeekableByteChannel(channel);
      long size = fc.size();
      long offset = signatureOffset(fc, size);
      Superblock superblock = Superblock.readSuperblock(fc, offset);
      if (superblock.getBaseAddressByte() != offset) {
        throw new HdfException("Invalid superblock base address detected");
      }
      return newHdfFile(new BoundedHdfFileChannel(fc, superblock, key, size));
    } catch (IOException e) {
      throw new HdfException("Failed to open HDF5 file '" + key + "'", e);
    }
  }

  /**
   * The superblock's offset: 0 or, after a user block, 512, 1024, 2048... (the HDF5 format's rule,
   * searched in jhdf's order).
   */
  private static long signatureOffset(FileChannel fc, long size) throws IOException {
    for (long offset = 0;
        offset <= size - SIGNATURE.length;
        offset = offset == 0 ? 512 : offset * 2) {
      ByteBuffer found = ByteBuffer.allocate(SIGNATURE.length);
      while (found.hasRemaining() && fc.read(found, offset + found.position()) > 0) {
        // a short read continues where it stopped
      }
      if (Arrays.equals(SIGNATURE, found.array())) {
        return offset;
      }
    }
    throw new HdfException("No valid HDF5 signature found");
  }

  private static HdfFile newHdfFile(HdfBackingStorage storage) {
    Constructor<HdfFile> constructor;
    try {
      constructor = HdfFile.class.getDeclaredConstructor(HdfBackingStorage.class);
      constructor.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // An ArrayMorphException, so it is not reported as a corrupt file.
      throw new ArrayMorphException(
          "This jhdf version has no HdfFile(HdfBackingStorage) constructor, which ArrayMorph uses"
              + " to bound metadata reads: use the jhdf version ArrayMorph is built with (0.13)",
          e);
    }
    try {
      return constructor.newInstance(storage);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new ArrayMorphException("Cannot call jhdf's HdfFile(HdfBackingStorage)", e);
    }
  }
}
