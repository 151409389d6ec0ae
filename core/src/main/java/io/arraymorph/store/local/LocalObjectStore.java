package io.arraymorph.store.local;

import io.arraymorph.store.CostModel;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectChangedException;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Objects as files under a root directory: the embedded default store. Blocking file I/O runs on a
 * small pool owned by the store. Keys never resolve outside the root, and a put becomes visible
 * atomically (written to a hidden temporary file, then renamed).
 */
public final class LocalObjectStore implements ObjectStore {
  private static final String TEMP_MARKER = ".arraymorph-tmp-";

  /**
   * Objects up to this size are read by {@link #getWith} into a buffer each I/O thread reuses (so
   * reading a chunk into place allocates nothing); larger ones into a new array.
   */
  public static final int REUSED_BUFFER_MAX = 8 << 20;

  /**
   * Each I/O thread's reused buffer: direct, so the file is read into it with one copy (a heap
   * buffer would go through a temporary direct one). At most {@link #REUSED_BUFFER_MAX} per thread.
   */
  private static final ThreadLocal<ByteBuffer[]> REUSED =
      ThreadLocal.withInitial(() -> new ByteBuffer[1]);

  /**
   * Each I/O thread's reused array for the ranges {@link #getRanges(String, long[], int[],
   * RangeReader)} lends (a heap array: readers such as the zlib decoder take arrays). Ranges up to
   * {@link #REUSED_BUFFER_MAX}; larger ones are read into a new array.
   */
  private static final ThreadLocal<byte[][]> REUSED_RANGE =
      ThreadLocal.withInitial(() -> new byte[1][]);

  private final Path root;
  private final ExecutorService io;

  /** The root's real path once resolved ({@link #rootRealPath}). */
  private volatile Path rootReal;

  /** A store rooted at {@code root} (created on first write) with {@code threads} I/O threads. */
  public LocalObjectStore(Path root, int threads) {
    this.root = root.toAbsolutePath().normalize();
    this.io = Executors.newFixedThreadPool(threads, daemonThreads());
  }

  public LocalObjectStore(Path root) {
    this(root, Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
  }

  public Path root() {
    return root;
  }

  private Path resolve(String key) {
    Path p = root.resolve(Keys.validate(key)).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new IllegalArgumentException("Key '" + key + "' escapes the store root");
    }
    if (!staysInside(p)) {
      throw new IllegalArgumentException(
          "Key '" + key + "' leads through a symbolic link outside the store root " + root);
    }
    return p;
  }

  /**
   * The root's real path, resolved once: every key's check compares with it, and resolving it per
   * request cost as much as the read of a small chunk (a point series makes thousands).
   */
  private Path rootRealPath() throws IOException {
    Path real = rootReal;
    if (real == null) {
      real = root.toRealPath();
      rootReal = real;
    }
    return real;
  }

  /**
   * Whether a path under the root, with symbolic links followed as far as it exists, is still under
   * the root's real path: links inside the root are fine, links leading out are refused.
   */
  private boolean staysInside(Path p) {
    Path existing = p;
    while (existing != null
        && existing.startsWith(root)
        && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null || !existing.startsWith(root)) {
      return true; // nothing exists under the root yet
    }
    try {
      return existing.toRealPath().startsWith(rootRealPath());
    } catch (IOException e) {
      // A dangling link: refuse it if it points out of the root, judged by its target's text.
      try {
        Path target = existing.getParent().resolve(Files.readSymbolicLink(existing)).normalize();
        return target.startsWith(root);
      } catch (IOException | UnsupportedOperationException notALink) {
        return true;
      }
    }
  }

  @Override
  public CompletableFuture<byte[]> get(String key) {
    return async(
        () -> {
          try {
            return Files.readAllBytes(resolve(key));
          } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
          } catch (IOException e) {
            throw failure("read", key, e);
          }
        });
  }

  @Override
  public <T> CompletableFuture<T> getWith(String key, Function<ByteBuffer, T> reader) {
    return async(
        () -> {
          ByteBuffer buffer;
          try (FileChannel ch = FileChannel.open(resolve(key), StandardOpenOption.READ)) {
            long size = ch.size();
            buffer =
                size <= REUSED_BUFFER_MAX
                    ? reused((int) size)
                    : ByteBuffer.allocate(Math.toIntExact(size));
            // A put replaces the file by a rename, so the open file keeps the size it had.
            while (buffer.hasRemaining() && ch.read(buffer) >= 0) {
              // keep reading
            }
            buffer.flip();
          } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
          } catch (IOException e) {
            throw failure("read", key, e);
          }
          return reader.apply(buffer);
        });
  }

  /** This I/O thread's buffer, cleared and limited to {@code size} bytes. */
  private static ByteBuffer reused(int size) {
    ByteBuffer[] slot = REUSED.get();
    if (slot[0] == null || slot[0].capacity() < size) {
      slot[0] = ByteBuffer.allocateDirect(Math.max(size, 1 << 20));
    }
    return slot[0].clear().limit(size);
  }

  /** Reads the range straight into an array of its size (no reused buffer to copy out of). */
  @Override
  public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
    byte[][] out = new byte[1][];
    return readRanges(
            key,
            null,
            new long[] {offset},
            new int[] {length},
            byte[]::new,
            (i, bytes, read) -> out[0] = read == bytes.length ? bytes : Arrays.copyOf(bytes, read))
        .thenApply(v -> out[0]);
  }

  /** One open and confinement check for all ranges, each read into an array of its own size. */
  @Override
  public CompletableFuture<List<byte[]>> getRanges(String key, long[] offsets, int[] lengths) {
    byte[][] out = new byte[offsets.length][];
    return readRanges(
            key,
            null,
            offsets,
            lengths,
            byte[]::new,
            (i, bytes, read) -> out[i] = read == bytes.length ? bytes : Arrays.copyOf(bytes, read))
        .thenApply(v -> Arrays.asList(out));
  }

  /**
   * Opens the file once, with one confinement check, and reads every range from it into this I/O
   * thread's reused array: a granule's chunks read together cost one open, stat and symbolic-link
   * check instead of one each (these were about as much CPU as inflating the chunks of a point
   * series) and no allocation per chunk.
   */
  @Override
  public CompletableFuture<Void> getRanges(
      String key, long[] offsets, int[] lengths, RangeReader reader) {
    return readRanges(key, null, offsets, lengths, LocalObjectStore::reusedRange, reader);
  }

  /**
   * Like {@link #getRanges}, then compares the file's identity, size and modification time (one
   * stat, no extra open) with {@code expected}'s, after reading, so a rewrite during the read is
   * seen too.
   */
  @Override
  public CompletableFuture<Void> getRangesIfUnchanged(
      String key, ObjectInfo expected, long[] offsets, int[] lengths, RangeReader reader) {
    return readRanges(key, expected, offsets, lengths, LocalObjectStore::reusedRange, reader);
  }

  /** One pread per range of one open file: counted as one ranged read each. */
  @Override
  public int rangeRequests(long[] offsets, int[] lengths) {
    return offsets.length;
  }

  @Override
  public boolean readsIfUnchanged() {
    return true;
  }

  /**
   * Reads each range into an array of at least its length from {@code buffers}, in order; with
   * {@code expected} set, then checks the file is still that one.
   */
  private CompletableFuture<Void> readRanges(
      String key,
      ObjectInfo expected,
      long[] offsets,
      int[] lengths,
      IntFunction<byte[]> buffers,
      RangeReader reader) {
    return async(
        () -> {
          Path path = resolve(key);
          try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            for (int i = 0; i < offsets.length; i++) {
              int available = (int) Math.max(0, Math.min(lengths[i], size - offsets[i]));
              ByteBuffer buf = ByteBuffer.wrap(buffers.apply(available), 0, available);
              while (buf.hasRemaining()) {
                if (ch.read(buf, offsets[i] + buf.position()) < 0) {
                  break;
                }
              }
              reader.read(i, buf.array(), buf.position());
            }
            if (expected != null) {
              ObjectChangedException.check(
                  key, expected, info(key, Files.readAttributes(path, BasicFileAttributes.class)));
            }
            return null;
          } catch (NoSuchFileException e) {
            if (expected != null) {
              throw new ObjectChangedException(key, expected, Optional.empty());
            }
            throw new ObjectNotFoundException(key);
          } catch (IOException e) {
            throw failure("read", key, e);
          }
        });
  }

  /** This I/O thread's range array of at least {@code length} bytes (a new one when large). */
  private static byte[] reusedRange(int length) {
    if (length > REUSED_BUFFER_MAX) {
      return new byte[length];
    }
    byte[][] slot = REUSED_RANGE.get();
    if (slot[0] == null || slot[0].length < length) {
      slot[0] = new byte[Math.max(length, 1 << 16)];
    }
    return slot[0];
  }

  @Override
  public CompletableFuture<Void> put(String key, byte[] data) {
    return async(
        () -> {
          Path target = resolve(key);
          Path temp = tempBeside(target);
          try {
            Files.createDirectories(target.getParent());
            Files.write(temp, data);
            Files.move(
                temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return null;
          } catch (IOException e) {
            deleteQuietly(temp);
            throw failure("write", key, e);
          }
        });
  }

  /** A hidden name beside {@code target} for a file that becomes the object in one step. */
  private static Path tempBeside(Path target) {
    return target.resolveSibling(TEMP_MARKER + UUID.randomUUID());
  }

  /**
   * Writes a hidden temporary file, then hard-links it to the key: {@code link(2)} fails when the
   * target exists, so exactly one of many concurrent creators wins and the object appears whole.
   */
  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] data) {
    return async(
        () -> {
          Path target = resolve(key);
          Path temp = tempBeside(target);
          try {
            Files.createDirectories(target.getParent());
            Files.write(temp, data);
            Files.createLink(target, temp);
            return true;
          } catch (FileAlreadyExistsException e) {
            return false;
          } catch (IOException e) {
            throw failure("create", key, e);
          } finally {
            deleteQuietly(temp);
          }
        });
  }

  /**
   * Hard-links the source under a temporary name and renames it over the target: no bytes copied,
   * and safe because objects are never changed in place (a put renames a new file over the key).
   * Falls back to copying the bytes where links are not supported.
   */
  @Override
  public CompletableFuture<Void> copy(String from, String to) {
    return async(
        () -> {
          Path source = resolve(from);
          Path target = resolve(to);
          Path temp = tempBeside(target);
          try {
            Files.createDirectories(target.getParent());
            try {
              Files.createLink(temp, source);
            } catch (UnsupportedOperationException | FileSystemException e) {
              if (!Files.isRegularFile(source)) {
                throw new NoSuchFileException(source.toString());
              }
              Files.copy(source, temp);
            }
            Files.move(
                temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return null;
          } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(from);
          } catch (IOException e) {
            throw failure("copy to '" + to + "' from", from, e);
          } finally {
            deleteQuietly(temp);
          }
        });
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // A leftover temporary file is hidden from listings; the caller's outcome matters more.
    }
  }

  /** The object a regular file's attributes describe, or empty for anything else. */
  private static Optional<ObjectInfo> info(String key, BasicFileAttributes a) {
    if (!a.isRegularFile()) {
      return Optional.empty();
    }
    // A put renames a new file over the key: its identity changes, and the time too.
    return Optional.of(
        new ObjectInfo(
            key, a.size(), a.fileKey() + "@" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
  }

  @Override
  public CompletableFuture<Optional<ObjectInfo>> head(String key) {
    return async(
        () -> {
          Path p = resolve(key);
          try {
            return info(key, Files.readAttributes(p, BasicFileAttributes.class));
          } catch (NoSuchFileException e) {
            return Optional.empty();
          } catch (IOException e) {
            throw failure("stat", key, e);
          }
        });
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefix) {
    return async(
        () -> {
          int slash = prefix.lastIndexOf('/');
          Path dir = slash < 0 ? root : resolve(prefix.substring(0, slash));
          if (!Files.isDirectory(dir)) {
            return List.of();
          }
          List<ObjectInfo> out = new ArrayList<>();
          try {
            Files.walkFileTree(dir, new Lister(prefix, out));
          } catch (IOException e) {
            throw failure("list", prefix, e);
          }
          out.sort(Comparator.comparing(ObjectInfo::key));
          return out;
        });
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    return async(
        () -> {
          Path p = resolve(key);
          try {
            Files.deleteIfExists(p);
            removeEmptyParents(p.getParent());
            return null;
          } catch (IOException e) {
            throw failure("delete", key, e);
          }
        });
  }

  private void removeEmptyParents(Path dir) {
    while (dir != null && dir.startsWith(root) && !dir.equals(root)) {
      try {
        Files.delete(dir);
      } catch (IOException notEmptyOrGone) {
        return;
      }
      dir = dir.getParent();
    }
  }

  /**
   * Collects the objects under a prefix. A file or folder that vanishes while it is walked (a
   * temporary file renamed into place by a concurrent put or copy) is skipped, not an error: the
   * listing is then as of some moment during the walk, as on an object store.
   */
  private final class Lister extends SimpleFileVisitor<Path> {
    private final String prefix;
    private final List<ObjectInfo> out;

    Lister(String prefix, List<ObjectInfo> out) {
      this.prefix = prefix;
      this.out = out;
    }

    @Override
    public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) throws IOException {
      // A link to a file counts as the file (staysInside checks where it leads).
      boolean file = attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(p));
      if (file && !p.getFileName().toString().startsWith(TEMP_MARKER) && staysInside(p)) {
        String key = root.relativize(p).toString().replace('\\', '/');
        if (key.startsWith(prefix)) {
          try {
            out.add(new ObjectInfo(key, attrs.isRegularFile() ? attrs.size() : Files.size(p)));
          } catch (NoSuchFileException vanished) {
            // deleted while listed
          }
        }
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
      if (e instanceof NoSuchFileException) {
        return FileVisitResult.CONTINUE;
      }
      throw e;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
      if (e != null && !(e instanceof NoSuchFileException)) {
        throw e;
      }
      return FileVisitResult.CONTINUE;
    }
  }

  private StoreException failure(String op, String key, Exception e) {
    return new StoreException(
        "Cannot " + op + " '" + key + "' in local store " + root + ": " + e, e);
  }

  private <T> CompletableFuture<T> async(Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, io);
  }

  @Override
  public CostModel costModel() {
    return CostModel.LOCAL;
  }

  @Override
  public String describe() {
    return "local store at " + root;
  }

  @Override
  public void close() {
    io.shutdown();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "arraymorph-local-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
