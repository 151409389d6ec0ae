package io.arraymorph.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import io.arraymorph.ArrayMorphException;
import io.arraymorph.ConcurrentWriteException;
import io.arraymorph.store.Futures;
import io.arraymorph.store.Keys;
import io.arraymorph.store.ObjectNotFoundException;
import io.arraymorph.store.ObjectStore;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One writer at a time per dataset: a lock object created with {@link ObjectStore#putIfAbsent}
 * under {@code .arraymorph-locks/<dataset path>.lock}, outside every dataset's keys so Zarr readers
 * never see it. Its body names the job, where it runs, and when the lease expires. A writer that
 * finds a live lock fails at once; a lock whose lease expired (its writer crashed) is taken over.
 * Taking over is itself guarded by a {@code putIfAbsent} of a marker named after the expired
 * holder's token, so two writers finding the same expired lock cannot both take it.
 */
public final class WriterLock implements AutoCloseable {
  /** Where lock objects live, from the store's root. */
  public static final String ROOT = ".arraymorph-locks";

  private static final int ATTEMPTS = 5;

  private final ObjectStore store;
  private final String datasetPath;
  private final String key;
  private final Holder holder;
  private boolean released;

  /** What a lock object records. */
  public record Holder(String job, String token, String host, Instant acquired, Instant expires) {
    boolean expiredAt(Instant now) {
      return !now.isBefore(expires);
    }

    byte[] toJson() {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("job", job);
      doc.put("token", token);
      doc.put("host", host);
      doc.put("acquired", acquired.toString());
      doc.put("expires", expires.toString());
      return ZarrJson.write(doc);
    }

    static Holder parse(byte[] json, String key) {
      JsonNode n = ZarrJson.parse(json, key);
      try {
        return new Holder(
            n.path("job").asText("?"),
            n.path("token").asText(""),
            n.path("host").asText("?"),
            Instant.parse(n.path("acquired").asText()),
            Instant.parse(n.path("expires").asText()));
      } catch (java.time.format.DateTimeParseException e) {
        throw new ArrayMorphException("Corrupt writer lock at '" + key + "': " + e.getMessage(), e);
      }
    }
  }

  private WriterLock(ObjectStore store, String datasetPath, String key, Holder holder) {
    this.store = store;
    this.datasetPath = datasetPath;
    this.key = key;
    this.holder = holder;
  }

  /** The key of a dataset's lock object. */
  public static String keyOf(String datasetPath) {
    return Keys.join(ROOT, Keys.join(datasetPath) + ".lock");
  }

  /**
   * Takes the dataset's writer lock for {@code lease}.
   *
   * @param job the writing job, shown to other writers (e.g. a Spark query id)
   * @throws ConcurrentWriteException naming the holder and its expiry when another writer holds a
   *     live lock
   */
  public static WriterLock acquire(
      ObjectStore store, String datasetPath, String job, Duration lease) {
    String key = keyOf(datasetPath);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Instant now = Instant.now();
      Holder mine = new Holder(job, UUID.randomUUID().toString(), host(), now, now.plus(lease));
      if (Futures.join(store.putIfAbsent(key, mine.toJson()))) {
        return new WriterLock(store, datasetPath, key, mine);
      }
      Optional<Holder> current = read(store, key);
      if (current.isEmpty()) {
        continue; // released meanwhile: try again
      }
      Holder other = current.get();
      if (!other.expiredAt(Instant.now())) {
        throw new ConcurrentWriteException(
            "Dataset '"
                + datasetPath
                + "' in "
                + store.describe()
                + " is being written by job "
                + other.job()
                + " on "
                + other.host()
                + " (since "
                + other.acquired()
                + "; its lock expires at "
                + other.expires()
                + "). Run this write after that job ends; if that job crashed, wait for the"
                + " expiry or delete the lock object '"
                + key
                + "'");
      }
      takeOver(store, key, other);
    }
    throw new ConcurrentWriteException(
        "Could not take the writer lock of dataset '"
            + datasetPath
            + "' in "
            + store.describe()
            + " after "
            + ATTEMPTS
            + " attempts: other writers keep taking it; run this write again later");
  }

  /** Deletes an expired lock, unless another writer is already taking it over. */
  private static void takeOver(ObjectStore store, String key, Holder expired) {
    String marker = key + ".takeover-" + expired.token();
    if (!Futures.join(store.putIfAbsent(marker, new byte[0]))) {
      return; // another writer is taking it over; the next attempt sees its lock
    }
    try {
      // Delete only the expired holder's lock, not one taken since.
      if (read(store, key).map(h -> h.token().equals(expired.token())).orElse(false)) {
        Futures.join(store.delete(key));
      }
    } finally {
      Futures.join(store.delete(marker));
    }
  }

  /**
   * Whether a writer holds a live (unexpired) lock on the dataset: a dataset found publishing with
   * no live lock was left so by a writer that failed or crashed.
   */
  public static boolean heldLive(ObjectStore store, String datasetPath) {
    return read(store, keyOf(datasetPath)).map(h -> !h.expiredAt(Instant.now())).orElse(false);
  }

  private static Optional<Holder> read(ObjectStore store, String key) {
    try {
      return Optional.of(Holder.parse(Futures.join(store.get(key)), key));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "unknown host";
    }
  }

  /** What this lock records. */
  public Holder holder() {
    return holder;
  }

  /** The lock object's key. */
  public String key() {
    return key;
  }

  /**
   * Checks that the lock is still this writer's: its lease may have expired and another writer
   * taken it over, in which case publishing now would mix two writes.
   *
   * @throws ConcurrentWriteException when the lock is gone or another writer's
   */
  public void verifyHeld() {
    Optional<Holder> now = read(store, key);
    if (now.isEmpty() || !now.get().token().equals(holder.token())) {
      throw new ConcurrentWriteException(
          "The writer lock of dataset '"
              + datasetPath
              + "' expired at "
              + holder.expires()
              + " and "
              + now.map(h -> "was taken over by job " + h.job()).orElse("was removed")
              + " before this job ("
              + holder.job()
              + ") committed; nothing was published."
              + " Raise the write option lock_timeout above the job's run time and run it again");
    }
  }

  /** Removes the lock if it is still this writer's; safe to call more than once. */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    released = true;
    if (read(store, key).map(h -> h.token().equals(holder.token())).orElse(false)) {
      Futures.join(store.delete(key));
    }
  }

  @Override
  public String toString() {
    return "WriterLock[" + key + " job=" + holder.job() + " expires=" + holder.expires() + "]";
  }
}
