package io.arraymorph.store.hadoop;

import io.arraymorph.options.ArrayMorphOptions;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectInfo;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import io.arraymorph.store.RangeRequests;
import io.arraymorph.store.RedactedException;
import io.arraymorph.store.StoreException;
import io.arraymorph.store.StoreSettings;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * An {@link ObjectStore} over a directory of any Hadoop FileSystem ({@code s3a://}, {@code
 * hdfs://}, {@code file:}, ...). Hadoop's calls block, so they run on a bounded pool of daemon
 * threads owned by the store ({@code hadoop_io_threads}, default 16). The FileSystem instance is
 * the store's own (not Hadoop's shared cache), so closing the store never closes one that others
 * use.
 */
public final class HadoopObjectStore implements ObjectStore {
  private final FileSystem fs;
  private final Path root;
  private final String rootPath;
  private final ExecutorService io;
  private final UnaryOperator<String> redactor;
  private final String description;

  private HadoopObjectStore(
      FileSystem fs, Path root, int threads, UnaryOperator<String> redactor, String description) {
    this.fs = fs;
    this.root = root;
    this.rootPath = root.toUri().getPath().replaceAll("/+$", "");
    this.io = Executors.newFixedThreadPool(threads, daemonThreads());
    this.redactor = redactor;
    this.description = description;
  }

  /**
   * Opens a store rooted at {@code location}, a URI Hadoop knows.
   *
   * @throws StoreException naming the scheme when no Hadoop FileSystem handles it, or the failure
   *     to reach the FileSystem
   */
  public static HadoopObjectStore open(URI location, StoreSettings settings) {
    Configuration conf = HadoopConfigurations.from(settings);
    UnaryOperator<String> redactor = redactor(settings);
    String description =
        "Hadoop FileSystem at "
            + withoutUserInfo(location)
            + (location.getScheme() == null ? "" : " (" + location.getScheme() + ")");
    try {
      FileSystem fs = FileSystem.newInstance(location, conf);
      Path root = fs.makeQualified(new Path(location));
      return new HadoopObjectStore(
          fs, root, settings.get(ArrayMorphOptions.HADOOP_IO_THREADS), redactor, description);
    } catch (IOException | RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      boolean noScheme = message.contains("No FileSystem for scheme");
      throw new StoreException(
          noScheme
              ? "No Hadoop FileSystem for scheme '"
                  + location.getScheme()
                  + "' of "
                  + description
                  + ": put its connector (hadoop-aws, hadoop-azure, ...) on the classpath or set"
                  + " hadoop.conf.fs."
                  + location.getScheme()
                  + ".impl"
              : "Cannot open " + description + ": " + redactor.apply(message),
          RedactedException.redact(e, redactor));
    }
  }

  /** Masks ArrayMorph secrets and the values of secret-looking Hadoop properties. */
  private static UnaryOperator<String> redactor(StoreSettings settings) {
    List<String> secrets = new ArrayList<>();
    HadoopConfigurations.properties(settings)
        .forEach(
            (k, v) -> {
              if (HadoopConfigurations.isSecret(k) && v != null && v.length() >= 4) {
                secrets.add(v);
              }
            });
    return text -> {
      String out = settings.redact(text);
      for (String s : secrets) {
        out = out.replace(s, "***");
      }
      return out;
    };
  }

  private Path path(String key) {
    return new Path(root, Keys.validate(key));
  }

  @Override
  public CompletableFuture<byte[]> get(String key) {
    Path p = path(key);
    return async(
        "read",
        key,
        () -> {
          try (FSDataInputStream in = fs.open(p)) {
            return in.readAllBytes();
          }
        });
  }

  @Override
  public CompletableFuture<byte[]> getRange(String key, long offset, int length) {
    Path p = path(key);
    RangeRequests.check(key, offset, length);
    return async(
        "read",
        key,
        () -> {
          FileStatus status = fs.getFileStatus(p);
          int available = (int) Math.max(0, Math.min(length, status.getLen() - offset));
          byte[] out = new byte[available];
          if (available == 0) {
            return out;
          }
          // The status is handed over so object stores skip a second HEAD.
          try (FSDataInputStream in = awaitOpen(fs.openFile(p).withFileStatus(status).build())) {
            in.readFully(offset, out, 0, available);
          }
          return out;
        });
  }

  private static FSDataInputStream awaitOpen(CompletableFuture<FSDataInputStream> open)
      throws IOException {
    try {
      return open.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted opening a file");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    }
  }

  @Override
  public CompletableFuture<Void> put(String key, byte[] data) {
    Path p = path(key);
    return async(
        "write",
        key,
        () -> {
          try (FSDataOutputStream out = fs.create(p, true)) {
            out.write(data);
          }
          return null;
        });
  }

  private static final String S3A_CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";

  /**
   * {@code create(path, overwrite=false)}, which HDFS and S3A (conditional create, Hadoop 3.4.2+)
   * refuse atomically when the file exists. The local FileSystem only checks before creating, so
   * for {@code file:} the file is written under a temporary name and hard-linked to the key, which
   * the operating system refuses atomically.
   */
  @Override
  public CompletableFuture<Boolean> putIfAbsent(String key, byte[] data) {
    Path p = path(key);
    return async(
        "create",
        key,
        () -> {
          if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            return linkIfAbsent(new java.io.File(p.toUri().getPath()).toPath(), data);
          }
          // S3A sends If-None-Match: * only when asked (an option other FileSystems ignore).
          try (FSDataOutputStream out =
              (FSDataOutputStream)
                  fs.createFile(p).overwrite(false).opt(S3A_CONDITIONAL_CREATE, true).build()) {
            out.write(data);
          } catch (FileAlreadyExistsException e) {
            return false;
          } catch (IOException e) {
            if (String.valueOf(e).contains("412") || String.valueOf(e).contains("Precondition")) {
              return false;
            }
            throw e;
          }
          return true;
        });
  }

  private static boolean linkIfAbsent(java.nio.file.Path target, byte[] data) throws IOException {
    java.nio.file.Files.createDirectories(target.getParent());
    java.nio.file.Path temp =
        target.resolveSibling("." + target.getFileName() + "." + java.util.UUID.randomUUID());
    try {
      java.nio.file.Files.write(temp, data);
      java.nio.file.Files.createLink(target, temp);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    } finally {
      java.nio.file.Files.deleteIfExists(temp);
    }
  }

  /**
   * The file's entity tag: the store's ETag where the file system gives one (S3A, ABFS), else its
   * modification time (a same-sized replacement within the file system's time resolution goes
   * unseen there).
   */
  private static String tag(FileStatus status) {
    if (status instanceof EtagSource e && e.getEtag() != null && !e.getEtag().isEmpty()) {
      return e.getEtag();
    }
    return "mtime-" + status.getModificationTime();
  }

  @Override
  public CompletableFuture<Optional<ObjectInfo>> head(String key) {
    Path p = path(key);
    return async(
        "stat",
        key,
        () -> {
          try {
            FileStatus status = fs.getFileStatus(p);
            return status.isFile()
                ? Optional.of(new ObjectInfo(key, status.getLen(), tag(status)))
                : Optional.<ObjectInfo>empty();
          } catch (FileNotFoundException e) {
            return Optional.<ObjectInfo>empty();
          }
        });
  }

  @Override
  public CompletableFuture<List<ObjectInfo>> list(String prefix) {
    int slash = prefix.lastIndexOf('/');
    Path dir = slash < 0 ? root : path(prefix.substring(0, slash));
    return async(
        "list",
        prefix,
        () -> {
          for (int attempt = 1; ; attempt++) {
            try {
              return listFiles(dir, prefix);
            } catch (FileNotFoundException e) {
              // Empty only when the folder is absent: a file removed while the walk passed it
              // (a concurrent delete) must not make the whole listing look empty, which would
              // hide stale chunks from an overwrite's cleanup. Walk again, a bounded number of
              // times.
              if (!fs.exists(dir)) {
                return List.<ObjectInfo>of();
              }
              if (attempt == LIST_ATTEMPTS) {
                throw new IOException(
                    "objects kept vanishing while the folder was listed ("
                        + LIST_ATTEMPTS
                        + " walks); another process is deleting under it",
                    e);
              }
            }
          }
        });
  }

  /** Walks of a folder {@link #list} makes when files vanish under it. */
  private static final int LIST_ATTEMPTS = 3;

  private List<ObjectInfo> listFiles(Path dir, String prefix) throws IOException {
    List<ObjectInfo> out = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
    while (files.hasNext()) {
      LocatedFileStatus f = files.next();
      String key = keyOf(f.getPath());
      if (key != null && key.startsWith(prefix)) {
        out.add(new ObjectInfo(key, f.getLen()));
      }
    }
    out.sort(Comparator.comparing(ObjectInfo::key));
    return out;
  }

  /** The key of a file under the root, or null for anything else. */
  private String keyOf(Path file) {
    String p = file.toUri().getPath();
    return p.startsWith(rootPath + "/") ? p.substring(rootPath.length() + 1) : null;
  }

  @Override
  public CompletableFuture<Void> delete(String key) {
    Path p = path(key);
    return async(
        "delete",
        key,
        () -> {
          fs.delete(p, false);
          return null;
        });
  }

  /** A blocking Hadoop call run on the store's pool, its failures turned into store failures. */
  private <T> CompletableFuture<T> async(String operation, String key, IoCall<T> call) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return call.run();
          } catch (FileNotFoundException e) {
            throw new ObjectNotFoundException(key);
          } catch (IOException | RuntimeException e) {
            throw new CompletionException(
                new StoreException(
                    "Cannot "
                        + operation
                        + " '"
                        + key
                        + "' in "
                        + description
                        + ": "
                        + redactor.apply(String.valueOf(e))
                        + hint(e),
                    RedactedException.redact(e, redactor)));
          }
        },
        io);
  }

  /** What to check, for failures whose cause is known. */
  private static String hint(Exception e) {
    String text = String.valueOf(e).toLowerCase(java.util.Locale.ROOT);
    if (text.contains("accessdenied") || text.contains("403") || text.contains("signature")) {
      return " (check the FileSystem's credentials, e.g. hadoop.conf.fs.s3a.access.key and"
          + " hadoop.conf.fs.s3a.secret.key)";
    }
    if (text.contains("nosuchbucket") || text.contains("does not exist")) {
      return " (check the bucket or container in the location)";
    }
    if (text.contains("connect") || text.contains("unknownhost")) {
      return " (check the FileSystem's endpoint, e.g. hadoop.conf.fs.s3a.endpoint)";
    }
    return "";
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T run() throws IOException;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return "HadoopObjectStore[" + description + "]";
  }

  @Override
  public void close() {
    io.shutdown();
    try {
      fs.close();
    } catch (IOException e) {
      // Closing releases connections; nothing the caller could do about a failure.
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "arraymorph-hadoop-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A URI without user info (which could hold credentials) or query, for descriptions. */
  private static String withoutUserInfo(URI uri) {
    try {
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
          .toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return uri.getScheme() + ":" + uri.getPath();
    }
  }
}
